// SHA-256 (through OpenSSL's libcrypto, which uses the CPU's SHA
// instructions: three to four times faster than libsodium's portable C on
// the event-hashing hot path; see docs/benchmarks.md).
#ifndef MXSTATE_SHA256_H_
#define MXSTATE_SHA256_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace mxstate {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view bytes);

}  // namespace mxstate

#endif  // MXSTATE_SHA256_H_
