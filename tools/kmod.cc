// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/kmod.h"

#include <cstdio>
#include <vector>

#include "tools/multicall.h"
#include "tools/tool_cli.h"
#include "tools/tools.h"

namespace mng {

namespace {

enum Id { kHelp, kVersion };
const CliOption kKmodOptions[] = {
    {'V', "version", nullptr, "show version", kVersion, 0},
    {'h', "help", nullptr, "show this help", kHelp, 0},
};

struct Command {
  const char* name;
  const char* help;
  ToolMain main;
};
// `help` is handled before the table is searched.
const Command kCommands[] = {
    {"help", "Show help message", nullptr},
    {"list", "list currently loaded modules", lsmod_main},
    {"static-nodes", "outputs the static-node information installed with the currently running kernel",
     static_nodes_main},
};

std::string column(const std::string& name) {
  std::string s = name;
  if (s.size() < 12) s.resize(12, ' ');
  return "  " + s + " ";
}

}  // namespace

std::string kmod_usage(const std::string& program) {
  std::string s = "kmod - Manage kernel modules: list, load, unload, etc\nUsage:\n\t" + program +
                  " [options] command [command_options]\n\nOptions:\n" + cli_help_section(kKmodOptions, 0, 18) +
                  "\nCommands:\n";
  for (const Command& c : kCommands) s += column(c.name) + c.help + "\n";
  s += "\nkmod also handles gracefully if called from following symlinks:\n";
  for (const ToolEntry& t : tool_table())
    if (std::string(t.name) != "kmod") s += column(t.name) + "compat " + t.name + " command\n";
  return s;
}

}  // namespace mng

int kmod_main(int argc, char** argv) {
  using namespace mng;
  const std::string self = argc > 0 ? program_name(argv[0]) : "kmod";
  // The options before the command; the command's own follow it.
  int i = 1;
  while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && std::string(argv[i]) != "--") ++i;
  ToolArgs a = read_tool_args(kKmodOptions, std::vector<std::string>(argv + 1, argv + i));
  if (i < argc && std::string(argv[i]) == "--") ++i;
  if (!a.error.empty()) {
    std::fprintf(stderr, "%s: %s\n", self.c_str(), a.error.c_str());
    return 1;
  }
  if (!a.options.empty()) {
    std::fputs((a.options.front().first == kHelp ? kmod_usage(self) : tool_version("kmod")).c_str(), stdout);
    return 0;
  }
  if (i >= argc) {
    std::fputs("missing command\n", stderr);
    std::fputs(kmod_usage(self).c_str(), stdout);
    return 1;
  }
  const std::string command = argv[i];
  if (command == "help") {
    std::fputs(kmod_usage(self).c_str(), stdout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (command != c.name || !c.main) continue;
    // The command sees the program's name and its own arguments.
    std::vector<char*> args{argv[0]};
    args.insert(args.end(), argv + i + 1, argv + argc);
    args.push_back(nullptr);
    return c.main(static_cast<int>(args.size() - 1), args.data());
  }
  std::fprintf(stderr, "invalid command '%s'\n", command.c_str());
  std::fputs(kmod_usage(self).c_str(), stdout);
  return 1;
}
