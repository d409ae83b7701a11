// SPDX-License-Identifier: GPL-2.0-or-later
// What the small tools (insmod, rmmod, lsmod, static-nodes) share: the
// environment they run in, so that unit tests can hand them a simulated
// kernel and catch their output, and a getopt-like reading of their
// command lines from the option table their --help is made from.
#pragma once
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/cli_help.h"
#include "common/kernel.h"
#include "common/log.h"

namespace mng {

struct ToolEnv {
  Kernel& kernel;
  std::ostream& out;  // standard output
  Logger log;         // messages: program name, stream or file, syslog
  std::string root;   // prefixed to /lib/modules (tests; "" normally)
};

// A command line read against a table: the options in the order given
// (id and value, "" when it takes none) and the operands.  `error` is
// getopt's message for the first word it cannot take ("unrecognized option
// '--x'", "invalid option -- 'x'", ...), "" when there is none.
struct ToolArgs {
  std::vector<std::pair<int, std::string>> options;
  std::vector<std::string> operands;
  std::string error;

  int count(int id) const;
  // The value given last for ID ("" when none was).
  std::string value(int id) const;
};

// WORDS are the arguments after the program name; options and operands
// may mix, as getopt permutes them, and "--" ends the options.
ToolArgs read_tool_args(std::span<const CliOption> table, const std::vector<std::string>& words);

// "modutils-ng TOOL version X" ("modutils-ng version X" for "") and the
// feature line, as -V prints them.
std::string tool_version(const std::string& tool);

// The last component of a path (argv[0]).
std::string program_name(const char* argv0);

// Runs TOOL in the real environment: RealKernel, std::cout, messages on
// stderr under the name argv[0] gives (FALLBACK when there is none), with
// the arguments after argv[0].
using ToolFunction = int (*)(const std::vector<std::string>& args, ToolEnv& env);
int run_tool(int argc, char** argv, const char* fallback, ToolFunction tool);

}  // namespace mng
