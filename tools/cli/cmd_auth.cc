// mxstate auth / auth-events: the authorization rules on one event, and the
// auth events an event must cite given a room state.
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "cli/event_files.h"
#include "mxstate/auth.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"

namespace mxstate::cli {
namespace po = boost::program_options;
namespace {

Json DecisionJson(const std::string& event_id, const AuthDecision& d) {
  Json out = Json::EmptyObject();
  out.Set("event_id", Json(event_id));
  out.Set("allowed", Json(d.allowed));
  out.Set("rule", Json(d.rule));
  if (!d.allowed) out.Set("error", ErrorJson(d.error));
  Json::Array trace;
  for (const std::string& step : d.trace) trace.emplace_back(step);
  out.Set("trace", Json(std::move(trace)));
  return out;
}

}  // namespace

int RunAuth(const Args& args) {
  po::options_description options("Options");
  std::string event_file, auth_file, room_version;
  std::vector<std::string> rejected;
  bool explain = false, json = false;
  options.add_options()
      ("event", po::value(&event_file)->required(), "file with the event to check")
      ("auth-events", po::value(&auth_file)->required(),
       "its auth events: a JSON array, one event, or JSON Lines (v12: include the create event)")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("rejected", po::value(&rejected)->multitoken(),
       "IDs of auth events to treat as rejected")
      ("explain", po::bool_switch(&explain), "print every rule consulted")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("event", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate auth EVENT --auth-events FILE [--room-version V] [--explain] [--json]",
           "Runs the authorization rules of the room version on EVENT with the\n"
           "events it cites as its auth events: first the checks on the auth_events\n"
           "list (duplicates, entries the selection would not pick, rejected or\n"
           "foreign entries, the create event), then the rules against the state\n"
           "those events form. Every event must first hold only the numbers the\n"
           "room version's canonical JSON allows (v6+: integers within\n"
           "+-(2^53-1)); json.integer_out_of_range or json.float_forbidden otherwise.\n"
           "Prints `allowed (<rule>)` or `rejected: <code>:\n"
           "<why> (<rule>)`. Events may carry an `event_id` field (readable IDs\n"
           "such as $alice-join are fine); otherwise IDs are computed.\n"
           "Exit 0 allowed, 1 rejected, 2 usage, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  Result<Json> event = ReadOneEvent(event_file);
  if (!event) {
    PrintError(event.error());
    return kExitNoVerdict;
  }
  Result<std::vector<Json>> auth_events = ReadEvents(auth_file);
  if (!auth_events) {
    PrintError(auth_events.error());
    return kExitNoVerdict;
  }
  Result<const RoomVersionRules*> rules = ChooseRoomVersion(room_version, *auth_events);
  if (!rules) {
    PrintError(rules.error());
    return kExitUsage;
  }
  // The files were read leniently; the room version's canonical JSON
  // decides which numbers an event may hold (v6+: integers within
  // +-(2^53-1)), as it does in the vectors' auth suite. Such an event is
  // invalid before any rule runs.
  std::optional<Error> bad_numbers;
  if (auto r = CheckNumbers(*event, (*rules)->canonical_json); !r) bad_numbers = r.error();
  for (const Json& e : *auth_events) {
    if (bad_numbers) break;
    if (auto r = CheckNumbers(e, (*rules)->canonical_json); !r) {
      bad_numbers = r.error();
      bad_numbers->message = "an auth event: " + bad_numbers->message;
    }
  }
  std::vector<AuthEvent> entries;
  for (const Json& e : *auth_events) {
    std::string id = DeclaredOrComputedEventId(e, **rules);
    bool is_rejected = std::find(rejected.begin(), rejected.end(), id) != rejected.end();
    entries.push_back(AuthEvent{&e, std::move(id), is_rejected});
  }
  AuthDecision decision;
  if (bad_numbers) {
    decision.allowed = false;
    decision.rule = bad_numbers->rule;
    decision.error = *std::move(bad_numbers);
  } else {
    decision = AuthorizeWithAuthEvents(*event, entries, **rules);
  }
  std::string event_id = DeclaredOrComputedEventId(*event, **rules);
  if (json) {
    PrintJson(DecisionJson(event_id, decision));
  } else {
    if (explain) {
      for (const std::string& step : decision.trace) std::cout << "  " << step << "\n";
    }
    if (decision.allowed) {
      std::cout << event_id << " allowed (" << decision.rule << ")\n";
    } else {
      std::cout << event_id << " rejected: " << decision.error.code << ": "
                << decision.error.message << " (" << decision.error.rule << ")\n";
    }
  }
  return decision.allowed ? kExitOk : kExitNo;
}

int RunAuthEvents(const Args& args) {
  po::options_description options("Options");
  std::string event_file, state_file, room_version;
  bool json = false;
  options.add_options()
      ("event", po::value(&event_file)->required(), "file with the event")
      ("state", po::value(&state_file)->required(),
       "the room state: state events as a JSON array, one per line, or one")
      ("room-version", po::value(&room_version),
       "the room version (default: the create event's content.room_version)")
      ("json", po::bool_switch(&json), "print one JSON document");
  po::positional_options_description positional;
  positional.add("event", 1);
  po::variables_map vm;
  if (!ParseCommandLine(
          args, options, positional,
          {"mxstate auth-events EVENT --state FILE [--room-version V] [--json]",
           "Prints the auth events EVENT must cite according to the auth events\n"
           "selection (server-server API), looked up in the given state, and\n"
           "compares them with the event's own auth_events field.\n"
           "Exit 0 when the event cites exactly those events, 1 when it differs,\n"
           "2 usage, 3 unreadable input.\n"},
          &vm)) {
    return kExitOk;
  }
  Result<Json> event = ReadOneEvent(event_file);
  if (!event) {
    PrintError(event.error());
    return kExitNoVerdict;
  }
  Result<std::vector<Json>> state = ReadEvents(state_file);
  if (!state) {
    PrintError(state.error());
    return kExitNoVerdict;
  }
  Result<const RoomVersionRules*> rules = ChooseRoomVersion(room_version, *state);
  if (!rules) {
    PrintError(rules.error());
    return kExitUsage;
  }
  // The state map: (type, state_key) -> ID; later events replace earlier.
  std::map<std::pair<std::string, std::string>, std::string> by_key;
  for (const Json& e : *state) {
    const std::string* type = e.FindString("type");
    const std::string* state_key = e.FindString("state_key");
    if (type && state_key) by_key[{*type, *state_key}] = DeclaredOrComputedEventId(e, **rules);
  }
  std::vector<std::string> cited;
  if (const Json* list = event->Find("auth_events"); list && list->is_array()) {
    for (const Json& item : list->as_array()) {
      const Json* id = item.is_array() && !item.as_array().empty() ? &item.as_array()[0] : &item;
      if (id->is_string()) cited.push_back(id->as_string());
    }
  }
  std::vector<std::string> expected;
  Json::Array selection;
  for (const StateKey& key : AuthEventSelection(*event, **rules)) {
    auto it = by_key.find({key.type, key.state_key});
    Json entry = Json::EmptyObject();
    entry.Set("type", Json(key.type));
    entry.Set("state_key", Json(key.state_key));
    if (it != by_key.end()) {
      entry.Set("event_id", Json(it->second));
      expected.push_back(it->second);
    }
    selection.push_back(std::move(entry));
  }
  std::vector<std::string> missing, extra;
  for (const std::string& id : expected) {
    if (std::find(cited.begin(), cited.end(), id) == cited.end()) missing.push_back(id);
  }
  for (const std::string& id : cited) {
    if (std::find(expected.begin(), expected.end(), id) == expected.end()) extra.push_back(id);
  }
  bool matches = missing.empty() && extra.empty();
  if (json) {
    Json out = Json::EmptyObject();
    out.Set("selection", Json(std::move(selection)));
    Json::Array m, x;
    for (auto& id : missing) m.emplace_back(id);
    for (auto& id : extra) x.emplace_back(id);
    out.Set("missing", Json(std::move(m)));
    out.Set("extra", Json(std::move(x)));
    out.Set("matches", Json(matches));
    PrintJson(out);
  } else {
    for (const Json& entry : selection) {
      const std::string* id = entry.FindString("event_id");
      std::cout << *entry.FindString("type") << " \"" << *entry.FindString("state_key")
                << "\" " << (id ? *id : std::string("(not in the state)")) << "\n";
    }
    for (const auto& id : missing) std::cout << "missing from auth_events: " << id << "\n";
    for (const auto& id : extra) std::cout << "cited but not selected: " << id << "\n";
    std::cout << (matches ? "auth_events match the selection\n"
                          : "auth_events differ from the selection\n");
  }
  return matches ? kExitOk : kExitNo;
}

}  // namespace mxstate::cli
