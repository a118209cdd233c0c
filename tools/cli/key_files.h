// Reading server keys for the commands that check signatures (verify, room,
// state-at): one JSON file, or a directory of *.json files.
#ifndef MXSTATE_TOOLS_CLI_KEY_FILES_H_
#define MXSTATE_TOOLS_CLI_KEY_FILES_H_

#include <string>

#include "mxstate/server_keys.h"
#include "mxstate/status.h"

namespace mxstate::cli {

// KEYS is a JSON file holding a simple map {server: {key_id: base64}}, a key
// document, an array of them or a notary response; or a directory of such
// *.json files (read in name order). An empty path gives an empty ring.
// Errors io.*, json.*, keys.* with the file name in the message.
Result<KeyRing> LoadKeys(const std::string& path);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_KEY_FILES_H_
