#include "mxstate/status.h"

namespace mxstate {

std::string Error::ToString() const {
  std::string out = code;
  out += ": ";
  out += message;
  if (!rule.empty()) {
    out += " (";
    out += rule;
    out += ")";
  }
  return out;
}

}  // namespace mxstate
