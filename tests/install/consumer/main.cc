// Uses the installed headers and archive: canonical JSON (the spec
// appendix's example) and a content hash, which pulls in libcrypto.
#include <cstdio>
#include <string>

#include "mxstate/canonical_json.h"
#include "mxstate/event_hashes.h"

int main() {
  mxstate::Result<mxstate::Json> value = mxstate::ParseJson(R"({"b":1e10,"a":-0})");
  if (!value) {
    std::fprintf(stderr, "%s\n", value.error().ToString().c_str());
    return 1;
  }
  std::printf("%s %s\n", mxstate::CanonicalJson(*value).c_str(),
              mxstate::ContentHashBase64(*value).c_str());
  return 0;
}
