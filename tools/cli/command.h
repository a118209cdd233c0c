// The command table's interface: every `mxstate <command>` is a function
// taking the arguments after the command name and returning an exit code
// (cli_io.h). Boost.ProgramOptions errors and UsageError propagate to main,
// which turns them into exit code 2.
#ifndef MXSTATE_TOOLS_CLI_COMMAND_H_
#define MXSTATE_TOOLS_CLI_COMMAND_H_

#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace mxstate::cli {

using Args = std::vector<std::string>;

int RunCanon(const Args& args);
int RunContentHash(const Args& args);
int RunEventId(const Args& args);
int RunRedact(const Args& args);
int RunSign(const Args& args);
int RunKeygen(const Args& args);
int RunVerify(const Args& args);
int RunVersions(const Args& args);
int RunVectors(const Args& args);
int RunVectorsServe(const Args& args);  // `vectors serve`
int RunAuth(const Args& args);
int RunAuthEvents(const Args& args);
int RunResolve(const Args& args);
int RunAuthChain(const Args& args);
int RunRoom(const Args& args);
int RunStateAt(const Args& args);
int RunDiff(const Args& args);
int RunResets(const Args& args);
int RunDag(const Args& args);
int RunSynth(const Args& args);
int RunRestrictedJoin(const Args& args);
int RunSpaces(const Args& args);
int RunUpgrades(const Args& args);
int RunServers(const Args& args);
int RunCheck(const Args& args);

// What `mxstate <command> --help` prints above the option list.
struct CommandHelp {
  std::string_view usage;        // "mxstate canon [FILE] [options]"
  std::string_view description;  // paragraphs, ending with a newline
};

// Parses `args` with `options` (to which --help is added) and `positional`.
// Returns true when the command should run; false when --help was given (the
// help has then been printed and the command exits 0). Throws
// boost::program_options::error on bad options.
bool ParseCommandLine(const Args& args,
                      boost::program_options::options_description& options,
                      const boost::program_options::positional_options_description&
                          positional,
                      const CommandHelp& help,
                      boost::program_options::variables_map* vm);

}  // namespace mxstate::cli

#endif  // MXSTATE_TOOLS_CLI_COMMAND_H_
