#include "vectors/suite_table.h"

namespace mxstate::vectors {
namespace {

const std::vector<SuiteSpec>& Suites() {
  static const std::vector<SuiteSpec> kSuites = {
      {"canonical-json", true, false, {}, {}, {"json", "json_base64"},
       {"canonical"}, true},
      {"content-hash", true, true, {"event"}, {}, {}, {"sha256"}, true},
      {"redact", true, true, {"event"}, {}, {}, {"event"}, true},
      // Versions 1-2 have no derived event ID, so a vector may list only the
      // reference hash; see runner.h.
      {"event-id", true, true, {"event"}, {}, {},
       {"event_id", "reference_hash"}, false},
      {"sign-json", true, true, {"json", "signing_key"}, {}, {}, {"json"},
       true},
      {"sign-event", true, true, {"event", "signing_key"}, {}, {}, {"event"},
       true},
      {"verify-event", true, true, {"event", "server_keys"}, {}, {}, {},
       true},
      {"auth", true, true, {"event", "auth_events"}, {"rejected_auth_events"}, {}, {}, true},
      {"state-res", true, true, {"events", "state_sets"}, {}, {}, {"state"},
       true},
      // soft_failed: only with the optional arrival_order (then required; RunRoom
      // emits it exactly then, and the room comparison takes the whole object).
      {"room", true, true, {"events"}, {"arrival_order"}, {}, {"rejected", "state", "soft_failed"},
       false},
      {"room", true, true, {"events"}, {}, {}, {"rejected", "state"}, true},
      {"restricted-join", true, true, {"room", "user_id"}, {"rooms", "authoriser"}, {},
       {"matched_room"}, true},
  };
  return kSuites;
}

}  // namespace

const SuiteSpec* FindSuite(std::string_view name) {
  for (const SuiteSpec& suite : Suites()) {
    if (suite.name == name) return &suite;
  }
  return nullptr;
}

}  // namespace mxstate::vectors
