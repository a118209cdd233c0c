#include "cli/command.h"

#include <iostream>

namespace mxstate::cli {
namespace po = boost::program_options;

bool ParseCommandLine(const Args& args, po::options_description& options,
                      const po::positional_options_description& positional,
                      const CommandHelp& help, po::variables_map* vm) {
  options.add_options()("help,h", "print this help and exit");
  po::store(po::command_line_parser(args)
                .options(options)
                .positional(positional)
                .run(),
            *vm);
  if (vm->count("help") != 0) {
    std::cout << "usage: " << help.usage << "\n\n"
              << help.description << "\n"
              << options << "\n"
              << "Exit codes: 0 ok, 1 the check said no, 2 usage error, "
                 "3 no verdict (unreadable input, missing keys), 4 internal "
                 "error.\n";
    return false;
  }
  po::notify(*vm);
  return true;
}

}  // namespace mxstate::cli
