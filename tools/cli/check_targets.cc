#include "cli/check_targets.h"

#include <algorithm>
#include <filesystem>

#include "vectors/corpus_files.h"
#include "vectors/text_util.h"
#include "vectors/vector_file.h"

namespace mxstate::cli {
namespace {

bool IsCorpusText(const std::string& text) {
  // Cheap test first: most files of a folder are not corpora.
  if (text.find("mxstate-vectors/") == std::string::npos) return false;
  Result<Json> parsed = vectors::ParseVectorText(text);
  if (!parsed) return false;
  const std::string* format = parsed->FindString("format");
  return format != nullptr && format->starts_with("mxstate-vectors/");
}

bool HasCreateEvent(const std::vector<Json>& events) {
  return std::any_of(events.begin(), events.end(), [](const Json& e) {
    const std::string* type = e.FindString("type");
    const std::string* key = e.FindString("state_key");
    return type && *type == "m.room.create" && key && key->empty();
  });
}

CheckTarget Classify(const std::string& path, bool named) {
  CheckTarget target{path, TargetKind::kIgnored, named, {}, {}};
  Result<std::string> text = vectors::ReadFileText(path);
  if (!text) {
    target.why_ignored = text.error().ToString();
    return target;
  }
  if (path.ends_with(".json") && IsCorpusText(*text)) {
    target.kind = TargetKind::kCorpus;
    return target;
  }
  Result<RoomInput> events = ReadRoomFiles({path});
  if (!events) {
    target.why_ignored = events.error().ToString();
    return target;
  }
  target.events = std::move(*events);
  target.kind = HasCreateEvent(target.events.events) ? TargetKind::kRoom
                                                     : TargetKind::kEvents;
  return target;
}

}  // namespace

std::vector<CheckTarget> FindCheckTargets(const std::vector<std::string>& paths,
                                          std::vector<vectors::FileError>* errors) {
  std::vector<CheckTarget> targets;
  for (const std::string& path : paths) {
    std::error_code ec;
    const bool named = !std::filesystem::is_directory(path, ec);
    for (const std::string& file :
         vectors::CollectFiles({path}, {".json", ".jsonl"}, errors)) {
      targets.push_back(Classify(file, named));
    }
  }
  return targets;
}

}  // namespace mxstate::cli
