#include "vectors/suites.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string_view>
#include <utility>

#include "mxstate/auth.h"
#include "mxstate/base64.h"
#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"
#include "mxstate/redaction.h"
#include "mxstate/room_version.h"
#include "mxstate/server_keys.h"
#include "mxstate/room_replay.h"
#include "mxstate/signing.h"
#include "mxstate/state_res.h"
#include "mxstate/verify_event.h"
#include "vectors/suite_restricted_join.h"

namespace mxstate::vectors {
namespace {

SuiteRun Valid(Json output) {
  SuiteRun run;
  run.valid = true;
  run.output = std::move(output);
  return run;
}

SuiteRun Invalid(Error error) {
  SuiteRun run;
  run.error = std::move(error);
  return run;
}

SuiteRun HarnessProblem(std::string message) {
  SuiteRun run;
  run.harness_problem = std::move(message);
  return run;
}

Json ObjectWith(std::string_view key, Json value) {
  Json object = Json::EmptyObject();
  object.Set(key, std::move(value));
  return object;
}

// The test's event (or object), judged by the version's number rules: the
// vector file was read leniently, so a float in a v6+ event is caught here.
Result<Json> InputValue(const VectorTest& test, std::string_view key,
                        const RoomVersionRules& rules) {
  const Json& value = *test.input->Find(key);
  if (Result<void> numbers = CheckNumbers(value, rules.canonical_json);
      !numbers) {
    return Fail(numbers.error());
  }
  return value;
}

Result<Json> InputEvent(const VectorTest& test, const RoomVersionRules& rules) {
  Result<Json> event = InputValue(test, "event", rules);
  if (event && !event->is_object()) {
    return Fail("event.not_object", "server-server API: PDUs",
                "the event is a JSON " + std::string(event->KindName()) +
                    ", not an object");
  }
  return event;
}

Result<SigningKey> InputSigningKey(const VectorTest& test) {
  const Json& key = *test.input->Find("signing_key");
  return SigningKey::FromSeedBase64(*key.FindString("seed"),
                                    *key.FindString("server_name"),
                                    *key.FindString("key_id"));
}

SuiteRun RunCanonicalJson(const VectorTest& test, NumberPolicy policy) {
  std::string bytes;
  if (const std::string* text = test.input->FindString("json")) {
    bytes = *text;
  } else {
    std::optional<std::vector<uint8_t>> decoded =
        DecodeBase64(*test.input->FindString("json_base64"));
    if (!decoded) {
      return HarnessProblem("input.json_base64 is not valid standard base64");
    }
    bytes.assign(decoded->begin(), decoded->end());
  }
  ParseOptions options;
  options.numbers = policy;
  Result<Json> parsed = ParseJson(bytes, options);
  if (!parsed) return Invalid(parsed.error());
  return Valid(ObjectWith("canonical", CanonicalJson(*parsed)));
}

SuiteRun RunContentHash(const VectorTest& test, const RoomVersionRules& rules) {
  Result<Json> event = InputEvent(test, rules);
  if (!event) return Invalid(event.error());
  return Valid(ObjectWith("sha256", ContentHashBase64(*event)));
}

SuiteRun RunRedact(const VectorTest& test, const RoomVersionRules& rules) {
  Result<Json> event = InputEvent(test, rules);
  if (!event) return Invalid(event.error());
  return Valid(ObjectWith("event", Redact(*event, rules)));
}

// Produces both the reference hash and the event ID (when the version has
// one to give); the runner compares only the keys `expected` lists.
SuiteRun RunEventId(const VectorTest& test, const RoomVersionRules& rules) {
  Result<Json> event = InputEvent(test, rules);
  if (!event) return Invalid(event.error());
  const Sha256Digest hash = ReferenceHash(*event, rules);
  Json output = ObjectWith("reference_hash", EncodeBase64(hash));
  if (rules.event_id_format == EventIdFormat::kServerChosen) {
    // v1-2: the ID is whatever the PDU carries; report it when present.
    if (const std::string* id = event->FindString("event_id")) {
      output.Set("event_id", *id);
    }
  } else {
    Result<std::string> id = EventId(*event, rules);
    if (!id) return Invalid(id.error());
    output.Set("event_id", *id);
  }
  return Valid(std::move(output));
}

SuiteRun RunSignJson(const VectorTest& test, const RoomVersionRules& rules) {
  Result<SigningKey> key = InputSigningKey(test);
  if (!key) return Invalid(key.error());
  Result<Json> object = InputValue(test, "json", rules);
  if (!object) return Invalid(object.error());
  if (Result<void> signed_ok = SignJson(&*object, *key); !signed_ok) {
    return Invalid(signed_ok.error());
  }
  return Valid(ObjectWith("json", std::move(*object)));
}

SuiteRun RunSignEvent(const VectorTest& test, const RoomVersionRules& rules) {
  Result<SigningKey> key = InputSigningKey(test);
  if (!key) return Invalid(key.error());
  Result<Json> event = InputEvent(test, rules);
  if (!event) return Invalid(event.error());
  if (Result<void> signed_ok = SignEvent(&*event, *key, rules); !signed_ok) {
    return Invalid(signed_ok.error());
  }
  return Valid(ObjectWith("event", std::move(*event)));
}

SuiteRun RunVerifyEvent(const VectorTest& test, const RoomVersionRules& rules) {
  KeyRing keys;
  if (Result<void> added = keys.AddSimpleMap(*test.input->Find("server_keys"));
      !added) {
    return HarnessProblem("input.server_keys: " + added.error().ToString());
  }
  // The format check (numbers included) is VerifyEvent's first step.
  const EventVerification verification =
      VerifyEvent(*test.input->Find("event"), rules, keys);
  // Reported for people reading the JSON report; the suite has no expected
  // output to compare it with.
  Json output = ObjectWith("verdict", std::string(ToString(verification.verdict)));
  if (!verification.event_id.empty()) {
    output.Set("event_id", verification.event_id);
  }
  if (verification.ok()) return Valid(std::move(output));
  SuiteRun run;
  run.output = std::move(output);
  run.error = verification.problems.empty()
                  ? Error{"verify." + std::string(ToString(verification.verdict)),
                          "server-server API: validating received events",
                          "verdict " +
                              std::string(ToString(verification.verdict))}
                  : verification.problems.front();
  return run;
}

// auth: the event against the events its auth_events field names (plus,
// in v12, the create event its room_id names). Events go by their
// `event_id` field when they have one (the format's convention).
SuiteRun RunAuth(const VectorTest& test, const RoomVersionRules& rules) {
  Result<Json> event = InputEvent(test, rules);
  if (!event) return Invalid(event.error());
  const Json& list = *test.input->Find("auth_events");
  if (!list.is_array()) return HarnessProblem("input.auth_events must be an array");
  // Optional extension of the format: IDs of supplied auth events that were
  // themselves rejected on receipt (rule 2.3 / v12 3.3).
  std::vector<std::string> rejected;
  if (const Json* list_rejected = test.input->Find("rejected_auth_events")) {
    if (!list_rejected->is_array()) return HarnessProblem("input.rejected_auth_events must be an array");
    for (const Json& id : list_rejected->as_array()) {
      if (!id.is_string()) return HarnessProblem("input.rejected_auth_events holds event IDs");
      rejected.push_back(id.as_string());
    }
  }
  std::vector<AuthEvent> auth_events;
  for (const Json& item : list.as_array()) {
    if (!item.is_object()) return HarnessProblem("input.auth_events entries must be objects");
    if (Result<void> numbers = CheckNumbers(item, rules.canonical_json); !numbers) {
      return Invalid(numbers.error());
    }
    std::string id = DeclaredOrComputedEventId(item, rules);
    bool is_rejected = std::find(rejected.begin(), rejected.end(), id) != rejected.end();
    auth_events.push_back(AuthEvent{&item, std::move(id), is_rejected});
  }
  AuthDecision decision = AuthorizeWithAuthEvents(*event, auth_events, rules);
  if (decision.allowed) return Valid(Json());
  return Invalid(decision.error);
}

// An EventSource over the test's `events`, by their declared or computed IDs.
class VectorEventSource : public EventSource {
 public:
  const Json* Find(std::string_view id) const override {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  // False when another event already has this ID.
  bool Add(std::string id, const Json* event) { return by_id_.emplace(std::move(id), event).second; }

 private:
  std::map<std::string, const Json*, std::less<>> by_id_;
};

// state-res: resolve the state sets; output {"state": {type: {key: id}}}.
SuiteRun RunStateRes(const VectorTest& test, const RoomVersionRules& rules) {
  const Json& events = *test.input->Find("events");
  const Json& sets = *test.input->Find("state_sets");
  if (!events.is_array() || !sets.is_array()) {
    return HarnessProblem("input.events and input.state_sets must be arrays");
  }
  VectorEventSource source;
  for (const Json& event : events.as_array()) {
    if (!event.is_object()) return HarnessProblem("input.events entries must be objects");
    if (Result<void> numbers = CheckNumbers(event, rules.canonical_json); !numbers) {
      return Invalid(numbers.error());
    }
    std::string id = DeclaredOrComputedEventId(event, rules);
    if (!source.Add(id, &event)) {
      return Invalid(Error{"state_res.duplicate_event", "state resolution input",
                           "two events have the ID " + id});
    }
  }
  std::vector<StateMap> state_sets;
  for (const Json& set : sets.as_array()) {
    if (!set.is_array()) return HarnessProblem("each state set must be an array of event IDs");
    StateMap map;
    for (const Json& id : set.as_array()) {
      if (!id.is_string()) return HarnessProblem("state sets hold event ID strings");
      const Json* event = source.Find(id.as_string());
      const std::string* type = event ? event->FindString("type") : nullptr;
      const std::string* state_key = event ? event->FindString("state_key") : nullptr;
      if (type == nullptr || state_key == nullptr) {
        return Invalid(Error{"state_res.unknown_event", "state resolution input",
                             id.as_string() + " is not a state event among the events"});
      }
      map[StateKey{*type, *state_key}] = id.as_string();
    }
    state_sets.push_back(std::move(map));
  }
  Result<Resolution> resolved = ResolveState(state_sets, source, rules);
  if (!resolved) return Invalid(resolved.error());
  Json state = Json::EmptyObject();
  for (const auto& [key, id] : resolved->state) {
    Json* by_type = state.Find(key.type);
    if (by_type == nullptr) by_type = &state.Set(key.type, Json::EmptyObject());
    by_type->Set(key.state_key, Json(id));
  }
  return Valid(ObjectWith("state", std::move(state)));
}

Json StateJson(const StateMap& state_map) {
  Json state = Json::EmptyObject();
  for (const auto& [key, id] : state_map) {
    Json* by_type = state.Find(key.type);
    if (by_type == nullptr) by_type = &state.Set(key.type, Json::EmptyObject());
    by_type->Set(key.state_key, Json(id));
  }
  return state;
}

// room: replay the events; output the rejected IDs (sorted, so the
// comparison ignores order) and the state at the forward extremities. The
// suite's events carry no hashes or signatures, so the format checks of
// receipt step 1 do not run.
SuiteRun RunRoom(const VectorTest& test, const RoomVersionRules& rules) {
  const Json& events = *test.input->Find("events");
  if (!events.is_array()) return HarnessProblem("input.events must be an array");
  for (const Json& event : events.as_array()) {
    if (!event.is_object()) return HarnessProblem("input.events entries must be objects");
    if (Result<void> numbers = CheckNumbers(event, rules.canonical_json); !numbers) {
      return Invalid(numbers.error());
    }
  }
  ReplayOptions options;
  options.check_format = false;
  const Json* arrival = test.input->Find("arrival_order");
  if (arrival != nullptr) {
    // Receipt step 6 (soft failure) needs the order the events arrived in.
    if (!arrival->is_array()) return HarnessProblem("input.arrival_order must be an array");
    for (const Json& id : arrival->as_array()) {
      if (!id.is_string()) return HarnessProblem("input.arrival_order holds event IDs");
      options.arrival_order.push_back(id.as_string());
    }
  }
  Result<RoomReplay> replay = ReplayRoom(events.as_array(), rules, options);
  if (!replay) return Invalid(replay.error());
  std::vector<std::string> rejected;
  for (const EventVerdict& v : replay->verdicts) {
    if (v.outcome == EventOutcome::kRejected || v.outcome == EventOutcome::kNotJudged) {
      rejected.push_back(v.event_id);
    }
  }
  std::sort(rejected.begin(), rejected.end());
  Json::Array rejected_json;
  for (auto& id : rejected) rejected_json.emplace_back(id);
  Json output = Json::EmptyObject();
  output.Set("rejected", Json(std::move(rejected_json)));
  if (arrival != nullptr) {
    std::vector<std::string> soft;
    for (const EventVerdict& v : replay->verdicts) {
      if (v.outcome == EventOutcome::kSoftFailed) soft.push_back(v.event_id);
    }
    std::sort(soft.begin(), soft.end());
    Json::Array soft_json;
    for (auto& id : soft) soft_json.emplace_back(id);
    output.Set("soft_failed", Json(std::move(soft_json)));
  }
  output.Set("state", StateJson(replay->current_state));
  return Valid(std::move(output));
}

}  // namespace

SuiteRun RunSuiteTest(const SuiteSpec& suite, const VectorTest& test) {
  const RoomVersionRules* rules = nullptr;
  if (!test.room_version.empty()) {
    rules = FindRoomVersion(test.room_version);
    if (rules == nullptr) {
      return HarnessProblem("unknown room version \"" + test.room_version +
                            "\" (see `mxstate versions`)");
    }
  }
  const std::string_view name = suite.name;
  if (name == "canonical-json") {
    return RunCanonicalJson(test, rules != nullptr ? rules->canonical_json
                                                   : NumberPolicy::kAppendix);
  }
  if (rules == nullptr) {
    return HarnessProblem("suite " + std::string(name) +
                          " needs a room_version");
  }
  if (name == "content-hash") return RunContentHash(test, *rules);
  if (name == "redact") return RunRedact(test, *rules);
  if (name == "event-id") return RunEventId(test, *rules);
  if (name == "sign-json") return RunSignJson(test, *rules);
  if (name == "sign-event") return RunSignEvent(test, *rules);
  if (name == "verify-event") return RunVerifyEvent(test, *rules);
  if (name == "auth") return RunAuth(test, *rules);
  if (name == "state-res") return RunStateRes(test, *rules);
  if (name == "room") return RunRoom(test, *rules);
  if (name == "restricted-join") return RunRestrictedJoin(test, *rules);
  return HarnessProblem("suite " + std::string(name) + " is not implemented");
}

}  // namespace mxstate::vectors
