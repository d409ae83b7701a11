// SPDX-License-Identifier: GPL-2.0-or-later
// insmod FILE [PARAMS...]: one module file into the kernel, through the
// load path modprobe uses (ModuleOps, insert_module_file), with kmod's
// options, messages and exit status, and modutils' options where a 2.6+
// kernel gives them a meaning:
//   -f  force (ignore version magic and symbol versions)
//   -s  messages to syslog        -q  no messages
//   -v  print the insmod line     -n  do everything but load
//   -o NAME  accepted when NAME is the module's own name (a 2.6+ kernel
//           names the module itself; anything else is refused)
// The other modutils options are accepted with a one-line warning that
// they have no effect; -p is accepted and ignored as kmod does.
#pragma once
#include <string>
#include <vector>

#include "tools/tool_cli.h"

namespace mng {

std::string insmod_usage(const std::string& program);

// ARGS: the words after the program name.  0 or 1.
int run_insmod(const std::vector<std::string>& args, ToolEnv& env);

}  // namespace mng
