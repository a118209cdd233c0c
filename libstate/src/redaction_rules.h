// Internal: the redaction algorithm as per-key predicates, so that Redact()
// and the allocation-free signing encoder (event_hashes.cc) share one
// definition of what survives.
#ifndef MXSTATE_SRC_REDACTION_RULES_H_
#define MXSTATE_SRC_REDACTION_RULES_H_

#include <string_view>

#include "mxstate/room_version.h"

namespace mxstate::internal {

// Whether redaction keeps top-level key `key`.
bool RedactionKeepsTopLevelKey(std::string_view key, const RedactionRules& rules);

enum class ContentKeep {
  kDrop,
  kKeep,
  kKeepSignedOnly,  // v11+ member third_party_invite: only its `signed`
};
// What redaction does with content key `key` of an event of type `type`.
ContentKeep RedactionContentKey(std::string_view type, std::string_view key,
                                const RedactionRules& rules);

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_REDACTION_RULES_H_
