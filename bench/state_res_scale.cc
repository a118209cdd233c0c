// One big resolution, phase by phase, with wall time and peak RSS:
//   generate   the synthetic room (bench/room_shapes.h) as Json
//   serialise  canonical JSON of every event (what a store hands over)
//   parse      ParseJson (strict numbers) of that text, the generated Json
//              freed first, so the resolution runs on parsed events
//   resolve    ResolveState over the state sets (once, or --repeat times)
// With --graph instead of resolve:
//   graph      a persistent EventGraph of every event (with its index)
//   states     the state sets converted to GraphStates
//   resolve-g  ResolveState over the graph (once, or --repeat times)
// and with --reach:
//   reach      each set's StateReach (ComputeStateReach)
//   resolve-r  the same resolutions again, the sets carrying it
// and with --delta:
//   deltas     each set as changes to the first set's state (DeltaOf)
//   reach-d    their StateReach (from the base's, which is the first
//              set's after --reach, where the changes allow)
//   resolve-d  the same resolutions over the deltas (state_delta.h)
// With --write DIR, instead of all that: the room as files for the CLI,
//   DIR/events.jsonl (canonical JSON, one event per line, with event_id)
//   DIR/set-1.txt ... (each state set's event IDs, one per line)
// to be timed with `mxstate resolve --events DIR/events.jsonl DIR/set-*.txt
// --timings` (docs/benchmarks.md, "The CLI on generated files").
// With --graph, after the resolutions:
//   floor      reading the whole sets (memcmp) and writing a copy of the
//              first: what any resolution given whole states must do
// With --graph and parsing, at the end:
//   parse-free every event's text parsed then freed (the cost per event
//              of parsing what a resolution walks, measured in this run,
//              after the resolutions), and each resolution phase's
//              fastest call against parsing its walked events at that rate
// Peak RSS is getrusage(RUSAGE_SELF).ru_maxrss, which only grows, so each
// line shows the peak so far; "rss" is the current resident size
// (/proc/self/statm) after the phase.
// Usage: state_res_scale [--events N] [--sets K] [--conflicted C]
//                        [--version V] [--churn-depth D] [--seed S]
//                        [--no-parse] [--graph] [--reach] [--delta]
//                        [--repeat R] [--write DIR]
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/state_res.h"
#include "room_shapes.h"

namespace {

double PeakMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

double RssMiB() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

// User + system CPU time of the process so far (the machine is shared, so
// wall time alone over-states the cost when other work competes).
double CpuMs() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

using Clock = std::chrono::steady_clock;
double g_cpu_start = 0;

void Report(const char* phase, Clock::time_point start, const std::string& extra) {
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  double cpu = CpuMs() - g_cpu_start;
  std::printf("%-10s wall %9.1f ms  cpu %9.1f ms  peak_rss %7.1f MiB  rss %7.1f MiB  %s\n", phase,
              ms, cpu, PeakMiB(), RssMiB(), extra.c_str());
  std::fflush(stdout);
}

// The room as the CLI reads it; false (with a message) when a file
// cannot be written.
bool WriteRoom(const mxstate::bench::Room& room, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream events(dir + "/events.jsonl", std::ios::binary);
  for (const std::string& line : mxstate::bench::SerialiseEvents(room)) events << line << '\n';
  if (!events.flush()) {
    std::fprintf(stderr, "cannot write %s/events.jsonl\n", dir.c_str());
    return false;
  }
  for (size_t i = 0; i < room.state_sets.size(); ++i) {
    const std::string path = dir + "/set-" + std::to_string(i + 1) + ".txt";
    std::ofstream set(path, std::ios::binary);
    for (const auto& [key, id] : room.state_sets[i]) set << id << '\n';
    if (!set.flush()) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  mxstate::bench::RoomShape shape;
  shape.total_events = 1'000'000;
  shape.state_sets = 2;
  shape.conflicted_keys = 10'000;
  shape.room_version = "12";
  shape.seed = 42;
  bool parse = true;
  std::vector<std::string> text;  // the events' canonical JSON (kept with --graph)
  bool graph_mode = false;
  bool with_reach = false;
  bool with_delta = false;
  int repeat = 1;
  std::string write_dir;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--events")) shape.total_events = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--sets")) shape.state_sets = std::atoi(next());
    else if (!std::strcmp(argv[i], "--conflicted")) shape.conflicted_keys = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--version")) shape.room_version = next();
    else if (!std::strcmp(argv[i], "--churn-depth")) shape.churn_depth = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--seed")) shape.seed = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(next());
    else if (!std::strcmp(argv[i], "--no-parse")) parse = false;
    else if (!std::strcmp(argv[i], "--graph")) graph_mode = true;
    else if (!std::strcmp(argv[i], "--reach")) with_reach = true;
    else if (!std::strcmp(argv[i], "--delta"))
      with_delta = graph_mode = true;
    else if (!std::strcmp(argv[i], "--write")) write_dir = next();
    else {
      std::fprintf(stderr,
                   "usage: %s [--events N] [--sets K] [--conflicted C] [--version V] "
                   "[--churn-depth D] [--seed S] [--no-parse] [--graph] [--reach] [--delta] "
                   "[--repeat R] "
                   "[--write DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  std::printf("shape: %s\n", mxstate::bench::DescribeShape(shape).c_str());
  std::printf("start      peak_rss %8.1f MiB   rss %8.1f MiB\n", PeakMiB(), RssMiB());

  auto t = Clock::now();
  g_cpu_start = CpuMs();
  mxstate::bench::Room room = mxstate::bench::GenerateRoom(shape);
  size_t entries = 0;
  for (const auto& s : room.state_sets) entries += s.size();
  Report("generate", t, mxstate::bench::DescribeStats(room.stats) + " state_entries=" +
                            std::to_string(entries));
  if (!write_dir.empty()) {
    t = Clock::now();
    g_cpu_start = CpuMs();
    if (!WriteRoom(room, write_dir)) return 1;
    Report("write", t, write_dir + "/events.jsonl and " + std::to_string(room.state_sets.size()) +
                           " set files");
    return 0;
  }

  if (parse) {
    t = Clock::now();
    g_cpu_start = CpuMs();
    text = mxstate::bench::SerialiseEvents(room);
    size_t bytes = 0;
    for (const auto& s : text) bytes += s.size();
    Report("serialise", t, std::to_string(bytes / 1048576) + " MiB of canonical JSON, " +
                               std::to_string(bytes / text.size()) + " B/event");
    // Free the generated DOM; the resolution will read the parsed one.
    room.events.clear();
    room.events.shrink_to_fit();
    t = Clock::now();
    g_cpu_start = CpuMs();
    mxstate::ParseOptions options;
    options.numbers = mxstate::NumberPolicy::kStrict;
    room.events.reserve(text.size());
    for (const std::string& s : text) {
      auto parsed = mxstate::ParseJson(s, options);
      if (!parsed) {
        std::fprintf(stderr, "parse failed: %s\n", parsed.error().ToString().c_str());
        return 1;
      }
      room.events.push_back(*std::move(parsed));
    }
    double per = std::chrono::duration<double, std::nano>(Clock::now() - t).count() /
                 static_cast<double>(text.size());
    if (!graph_mode) {
      text.clear();
      text.shrink_to_fit();
    }
    Report("parse", t, std::to_string(static_cast<long>(per)) + " ns/event, every DOM kept");
  }

  mxstate::bench::RoomSource source(&room.events, &room.ids);
  if (graph_mode) {
    // The persistent form: build the graph once, convert the state sets
    // once, then resolve over it.
    t = Clock::now();
    g_cpu_start = CpuMs();
    mxstate::EventGraph graph(*room.rules);
    for (const std::string& id : room.ids) {
      if (auto r = graph.Add(id, source); !r) {
        std::fprintf(stderr, "graph failed: %s\n", r.error().ToString().c_str());
        return 1;
      }
    }
    const mxstate::ReachIndex* index = graph.reach_index();
    Report("graph", t, std::to_string(graph.size()) + " events, " +
                           std::to_string(graph.MemoryBytes() >> 20) + " MiB, " +
                           (index ? std::to_string(index->chain_count()) + " chains, " +
                                        std::to_string(index->label_entries()) + " label entries"
                                  : std::string("no index")));
    t = Clock::now();
    g_cpu_start = CpuMs();
    std::vector<mxstate::GraphState> sets;
    for (size_t i = 0; i < room.state_sets.size(); ++i) {
      auto s = mxstate::AddState(room.state_sets[i], source, graph, i + 1);
      if (!s) {
        std::fprintf(stderr, "state set failed: %s\n", s.error().ToString().c_str());
        return 1;
      }
      sets.push_back(*std::move(s));
    }
    Report("states", t, std::to_string(sets.size()) + " state sets as GraphStates");
    mxstate::StateResWorkspace workspace;  // reused across the repeats
    mxstate::StateResOptions options;
    options.workspace = &workspace;
    // Per phase, the fastest call (CPU ms) and the events it walked.
    std::map<std::string, std::pair<double, size_t>> fastest;
    auto note = [&](const char* phase, size_t walked) {
      const double cpu = CpuMs() - g_cpu_start;
      auto [it, added] = fastest.emplace(phase, std::make_pair(cpu, walked));
      if (!added && cpu < it->second.first) it->second = {cpu, walked};
    };
    // `input`: the GraphStates or the deltas.
    auto resolve = [&](const char* phase, const auto& input) {
      for (int r = 0; r < repeat; ++r) {
        t = Clock::now();
        g_cpu_start = CpuMs();
        auto result = mxstate::ResolveState(input, graph, options);
        if (!result) {
          std::fprintf(stderr, "resolve failed: %s\n", result.error().ToString().c_str());
          return false;
        }
        note(phase, result->details.events_walked);
        std::string state;
        if constexpr (requires { result->state.changes; }) {
          state = "resolved state as " + std::to_string(result->state.changes.size()) + " changes";
        } else {
          state = "resolved state " + std::to_string(result->state.entries.size()) + " keys";
        }
        Report(phase, t,
               state + ", walked " + std::to_string(result->details.events_walked) + " events");
      }
      return true;
    };
    if (!resolve("resolve-g", sets)) return 1;
    if (with_reach) {
      // The same resolutions again, the sets carrying their StateReach.
      t = Clock::now();
      g_cpu_start = CpuMs();
      size_t words = 0;
      for (mxstate::GraphState& set : sets) {
        mxstate::ComputeStateReach(graph, &set);
        if (set.reach) words += set.reach->best.size();
      }
      Report("reach", t, std::to_string(sets.size()) + " StateReach, " +
                             std::to_string(words * 4 >> 20) + " MiB");
      if (!resolve("resolve-r", sets)) return 1;
    }
    if (with_delta) {
      // As a server keeps state groups: every set as changes to the first
      // set's state, each with the StateReach of its whole state.
      t = Clock::now();
      g_cpu_start = CpuMs();
      auto base = std::make_shared<const mxstate::GraphState>(sets[0]);
      std::vector<mxstate::GraphStateDelta> deltas;
      size_t changes = 0;
      for (const mxstate::GraphState& set : sets) {
        deltas.push_back(mxstate::DeltaOf(base, set));
        changes += deltas.back().changes.size();
      }
      Report("deltas", t,
             std::to_string(deltas.size()) + " deltas, " + std::to_string(changes) +
                 " changes in all");
      // Derived from the base's StateReach where the changes allow (the
      // base is the first set, which carries one after --reach).
      t = Clock::now();
      g_cpu_start = CpuMs();
      for (mxstate::GraphStateDelta& delta : deltas) mxstate::ComputeStateReach(graph, &delta);
      Report(
          "reach-d", t,
          std::string("the deltas' StateReach") +
              (base->reach != nullptr ? ", from the base's where possible" : ", computed whole"));
      if (!resolve("resolve-d", deltas)) return 1;
    }
    // The least a resolution of whole sets must do: read every set (compared
    // with the first by memcmp in blocks, vectorised) and write a result as
    // large as the first set into a fresh vector, as ResolveState returns
    // it. No resolution given whole states can cost less than this.
    double floor_ms = 1e300;
    for (int r = 0; r < repeat; ++r) {
      t = Clock::now();
      g_cpu_start = CpuMs();
      size_t differing_blocks = 0;
      constexpr size_t kBlock = 32;
      for (size_t i = 1; i < sets.size(); ++i) {
        const size_t n = std::min(sets[0].entries.size(), sets[i].entries.size());
        for (size_t at = 0; at < n; at += kBlock) {
          const size_t len = std::min(kBlock, n - at) * sizeof(sets[0].entries[0]);
          differing_blocks +=
              std::memcmp(sets[0].entries.data() + at, sets[i].entries.data() + at, len) != 0;
        }
      }
      const std::vector<std::pair<mxstate::KeyIndex, mxstate::EventIndex>> result = sets[0].entries;
      floor_ms = std::min(floor_ms, CpuMs() - g_cpu_start);
      Report("floor", t,
             std::to_string(differing_blocks) + " differing blocks, a result of " +
                 std::to_string(result.size()) + " entries");
    }
    if (!text.empty()) {
      // Parsing what a resolution walks, at this run's parse-then-free rate.
      t = Clock::now();
      g_cpu_start = CpuMs();
      mxstate::ParseOptions parse_options;
      parse_options.numbers = mxstate::NumberPolicy::kStrict;
      for (const std::string& one : text) {
        auto parsed = mxstate::ParseJson(one, parse_options);
        if (!parsed) return 1;
      }
      const double ns = (CpuMs() - g_cpu_start) * 1e6 / static_cast<double>(text.size());
      Report("parse-free", t, std::to_string(static_cast<long>(ns)) + " ns/event");
      for (const auto& [phase, best] : fastest) {
        const double parse_ms = ns * static_cast<double>(best.second) / 1e6;
        std::printf("%-10s fastest %.2f ms, parsing its %zu walked events %.2f ms: %.2fx\n",
                    phase.c_str(), best.first, best.second, parse_ms, best.first / parse_ms);
      }
      std::printf(
          "floor      fastest %.2f ms: reading the whole sets and writing a whole result, "
          "nothing else\n",
          floor_ms);
    }
    return 0;
  }
  for (int r = 0; r < repeat; ++r) {
    t = Clock::now();
    g_cpu_start = CpuMs();
    auto result = mxstate::ResolveState(room.state_sets, source, *room.rules);
    if (!result) {
      std::fprintf(stderr, "resolve failed: %s\n", result.error().ToString().c_str());
      return 1;
    }
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    Report("resolve", t, "resolved state " + std::to_string(result->state.size()) + " keys, " +
                             std::to_string(static_cast<long>(ms * 1e6 / room.events.size())) +
                             " ns per room event");
  }
  return 0;
}
