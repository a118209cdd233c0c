// Fuzz target: parse as an event and run CheckPduFormat, Redact, EventId,
// ContentHash and RoomIdFromCreateEvent for every room version. Redaction
// must be idempotent and must never add keys; an event accepted by
// CheckPduFormat must have a computable event ID. Failures abort().
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mxstate/canonical_json.h"
#include "mxstate/event_format.h"
#include "mxstate/event_hashes.h"
#include "mxstate/json.h"
#include "mxstate/redaction.h"
#include "mxstate/room_version.h"

namespace {

[[noreturn]] void Die(const char* what, std::string_view version,
                      const std::string& detail) {
  std::fprintf(stderr, "fuzz_event_format: %s (room version %.*s)\n%s\n", what,
               static_cast<int>(version.size()), version.data(), detail.c_str());
  std::abort();
}

// Whether `sub` only keeps what `super` has. Redaction writes a non-object
// `content` (a malformed event) as {}: that adds no key, so it counts too.
bool IsSubObject(const mxstate::Json& sub, const mxstate::Json& super) {
  if (sub.is_object() && sub.size() == 0 && !super.is_object()) return true;
  if (!sub.is_object() || !super.is_object()) return sub == super;
  for (const auto& [k, v] : sub.as_object()) {
    const mxstate::Json* other = super.Find(k);
    if (other == nullptr || !IsSubObject(v, *other)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 70000) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mxstate::ParseOptions options;
  options.numbers = mxstate::NumberPolicy::kLegacyPython;
  auto parsed = mxstate::ParseJson(text, options);
  if (!parsed) return 0;
  const mxstate::Json& event = *parsed;
  for (const auto& rules : mxstate::AllRoomVersions()) {
    auto format = mxstate::CheckPduFormat(event, rules);
    mxstate::Json redacted = mxstate::Redact(event, rules);
    if (!(mxstate::Redact(redacted, rules) == redacted))
      Die("redaction not idempotent", rules.id, mxstate::CanonicalJson(event));
    if (!IsSubObject(redacted, event))
      Die("redaction added a key", rules.id, mxstate::CanonicalJson(event));
    if (!event.is_object()) continue;
    (void)mxstate::ContentHash(event);
    (void)mxstate::RedactedSigningBytes(event, rules);
    auto id = mxstate::EventId(event, rules);
    if (format && !id)
      Die("well-formed event without an event ID", rules.id, id.error().ToString());
    if (format && rules.event_id_format != mxstate::EventIdFormat::kServerChosen) {
      // Redaction keeps the reference hash, hence the ID.
      auto red_id = mxstate::EventId(redacted, rules);
      if (!red_id || *red_id != *id)
        Die("redacted copy has another event ID", rules.id, *id);
    }
    (void)mxstate::RoomIdFromCreateEvent(event, rules);
  }
  return 0;
}
