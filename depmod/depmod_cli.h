// SPDX-License-Identifier: GPL-2.0-or-later
// depmod's command line: the option table Boost parses and --help lists,
// and what a whole command line asks for.
#pragma once
#include <boost/program_options.hpp>
#include <span>
#include <string>
#include <vector>

#include "common/cli_help.h"
#include "common/log.h"
#include "depmod/depmod.h"

namespace mng {

// Every option depmod takes; each id is one Boost description.
std::span<const CliOption> depmod_option_table();

// The text printed by --help, its option lines made from the table.
std::string depmod_usage();

// Boost's reading of WORDS (the operands under "args"): "" or Boost's
// message.
std::string read_depmod_words(const std::vector<std::string>& words, boost::program_options::variables_map* vm);

// What a command line asks depmod to do.
struct DepmodCommand {
  enum class Action {
    run,          // run_depmod(opt)
    help,         // print depmod_usage(), exit 0
    version,      // print the version, exit 0
    usage_error,  // print `messages`, then the "Try 'depmod --help'" line, exit 1
    error,        // print `messages`, exit 1
  };
  Action action = Action::run;
  DepmodOptions opt;
  bool syslog = false;               // -s: messages go to syslog
  std::vector<Diagnostic> messages;  // printed, in order, before anything else
};

// Reads the words after the program name.  Operands: the first one is a
// module file when it contains '/' or names an existing regular file
// (modutils' `depmod file...`: every operand is then a module file, a
// relative one taken from the current directory, and the dependency lines
// go to standard output); otherwise it is the kernel version and the
// others are module files, which must be absolute (kmod's form).
// `running_release` is the version used when none is given.
DepmodCommand parse_depmod_command_line(const std::vector<std::string>& words, const std::string& running_release);

}  // namespace mng
