// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/multicall.h"

#include <cstdio>

#include "common/version.h"
#include "tools/tool_cli.h"
#include "tools/modinfo.h"
#include "tools/tools.h"

namespace mng {

const std::vector<ToolEntry>& tool_table() {
  static const std::vector<ToolEntry> table = {
      {"depmod", depmod_main},
      {"modprobe", modprobe_main},
      {"insmod", insmod_main},
      {"rmmod", rmmod_main},
      {"lsmod", lsmod_main},
      {"modinfo", modinfo_main},
      {"kmod", kmod_main},
  };
  return table;
}

const ToolEntry* find_tool(const std::string& name) {
  for (const ToolEntry& t : tool_table())
    if (name == t.name) return &t;
  return nullptr;
}

namespace {

void usage(std::FILE* f, const std::string& program) {
  std::fprintf(f, "Usage:\n\t%s TOOL [arguments]\n\tTOOL [arguments]   (TOOL a link to %s)\n\nTools:",
               program.c_str(), program.c_str());
  for (const ToolEntry& t : tool_table()) std::fprintf(f, " %s", t.name);
  std::fprintf(f, "\n");
}

}  // namespace

int multicall(int argc, char** argv) {
  const std::string self = argc > 0 ? program_name(argv[0]) : "modutils-ng";
  if (const ToolEntry* t = find_tool(self)) return t->main(argc, argv);
  // Called by its own name: the first argument names the tool.
  if (argc < 2) {
    usage(stderr, self);
    return 1;
  }
  const std::string first = argv[1];
  if (first == "-h" || first == "--help") {
    usage(stdout, self);
    return 0;
  }
  if (first == "-V" || first == "--version") {
    std::fputs(tool_version("").c_str(), stdout);
    return 0;
  }
  if (const ToolEntry* t = find_tool(first)) return t->main(argc - 1, argv + 1);
  std::fprintf(stderr, "%s: unknown tool '%s'\n", self.c_str(), first.c_str());
  usage(stderr, self);
  return 1;
}

}  // namespace mng
