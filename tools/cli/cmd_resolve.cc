// mxstate resolve / auth-chain: state resolution over given events and
// state sets, and an event's auth chain.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/event_files.h"
#include "mxstate/event_hashes.h"
#include "mxstate/state_res.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

// Events by their declared or computed IDs.
class FileEventSource : public EventSource {
 public:
  const Json* Find(std::string_view id) const override {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  // Error state_res.duplicate_event when two different events share an ID.
  Result<void> Add(const std::vector<Json>& events, const RoomVersionRules& rules) {
    for (const Json& event : events) {
      std::string id = DeclaredOrComputedEventId(event, rules);
      auto [it, inserted] = by_id_.emplace(id, &event);
      if (!inserted && !(*it->second == event)) {
        return Fail("state_res.duplicate_event", "state resolution input",
                    "two different events have the ID " + id);
      }
    }
    return {};
  }

 private:
  std::map<std::string, const Json*, std::less<>> by_id_;
};

// A state set file: a JSON array of event IDs, or one ID per line.
Result<std::vector<std::string>> ReadIds(const std::string& path) {
  Result<std::string> text = ReadInput(path);
  if (!text) return Fail(text.error());
  std::vector<std::string> ids;
  std::string_view rest = *text;
  size_t first = rest.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && rest[first] == '[') {
    Result<Json> list = ParseJson(rest);
    if (!list || !list->is_array()) {
      return Fail("input.bad_state_set", "mxstate resolve",
                  path + ": expected a JSON array of event IDs");
    }
    for (const Json& id : list->as_array()) {
      if (!id.is_string()) {
        return Fail("input.bad_state_set", "mxstate resolve", path + ": IDs must be strings");
      }
      ids.push_back(id.as_string());
    }
    return ids;
  }
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty()) ids.emplace_back(line);
  }
  return ids;
}

Json KeyJson(const StateKey& key) {
  Json out = Json::EmptyObject();
  out.Set("type", Json(key.type));
  out.Set("state_key", Json(key.state_key));
  return out;
}

Json ResolutionJson(const Resolution& r, bool explain) {
  Json out = Json::EmptyObject();
  Json state = Json::EmptyObject();
  for (const auto& [key, id] : r.state) {
    Json* by_type = state.Find(key.type);
    if (by_type == nullptr) by_type = &state.Set(key.type, Json::EmptyObject());
    by_type->Set(key.state_key, Json(id));
  }
  out.Set("state", std::move(state));
  Json::Array warnings;
  for (const Error& w : r.warnings) warnings.push_back(ErrorJson(w));
  out.Set("warnings", Json(std::move(warnings)));
  if (!explain) return out;
  Json e = Json::EmptyObject();
  Json::Array conflicted, unconflicted, difference, subgraph, power, mainline, order, checks;
  for (const StateKey& k : r.conflicted_keys) conflicted.push_back(KeyJson(k));
  for (const StateKey& k : r.unconflicted_keys) unconflicted.push_back(KeyJson(k));
  for (const auto& id : r.auth_difference) difference.emplace_back(id);
  for (const auto& id : r.conflicted_subgraph) subgraph.emplace_back(id);
  for (const PowerOrderEntry& p : r.power_order) {
    Json j = Json::EmptyObject();
    j.Set("event_id", Json(p.event_id));
    j.Set("sender_power", p.sender_power == kInfinitePower ? Json("infinite") : Json(p.sender_power));
    j.Set("origin_server_ts", Json(p.origin_server_ts));
    power.push_back(std::move(j));
  }
  for (const auto& id : r.mainline) mainline.emplace_back(id);
  for (const MainlineOrderEntry& m : r.mainline_order) {
    Json j = Json::EmptyObject();
    j.Set("event_id", Json(m.event_id));
    j.Set("mainline_position", m.mainline_position < 0 ? Json("infinite") : Json(m.mainline_position));
    j.Set("origin_server_ts", Json(m.origin_server_ts));
    order.push_back(std::move(j));
  }
  for (const AuthCheckRecord& c : r.checks) {
    Json j = Json::EmptyObject();
    j.Set("event_id", Json(c.event_id));
    j.Set("phase", Json(c.phase));
    j.Set("allowed", Json(c.allowed));
    j.Set("rule", Json(c.rule));
    if (!c.allowed) j.Set("code", Json(c.code));
    checks.push_back(std::move(j));
  }
  e.Set("conflicted_keys", Json(std::move(conflicted)));
  e.Set("unconflicted_keys", Json(std::move(unconflicted)));
  e.Set("auth_difference", Json(std::move(difference)));
  e.Set("conflicted_subgraph", Json(std::move(subgraph)));
  e.Set("power_order", Json(std::move(power)));
  e.Set("mainline", Json(std::move(mainline)));
  e.Set("mainline_order", Json(std::move(order)));
  e.Set("auth_checks", Json(std::move(checks)));
  out.Set("explain", std::move(e));
  return out;
}

// --timings: each phase's wall and CPU time on stderr, so that one run
// shows what resolving costs next to reading and parsing the events it was
// given (docs/benchmarks.md, "The CLI on generated files").
class PhaseClock {
 public:
  explicit PhaseClock(bool on) : on_(on) { Restart(); }
  void Restart() {
    wall_ = std::chrono::steady_clock::now();
    cpu_ = std::clock();
  }
  // Prints the phase and returns its CPU milliseconds.
  double Report(const char* phase, const std::string& what) {
    double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_)
                      .count();
    double cpu = 1000.0 * static_cast<double>(std::clock() - cpu_) / CLOCKS_PER_SEC;
    if (on_) {
      std::fprintf(stderr, "timing: %-22s %10.1f ms wall %10.1f ms cpu  %s\n", phase, wall, cpu,
                   what.c_str());
    }
    Restart();
    return cpu;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point wall_;
  std::clock_t cpu_;
};

std::string KeyText(const StateKey& k) { return k.type + " \"" + k.state_key + "\""; }

void PrintExplanation(const Resolution& r, const RoomVersionRules& rules) {
  std::cout << "algorithm: state resolution " << ToString(rules.state_res) << " (room version "
            << rules.id << ")\n";
  std::cout << "unconflicted keys: " << r.unconflicted_keys.size() << "\n";
  std::cout << "conflicted keys:\n";
  for (const StateKey& k : r.conflicted_keys) std::cout << "  " << KeyText(k) << "\n";
  if (!r.auth_difference.empty()) {
    std::cout << "auth difference:";
    for (const auto& id : r.auth_difference) std::cout << " " << id;
    std::cout << "\n";
  }
  if (!r.conflicted_subgraph.empty()) {
    std::cout << "conflicted subgraph:";
    for (const auto& id : r.conflicted_subgraph) std::cout << " " << id;
    std::cout << "\n";
  }
  if (!r.power_order.empty()) {
    std::cout << "power events, reverse topological power order (sender power, origin_server_ts):\n";
    for (const PowerOrderEntry& p : r.power_order) {
      std::cout << "  " << p.event_id << " ("
                << (p.sender_power == kInfinitePower ? std::string("infinite")
                                                     : std::to_string(p.sender_power))
                << ", " << p.origin_server_ts << ")\n";
    }
  }
  if (!r.mainline.empty()) {
    std::cout << "mainline (P0 first):";
    for (const auto& id : r.mainline) std::cout << " " << id;
    std::cout << "\n";
  }
  if (!r.mainline_order.empty()) {
    std::cout << "other events, mainline order (position, origin_server_ts):\n";
    for (const MainlineOrderEntry& m : r.mainline_order) {
      std::cout << "  " << m.event_id << " ("
                << (m.mainline_position < 0 ? std::string("infinite")
                                            : std::to_string(m.mainline_position))
                << ", " << m.origin_server_ts << ")\n";
    }
  }
  if (!r.checks.empty()) {
    std::cout << "auth checks:\n";
    for (const AuthCheckRecord& c : r.checks) {
      std::cout << "  [" << c.phase << "] " << c.event_id << " "
                << (c.allowed ? "allowed" : "rejected " + c.code) << " (" << c.rule << ")\n";
    }
  }
  std::cout << "resolved state:\n";
}

}  // namespace

int RunResolve(const Args& args) {
  po::options_description options("Options");
  std::string events_file, input_file, room_version;
  std::vector<std::string> set_files;
  bool explain = false, json = false, timings = false;
  size_t max_events = StateResOptions{}.max_events;
  options.add_options()
      ("events", po::value(&events_file), "the events: a JSON array, one per line, or one")
      ("state-set", po::value(&set_files)->multitoken(),
       "a state set: a file of event IDs (JSON array or one per line); two or more")
      ("input", po::value(&input_file),
       "instead of --events/--state-set: one JSON document {\"events\": [...], "
       "\"state_sets\": [[ids]...]} (the state-res suite's input)")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("max-events", po::value(&max_events), "bound on the events one resolution may reach")
      ("explain", po::bool_switch(&explain),
       "show conflicted keys, the power order with sort keys, the mainline and every auth check")
      ("json", po::bool_switch(&json), "print one JSON document")
      ("timings", po::bool_switch(&timings),
       "print each phase's wall and CPU time to stderr (reading and parsing the events, "
       "their IDs, the state sets, the resolution)");
  po::positional_options_description positional;
  positional.add("state-set", -1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate resolve --events FILE SET1 SET2 [SET...] [--room-version V] [--explain] [--json]\n"
           "                [--timings]\n"
           "       mxstate resolve --input DOC [--room-version V] [--explain] [--json] [--timings]",
           "Resolves two or more room states with the room version's algorithm\n"
           "(v1 for room version 1, v2 for 2-11, v2.1 for 12) and prints the\n"
           "resolved state, one `type \"state_key\" event_id` line per key.\n"
           "Events may carry readable `event_id` fields; otherwise IDs are computed.\n"
           "Exit 0 resolved, 1 the input was refused (unknown events in a state\n"
           "set, cycles), 2 usage, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  std::vector<Json> events;
  std::vector<std::vector<std::string>> sets;
  PhaseClock clock(timings);
  double parse_cpu = 0;
  if (!input_file.empty()) {
    Result<Json> doc = ReadOneEvent(input_file);
    if (!doc) {
      PrintError(doc.error());
      return kExitNoVerdict;
    }
    const Json* ev = doc->Find("events");
    const Json* ss = doc->Find("state_sets");
    if (ev == nullptr || !ev->is_array() || ss == nullptr || !ss->is_array()) {
      PrintError({"input.bad_document", "mxstate resolve",
                  "--input needs {\"events\": [...], \"state_sets\": [[...], ...]}"});
      return kExitNoVerdict;
    }
    events = ev->as_array();
    for (const Json& set : ss->as_array()) {
      std::vector<std::string> ids;
      if (set.is_array()) {
        for (const Json& id : set.as_array()) {
          if (id.is_string()) ids.push_back(id.as_string());
        }
      }
      sets.push_back(std::move(ids));
    }
    parse_cpu = clock.Report("read+parse input", std::to_string(events.size()) + " events");
  } else {
    if (events_file.empty() || set_files.size() < 2) {
      throw UsageError("give --events and at least two state sets, or --input");
    }
    Result<std::vector<Json>> read = ReadEvents(events_file);
    if (!read) {
      PrintError(read.error());
      return kExitNoVerdict;
    }
    events = std::move(*read);
    parse_cpu = clock.Report("read+parse events", std::to_string(events.size()) + " events");
    for (const std::string& path : set_files) {
      Result<std::vector<std::string>> ids = ReadIds(path);
      if (!ids) {
        PrintError(ids.error());
        return kExitNoVerdict;
      }
      sets.push_back(std::move(*ids));
    }
    clock.Report("read state sets", std::to_string(sets.size()) + " files");
  }
  Result<const RoomVersionRules*> rules = ChooseRoomVersion(room_version, events);
  if (!rules) {
    PrintError(rules.error());
    return kExitUsage;
  }
  FileEventSource source;
  if (auto r = source.Add(events, **rules); !r) {
    PrintError(r.error());
    return kExitNo;
  }
  clock.Report("index event IDs", "");
  std::vector<StateMap> state_sets;
  size_t entries = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    StateMap map;
    for (const std::string& id : sets[i]) {
      const Json* event = source.Find(id);
      const std::string* type = event ? event->FindString("type") : nullptr;
      const std::string* state_key = event ? event->FindString("state_key") : nullptr;
      if (type == nullptr || state_key == nullptr) {
        PrintError({"state_res.unknown_event", "state resolution input",
                    "state set " + std::to_string(i + 1) + " names " + id +
                        ", which is not a state event among the events"});
        return kExitNo;
      }
      map[StateKey{*type, *state_key}] = id;
    }
    entries += map.size();
    state_sets.push_back(std::move(map));
  }
  clock.Report("state maps", std::to_string(entries) + " entries");
  StateResOptions res_options;
  res_options.max_events = max_events;
  res_options.explain = explain;
  Result<Resolution> resolved = ResolveState(state_sets, source, **rules, res_options);
  if (!resolved) {
    PrintError(resolved.error());
    return kExitNo;
  }
  const double resolve_cpu = clock.Report(
      "resolve", std::to_string(resolved->state.size()) + " keys, walked " +
                     std::to_string(resolved->events_walked) + " events");
  if (timings && parse_cpu > 0) {
    std::fprintf(stderr, "timing: resolve / read+parse = %.2f (CPU)\n", resolve_cpu / parse_cpu);
  }
  if (json) {
    PrintJson(ResolutionJson(*resolved, explain));
    return kExitOk;
  }
  if (explain) PrintExplanation(*resolved, **rules);
  for (const auto& [key, id] : resolved->state) {
    std::cout << key.type << " \"" << key.state_key << "\" " << id << "\n";
  }
  for (const Error& w : resolved->warnings) PrintError(w);
  return kExitOk;
}

int RunAuthChain(const Args& args) {
  po::options_description options("Options");
  std::string event_id, events_file, room_version;
  bool json = false;
  options.add_options()
      ("event-id", po::value(&event_id)->required(), "the event whose auth chain to print")
      ("events", po::value(&events_file)->required(),
       "the events: a JSON array, one per line, or one")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("json", po::bool_switch(&json), "print {\"auth_chain\": [...], \"missing\": [...]}");
  po::positional_options_description positional;
  positional.add("event-id", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate auth-chain EVENT-ID --events FILE [--room-version V] [--json]",
           "Prints the auth chain of EVENT-ID: every event reachable through\n"
           "auth_events, the event itself excluded, nearest first. Events cited but\n"
           "missing from FILE are listed as missing.\n"
           "Exit 0 complete, 1 some auth events are missing, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  Result<std::vector<Json>> events = ReadEvents(events_file);
  if (!events) {
    PrintError(events.error());
    return kExitNoVerdict;
  }
  Result<const RoomVersionRules*> rules = ChooseRoomVersion(room_version, *events);
  if (!rules) {
    PrintError(rules.error());
    return kExitUsage;
  }
  FileEventSource source;
  if (auto r = source.Add(*events, **rules); !r) {
    PrintError(r.error());
    return kExitNo;
  }
  Result<AuthChainResult> chain = AuthChain(event_id, source, **rules);
  if (!chain) {
    PrintError(chain.error());
    return chain.error().code == "state_res.unknown_event" ? kExitNoVerdict : kExitNo;
  }
  if (json) {
    Json out = Json::EmptyObject();
    Json::Array ids, missing;
    for (const auto& id : chain->chain) ids.emplace_back(id);
    for (const auto& id : chain->missing) missing.emplace_back(id);
    out.Set("auth_chain", Json(std::move(ids)));
    out.Set("missing", Json(std::move(missing)));
    PrintJson(out);
  } else {
    for (const auto& id : chain->chain) std::cout << id << "\n";
    for (const auto& id : chain->missing) std::cout << "missing: " << id << "\n";
  }
  return chain->missing.empty() ? kExitOk : kExitNo;
}

}  // namespace mxstate::cli
