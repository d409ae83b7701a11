// SPDX-License-Identifier: GPL-2.0-or-later
// lsmod: the loaded modules in kmod's layout, from the Kernel interface:
// the names in /proc/modules order, each with its size (sysfs coresize,
// else the /proc/modules column), its reference count and the modules
// holding it, as sysfs lists them.
#pragma once
#include <string>
#include <vector>

#include "tools/tool_cli.h"

namespace mng {

std::string lsmod_usage(const std::string& program);

// The table itself (header and one line per module); false when
// /proc/modules cannot be read (errno set).
bool lsmod_table(Kernel& kernel, std::string* out);

// ARGS: the words after the program name.  0 or 1.
int run_lsmod(const std::vector<std::string>& args, ToolEnv& env);

}  // namespace mng
