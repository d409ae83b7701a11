// SPDX-License-Identifier: GPL-2.0-or-later
// rmmod NAME...: modules out of the kernel through the removal path
// modprobe uses (ModuleOps::remove), with kmod's options, checks, messages
// and exit status (-f, -s, -v), and modutils' -a (every unused module) and
// -r (the module, then the modules it used once nothing else uses them).
// An operand that names an existing file stands for the module in it.
#pragma once
#include <string>
#include <vector>

#include "tools/tool_cli.h"

namespace mng {

std::string rmmod_usage(const std::string& program);

// ARGS: the words after the program name.  0, or 1 when any module could
// not be removed.
int run_rmmod(const std::vector<std::string>& args, ToolEnv& env);

}  // namespace mng
