// mxstate dag: replays a room (as `mxstate room`) and draws its event DAG,
// coloured by each event's outcome: Graphviz DOT, SVG (through Graphviz's
// `dot`), or one self-contained HTML page.
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/arrival_order.h"
#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/dag_render.h"
#include "cli/key_files.h"
#include "cli/room_input.h"
#include "mxstate/room_diff.h"
#include "mxstate/room_replay.h"
#include "vectors/text_util.h"

extern char** environ;

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

constexpr const char* kRuleDag = "mxstate dag";

// The path of `name` on PATH, or "" when it is not there.
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return "";
}

// A temporary file removed when this goes out of scope.
struct TempFile {
  std::string path;
  explicit TempFile(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                          "/mxstate-dag-XXXXXX" + suffix;
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const int fd = ::mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    if (fd >= 0) {
      ::close(fd);
      path = buf.data();
    }
  }
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// Runs `dot -Tsvg` on `dot_text`. Errors dag.no_graphviz, dag.graphviz_failed.
Result<std::string> DotToSvg(const std::string& dot_text) {
  const std::string dot = FindOnPath("dot");
  if (dot.empty()) {
    return Fail("dag.no_graphviz", kRuleDag,
                "--format svg needs Graphviz's `dot` on PATH (Debian: apt-get install "
                "graphviz); --format dot or --format html need nothing else");
  }
  TempFile in(".dot"), out(".svg");
  if (in.path.empty() || out.path.empty()) {
    return Fail("io.unwritable", kRuleDag,
                std::string("cannot create a temporary file: ") + std::strerror(errno));
  }
  {
    std::ofstream f(in.path, std::ios::binary);
    f << dot_text;
    if (!f.flush()) {
      return Fail("io.unwritable", kRuleDag, "cannot write the temporary file " + in.path);
    }
  }
  std::vector<std::string> argv_s = {dot, "-Tsvg", "-o", out.path, in.path};
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  const int rc = ::posix_spawn(&pid, dot.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0) {
    return Fail("dag.graphviz_failed", kRuleDag,
                "cannot run " + dot + ": " + std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return Fail("dag.graphviz_failed", kRuleDag, std::string("waitpid: ") + std::strerror(errno));
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Fail("dag.graphviz_failed", kRuleDag,
                dot + " -Tsvg failed (status " + std::to_string(status) + ")");
  }
  Result<std::string> svg = vectors::ReadFileText(out.path);
  if (!svg) return Fail(svg.error());
  return *svg;
}

}  // namespace

int RunDag(const Args& args) {
  po::options_description options("Options");
  std::vector<std::string> files;
  std::string room_version, keys_path, format, output;
  size_t max_events = ReplayOptions{}.max_events;
  size_t label_cap = DagOptions{}.full_labels_max;
  bool auth_edges = false, no_format = false;
  ArrivalFlags arrival;
  options.add_options()
      ("file", po::value(&files)->multitoken(),
       "event files, in any shape `mxstate room` reads; '-' is stdin")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("keys", po::value(&keys_path),
       "server keys (file or directory); when given, signatures and content hashes are checked")
      ("format", po::value(&format), "dot, svg (needs Graphviz's `dot`) or html (required)")
      ("output,o", po::value(&output), "write here instead of stdout ('-' is stdout)")
      ("auth-edges", po::bool_switch(&auth_edges), "also draw auth_events edges (dotted)")
      ("label-cap", po::value(&label_cap),
       "rooms with more events than this get short labels (ID and type)")
      ("max-events", po::value(&max_events), "refuse rooms with more events than this")
      ("no-format-check", po::bool_switch(&no_format),
       "skip receipt step 1 (for hand-written test events without hashes; ignored with --keys)");
  AddArrivalOptions(options, &arrival);
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate dag FILE... --format dot|svg|html [--room-version V] [--keys KEYS]\n"
           "                    [--output OUT] [--auth-edges]",
           "Replays a room as `mxstate room` does and draws its event DAG, oldest\n"
           "events on top (rank = topological depth). Each event is a node labelled\n"
           "with its short ID, type, state key (and membership) and sender; state\n"
           "events are boxes, messages ellipses. Colours: accepted green, rejected\n"
           "red, dropped grey dashed, redacted orange, not-judged yellow, soft-failed\n"
           "purple (with --arrival-order or --arrival-input-order); forward\n"
           "extremities have a bold border, tombstones a double one; events that\n"
           "are referenced but missing are dotted boxes. Edges run from each\n"
           "prev_event to the event citing it (solid) and, with --auth-edges, from\n"
           "each auth event (dotted). State resets (as `mxstate resets` finds them)\n"
           "are highlighted in orange: the merge (STATE RESET), the event the key\n"
           "went back to (old value), the lost side value, and every prev_events\n"
           "path from the old event to the merge.\n"
           "Room upgrades: a tombstone's label names its\n"
           "replacement room (-> !new), a create event's its predecessor (<- !old).\n"
           "  dot   Graphviz DOT text\n"
           "  svg   the DOT laid out by Graphviz's `dot -Tsvg` (Debian: graphviz)\n"
           "  html  one self-contained page (no network): inline SVG laid out by\n"
           "        mxstate, verdict tooltips and a details panel, the current state\n"
           "        and problems, and the data in <script id=\"mxstate-dag-data\">.\n"
           "Exit 0 written; 2 usage error; 3 unreadable input or keys, no Graphviz\n"
           "for svg, or an unwritable output.\n"},
          &vm)) {
    return kExitOk;
  }
  if (files.empty()) throw UsageError("give at least one event file");
  if (format.empty()) throw UsageError("--format is required: dot, svg or html");
  if (format != "dot" && format != "svg" && format != "html") {
    throw UsageError("unknown --format \"" + format + "\" (dot, svg or html)");
  }
  if (max_events == 0) throw UsageError("--max-events must be at least 1");

  Result<KeyRing> keys = LoadKeys(keys_path);
  if (!keys) {
    PrintError(keys.error());
    return kExitNoVerdict;
  }
  Result<RoomInput> input = ReadRoomFiles(files);
  if (!input) {
    PrintError(input.error());
    return kExitNoVerdict;
  }
  Result<const RoomVersionRules*> rules = RoomVersionOf(room_version, input->events);
  if (!rules) {
    PrintError(rules.error());
    return rules.error().code == "input.no_room_version" ? kExitUsage : kExitNoVerdict;
  }
  ReplayOptions replay_options;
  replay_options.max_events = max_events;
  replay_options.check_format = !no_format;
  if (!keys_path.empty()) replay_options.keys = &*keys;
  if (Result<void> a = ApplyArrivalFlags(arrival, *input, **rules, &replay_options); !a) {
    PrintError(a.error());
    return kExitNoVerdict;
  }
  // State resets are found at every merge of the replay (as `mxstate
  // resets` does) and highlighted with their paths.
  std::vector<StateReset> resets;
  replay_options.on_merge = [&](const MergeInfo& info) { FindStateResets(info, &resets); };
  Result<RoomReplay> replay = ReplayRoom(input->events, **rules, replay_options);
  if (!replay) {
    PrintError(replay.error());
    return kExitNoVerdict;
  }
  if (!replay->signatures_checked) {
    std::cerr << "mxstate dag: note: signatures and content hashes were not checked (no --keys)\n";
  }

  DagOptions dag_options;
  dag_options.auth_edges = auth_edges;
  dag_options.full_labels_max = label_cap;
  dag_options.room_version = std::string((*rules)->id);
  dag_options.resets = std::move(resets);

  std::string text;
  if (format == "html") {
    text = RenderHtml(*replay, input->events, input->sources, dag_options);
  } else {
    text = RenderDot(*replay, input->events, input->sources, dag_options);
    if (format == "svg") {
      Result<std::string> svg = DotToSvg(text);
      if (!svg) {
        PrintError(svg.error());
        return kExitNoVerdict;
      }
      text = std::move(*svg);
    }
  }

  if (output.empty() || output == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? kExitOk : kExitNoVerdict;
  }
  std::ofstream f(output, std::ios::binary | std::ios::trunc);
  if (f) f << text;
  if (!f || !f.flush()) {
    PrintError(Error{"io.unwritable", kRuleDag,
                     "cannot write " + vectors::SanitizeUtf8(output) + ": " +
                         std::strerror(errno)});
    return kExitNoVerdict;
  }
  return kExitOk;
}

}  // namespace mxstate::cli
