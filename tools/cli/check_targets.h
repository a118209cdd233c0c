// What `mxstate check` recognises in a folder, and how. The rules are
// deliberately narrow, so that a file is never checked as something it is
// not (docs/ci.md repeats them):
//
//  * corpus: a *.json file holding one JSON object whose "format" is a
//    string starting with "mxstate-vectors/" (the spec-vectors format);
//  * room: a *.json or *.jsonl file that `mxstate room` reads (events as
//    one event, an array, JSON Lines, or federation responses) and that
//    holds an m.room.create event with state_key "";
//  * events: the same without a create event (loose events);
//  * anything else (key files, configuration, other JSON, unparsable
//    text) is ignored when found in a folder, and is an error when named
//    on the command line, so that a typo cannot pass.
#ifndef MXSTATE_TOOLS_CLI_CHECK_TARGETS_H_
#define MXSTATE_TOOLS_CLI_CHECK_TARGETS_H_

#include <string>
#include <vector>

#include "cli/room_input.h"
#include "vectors/runner.h"

namespace mxstate::cli {

enum class TargetKind { kCorpus, kRoom, kEvents, kIgnored };

struct CheckTarget {
  std::string path;
  TargetKind kind = TargetKind::kIgnored;
  bool named = false;       // given on the command line, not found in a folder
  RoomInput events;         // kRoom and kEvents
  std::string why_ignored;  // kIgnored
};

// Walks `paths` (folders recursively, *.json and *.jsonl, sorted, skipping
// folders named `schema`) and classifies each file. Paths that do not exist
// or folders with no such file are appended to `errors`.
std::vector<CheckTarget> FindCheckTargets(const std::vector<std::string>& paths,
                                          std::vector<vectors::FileError>* errors);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_CHECK_TARGETS_H_
