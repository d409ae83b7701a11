// SPDX-License-Identifier: GPL-2.0-or-later
// kmod static-nodes: the device nodes the running kernel's modules.devname
// lists, in one of kmod's three formats (human, tmpfiles, devname), on
// standard output or into --output FILE (its directories made first), with
// kmod's messages and exit status.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/tool_cli.h"

namespace mng {

// One entry of modules.devname: "MODULE DEVNAME cMAJ:MIN" (or b).
struct DevnameEntry {
  std::string module;
  std::string devname;
  char type = 'c';
  unsigned major = 0, minor = 0;
};

// Reads one line as kmod does (two words, the type letter and MAJ:MIN;
// anything after them ignored); nullopt when it is not an entry.
std::optional<DevnameEntry> parse_devname_line(std::string_view line);

enum class NodeFormat { human, tmpfiles, devname };

// E in FORMAT (one or two lines, each with its newline).
std::string format_node(const DevnameEntry& e, NodeFormat format);

std::string static_nodes_usage(const std::string& program);

// ARGS: the words after "static-nodes".  Reads
// ROOT/lib/modules/RELEASE/modules.devname (env.root, env.kernel.release()).
int run_static_nodes(const std::vector<std::string>& args, ToolEnv& env);

}  // namespace mng
