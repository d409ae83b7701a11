// SPDX-License-Identifier: GPL-2.0-or-later
// The multi-call program: one binary that is depmod, modprobe, insmod,
// rmmod, lsmod, modinfo or kmod by the name it is called under (a symbolic
// link), or by its first argument (`modutils-ng insmod FILE`).
#pragma once
#include <string>
#include <vector>

namespace mng {

using ToolMain = int (*)(int argc, char** argv);

struct ToolEntry {
  const char* name;
  ToolMain main;
};

// Every tool the program answers to, in the order help lists them.
const std::vector<ToolEntry>& tool_table();

// The entry for NAME (a program name without directories); nullptr when
// there is none.
const ToolEntry* find_tool(const std::string& name);

// What main() does with its arguments.
int multicall(int argc, char** argv);

}  // namespace mng
