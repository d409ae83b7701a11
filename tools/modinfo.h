// SPDX-License-Identifier: GPL-2.0-or-later
// modinfo: shows what a module file says about itself, as kmod's modinfo
// shows it.  Operands are module files (an existing regular file whose
// name ends in .ko, .ko.gz, .ko.xz or .ko.zst), else names and aliases
// looked up the way libkmod does it (with no configuration files), or,
// with -m, module names only.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace mng {

// The tool's entry point: ARGV[0] is the program name.
int modinfo_main(int argc, char** argv);

// The same over explicit streams (tests): output to OUT, messages to ERR.
// Returns the exit status.
int run_modinfo(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err);

}  // namespace mng
