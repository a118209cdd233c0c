// State resolution on big synthetic rooms (bench/room_shapes.h), next to
// the cost of parsing the same events from canonical JSON:
//   BM_ResolveState/v<V>/events:<N>/sets:<k>/conflicted:<C>
//       ResolveState over k full state sets (the state at the end of each
//       fork); room version 10 (v2) or 12 (v2.1). Counters: reached =
//       distinct events the resolution asked the EventSource for;
//       state_entries = k x |S|; conflicted / auth_diff / subgraph /
//       power_events / mainline_events from one explained run (untimed);
//       per_event = time / reached.
//   BM_ResolveGraph/v<V>/events:<N>/sets:<k>/conflicted:<C>, BM_ChurnGraph
//       the same over a persistent EventGraph built once (graph_build_ms,
//       states_ms reported, not timed); only the resolution is timed.
//       walked = events the resolution walked; parse_ns_per_event is
//       measured in the same run (thread CPU time, as the set-up counters); parse_walked_ms /
//       parse_room_ms = parsing the walked events / the whole room at that rate.
//   BM_ResolveGraphReach/..., BM_ResolveGraphDelta/...
//       the same with each set carrying its StateReach; and with each set
//       given as changes to the first set's state (state_delta.h), the
//       form a server keeps state groups in, with StateReach.
//   BM_ParseEvents/v<V>/events:<N>
//       ParseJson (strict numbers) of every event of the same room
//       (k = 2, C = 100 shape), each parsed then freed; items = events.
//   BM_Churn/v<V>/cycles:<K>
//       one user leaves and rejoins K times in the base and K times in each
//       of 2 forks: the auth difference is the two 2K-event membership
//       chains over a 2K-deep shared one (synapse#8622/#15245).
// The generated room is cached between consecutive benchmarks of the same
// shape. 1M-event cases run once (Iterations(1)). Run with
//   build-bench/bench/state_res_bench --benchmark_filter=... (see
//   docs/benchmarks.md "State resolution").
#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "mxstate/canonical_json.h"
#include "mxstate/state_res.h"
#include "room_shapes.h"

namespace {

using mxstate::Json;
using mxstate::bench::Room;
using mxstate::bench::RoomShape;
using mxstate::bench::RoomSource;

struct Cached {
  std::string key;
  std::unique_ptr<Room> room;
  std::vector<std::string> text;  // filled on demand
};

Cached& Cache() {
  static Cached c;
  return c;
}

Room& GetRoom(const RoomShape& shape) {
  Cached& c = Cache();
  const std::string key = mxstate::bench::DescribeShape(shape);
  if (c.key != key) {
    c.room.reset();
    c.text.clear();
    c.text.shrink_to_fit();
    c.room = std::make_unique<Room>(mxstate::bench::GenerateRoom(shape));
    c.key = key;
    std::fprintf(stderr, "# room %s: %s\n", key.c_str(),
                 mxstate::bench::DescribeStats(c.room->stats).c_str());
  }
  return *c.room;
}

// Counts the distinct events a resolution looks up.
class CountingSource : public mxstate::EventSource {
 public:
  explicit CountingSource(const Room& room)
      : inner_(&room.events, &room.ids), room_(room), seen_(room.events.size(), 0) {}
  const Json* Find(std::string_view id) const override {
    const Json* e = inner_.Find(id);
    if (e != nullptr) {
      size_t i = static_cast<size_t>(e - room_.events.data());
      if (!seen_[i]) {
        seen_[i] = 1;
        ++distinct_;
      }
    }
    return e;
  }
  size_t distinct() const { return distinct_; }

 private:
  RoomSource inner_;
  const Room& room_;
  mutable std::vector<uint8_t> seen_;
  mutable size_t distinct_ = 0;
};

void Resolve(benchmark::State& state, const RoomShape& shape) {
  Room& room = GetRoom(shape);
  const mxstate::RoomVersionRules& rules = *room.rules;
  // One explained run with a counting source (untimed): sizes and a check.
  size_t reached = 0;
  {
    CountingSource counting(room);
    mxstate::StateResOptions explain;
    explain.explain = true;
    auto r = mxstate::ResolveState(room.state_sets, counting, rules, explain);
    if (!r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    reached = counting.distinct();
    state.counters["conflicted"] = static_cast<double>(r->conflicted_keys.size());
    state.counters["auth_diff"] = static_cast<double>(r->auth_difference.size());
    state.counters["subgraph"] = static_cast<double>(r->conflicted_subgraph.size());
    state.counters["power_events"] = static_cast<double>(r->power_order.size());
    state.counters["mainline_events"] = static_cast<double>(r->mainline_order.size());
    size_t allowed = 0;
    for (const auto& c : r->checks) allowed += c.allowed;
    state.counters["checks_allowed"] = static_cast<double>(allowed);
    state.counters["checks"] = static_cast<double>(r->checks.size());
  }
  size_t entries = 0;
  for (const auto& s : room.state_sets) entries += s.size();
  RoomSource source(&room.events, &room.ids);
  for (auto _ : state) {
    auto r = mxstate::ResolveState(room.state_sets, source, rules);
    benchmark::DoNotOptimize(r);
  }
  state.counters["reached"] = static_cast<double>(reached);
  state.counters["state_entries"] = static_cast<double>(entries);
  state.counters["room_events"] = static_cast<double>(room.events.size());
  state.counters["per_event"] = benchmark::Counter(
      static_cast<double>(reached),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * reached));
}

// The persistent-graph form: the graph is built once (every event of the
// room added, untimed but reported as graph_build_ms), the state sets are
// converted once (states_ms), then only ResolveState over the graph is
// timed. The events' canonical JSON is parsed once in the same run
// (parse_ns_per_event) so the ratio to parsing needs no other benchmark.
// kReach: each set also carries its StateReach (computed once, reach_ms),
// as a caller that keeps its state sets would; kDelta: besides, the sets
// are given as changes to the first set's state (built once, delta_ms).
enum class Form { kWhole, kReach, kDelta };
const char* NameOf(Form form) {
  return form == Form::kWhole   ? "BM_ResolveGraph"
         : form == Form::kReach ? "BM_ResolveGraphReach"
                                : "BM_ResolveGraphDelta";
}
void ResolveGraph(benchmark::State& state, const RoomShape& shape, Form form) {
  const bool with_reach = form != Form::kWhole;
  // CPU time of this thread (the machine is shared; wall time over-states
  // work when other processes compete), like the CPU column.
  using Clock = double;
  struct Cpu {
    static double now() {
      timespec ts{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
    }
  };
  auto ms_since = [](Clock t) { return Cpu::now() - t; };
  Room& room = GetRoom(shape);
  RoomSource source(&room.events, &room.ids);
  auto t = Cpu::now();
  mxstate::EventGraph graph(*room.rules);
  for (const std::string& id : room.ids) {
    if (auto r = graph.Add(id, source); !r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
  }
  const double build_ms = ms_since(t);
  t = Cpu::now();
  std::vector<mxstate::GraphState> sets;
  for (size_t i = 0; i < room.state_sets.size(); ++i) {
    auto s = mxstate::AddState(room.state_sets[i], source, graph, i + 1);
    if (!s) {
      state.SkipWithError(s.error().ToString().c_str());
      return;
    }
    sets.push_back(*std::move(s));
  }
  const double states_ms = ms_since(t);
  t = Cpu::now();
  if (with_reach) {
    for (mxstate::GraphState& set : sets) mxstate::ComputeStateReach(graph, &set);
  }
  const double reach_ms = ms_since(t);
  t = Cpu::now();
  std::vector<mxstate::GraphStateDelta> deltas;
  if (form == Form::kDelta) {
    auto base = std::make_shared<const mxstate::GraphState>(sets[0]);
    for (const mxstate::GraphState& set : sets) {
      deltas.push_back(mxstate::DeltaOf(base, set));
      mxstate::ComputeStateReach(graph, &deltas.back());
    }
  }
  const double delta_ms = ms_since(t);
  // One workspace across iterations, as a caller that keeps the graph does.
  mxstate::StateResWorkspace workspace;
  mxstate::StateResOptions options;
  options.workspace = &workspace;
  // Same result as the StateMap form (checked once, untimed; this first
  // call also faults in the workspace, so the loop measures the steady
  // state).
  size_t walked = 0;
  {
    auto g = mxstate::ResolveState(sets, graph, options);
    auto m = mxstate::ResolveState(room.state_sets, source, *room.rules);
    if (!g || !m || mxstate::ToStateMap(graph, g->state) != m->state) {
      state.SkipWithError("graph and StateMap forms disagree");
      return;
    }
    walked = g->details.events_walked;
    if (form == Form::kDelta) {
      auto d = mxstate::ResolveState(deltas, graph, options);
      if (!d || mxstate::Materialize(d->state).entries != g->state.entries) {
        state.SkipWithError("delta and whole forms disagree");
        return;
      }
      walked = d->details.events_walked;
    }
  }
  // Parse cost per event in this run (all events, parse then free).
  Cached& c = Cache();
  if (c.text.empty()) c.text = mxstate::bench::SerialiseEvents(room);
  mxstate::ParseOptions parse_options;
  parse_options.numbers = mxstate::NumberPolicy::kStrict;
  t = Cpu::now();
  for (const std::string& text : c.text) {
    auto parsed = mxstate::ParseJson(text, parse_options);
    benchmark::DoNotOptimize(parsed);
  }
  const double parse_ns = ms_since(t) * 1e6 / static_cast<double>(c.text.size());
  if (form == Form::kDelta) {
    for (auto _ : state) {
      auto r = mxstate::ResolveState(deltas, graph, options);
      benchmark::DoNotOptimize(r);
    }
  } else {
    for (auto _ : state) {
      auto r = mxstate::ResolveState(sets, graph, options);
      benchmark::DoNotOptimize(r);
    }
  }
  size_t entries = 0;
  for (const auto& s : sets) entries += s.entries.size();
  state.counters["graph_build_ms"] = build_ms;
  state.counters["states_ms"] = states_ms;
  if (with_reach) state.counters["reach_ms"] = reach_ms;
  if (form == Form::kDelta) state.counters["delta_ms"] = delta_ms;
  state.counters["graph_MiB"] = static_cast<double>(graph.MemoryBytes()) / 1048576.0;
  state.counters["label_per_event"] =
      graph.reach_index() ? static_cast<double>(graph.reach_index()->label_entries()) /
                                static_cast<double>(graph.size())
                          : -1;
  state.counters["walked"] = static_cast<double>(walked);
  state.counters["state_entries"] = static_cast<double>(entries);
  state.counters["room_events"] = static_cast<double>(room.events.size());
  state.counters["parse_ns_per_event"] = parse_ns;
  // Parsing the events the resolution walks, and parsing the whole room.
  state.counters["parse_walked_ms"] = parse_ns * static_cast<double>(walked) / 1e6;
  state.counters["parse_room_ms"] = parse_ns * static_cast<double>(room.events.size()) / 1e6;
}

void ParseEvents(benchmark::State& state, const RoomShape& shape) {
  Room& room = GetRoom(shape);
  Cached& c = Cache();
  if (c.text.empty()) c.text = mxstate::bench::SerialiseEvents(room);
  size_t bytes = 0;
  for (const std::string& t : c.text) bytes += t.size();
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kStrict;
  for (auto _ : state) {
    for (const std::string& t : c.text) {
      auto parsed = mxstate::ParseJson(t, options);
      if (!parsed) {
        state.SkipWithError(parsed.error().ToString().c_str());
        return;
      }
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.counters["events"] = static_cast<double>(c.text.size());
  state.counters["avg_bytes"] = static_cast<double>(bytes) / static_cast<double>(c.text.size());
  state.counters["per_event"] = benchmark::Counter(
      static_cast<double>(c.text.size()),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.text.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

RoomShape Shape(const std::string& version, size_t events, int sets, size_t conflicted) {
  RoomShape s;
  s.room_version = version;
  s.total_events = events;
  s.state_sets = sets;
  s.conflicted_keys = conflicted;
  s.seed = 42;
  return s;
}

RoomShape ChurnShape(const std::string& version, size_t cycles) {
  RoomShape s;
  s.room_version = version;
  s.seed = 7;
  s.state_sets = 2;
  s.conflicted_keys = 2;  // PL and topic edits only, plus the churning user
  s.churn_users = 1;
  s.churn_depth = cycles;
  s.fork_churn = cycles;
  s.total_events = 3000 + 10 * cycles;
  return s;
}

void Register() {
  struct Combo {
    size_t events;
    size_t conflicted;
  };
  const Combo combos[] = {{10'000, 100},    {100'000, 100},     {100'000, 10'000},
                          {1'000'000, 100}, {1'000'000, 10'000}, {1'000'000, 100'000}};
  for (const Combo& c : combos) {
    for (const char* v : {"10", "12"}) {
      for (int sets : {2, 10}) {
        const RoomShape shape = Shape(v, c.events, sets, c.conflicted);
        auto* b = benchmark::RegisterBenchmark(
            ("BM_ResolveState/v" + std::string(v) + "/events:" + std::to_string(c.events) +
             "/sets:" + std::to_string(sets) + "/conflicted:" + std::to_string(c.conflicted))
                .c_str(),
            [shape](benchmark::State& st) { Resolve(st, shape); });
        b->Unit(benchmark::kMillisecond)->UseRealTime();
        if (c.events >= 1'000'000) b->Iterations(1);
        for (Form form : {Form::kWhole, Form::kReach, Form::kDelta}) {
          auto* g = benchmark::RegisterBenchmark(
              (std::string(NameOf(form)) + "/v" + v + "/events:" + std::to_string(c.events) +
               "/sets:" + std::to_string(sets) + "/conflicted:" + std::to_string(c.conflicted))
                  .c_str(),
              [shape, form](benchmark::State& st) { ResolveGraph(st, shape, form); });
          // Fixed iterations: the untimed set-up runs once per call.
          g->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(
              c.events >= 1'000'000 ? 10 : c.events >= 100'000 ? 50 : 200);
        }
        if (sets == 2 && c.conflicted == 100) {
          // Parse the same room's events right after (the cache still holds it).
          auto* p = benchmark::RegisterBenchmark(
              ("BM_ParseEvents/v" + std::string(v) + "/events:" + std::to_string(c.events))
                  .c_str(),
              [shape](benchmark::State& st) { ParseEvents(st, shape); });
          p->Unit(benchmark::kMillisecond)->UseRealTime();
          if (c.events >= 1'000'000) p->Iterations(1);
        }
      }
    }
  }
  for (const char* v : {"10", "12"}) {
    for (size_t k : {10, 100, 1000, 10000}) {
      const RoomShape shape = ChurnShape(v, k);
      benchmark::RegisterBenchmark(
          ("BM_Churn/v" + std::string(v) + "/cycles:" + std::to_string(k)).c_str(),
          [shape](benchmark::State& st) { Resolve(st, shape); })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      for (Form form : {Form::kWhole, Form::kReach}) {
        benchmark::RegisterBenchmark(
            (std::string(form == Form::kReach ? "BM_ChurnGraphReach" : "BM_ChurnGraph") + "/v" + v +
             "/cycles:" + std::to_string(k))
                .c_str(),
            [shape, form](benchmark::State& st) { ResolveGraph(st, shape, form); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(50);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
