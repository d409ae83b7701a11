// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/lsmod.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tools/tools.h"

namespace mng {

namespace {

enum Id { kSyslog, kVerbose, kVersion, kHelp };

const CliOption kLsmodOptions[] = {
    {'s', "syslog", nullptr, "print to syslog, not stderr", kSyslog, 0},
    {'v', "verbose", nullptr, "enables more messages", kVerbose, 0},
    {'V', "version", nullptr, "show version", kVersion, 0},
    {'h', "help", nullptr, "show this help", kHelp, 0},
};

}  // namespace

std::string lsmod_usage(const std::string& program) {
  return "Usage:\n\t" + program + " [options]\nOptions:\n" + cli_help_section(kLsmodOptions, 0, 18);
}

bool lsmod_table(Kernel& kernel, std::string* out) {
  std::vector<ProcModule> mods;
  if (!kernel.proc_modules(&mods)) return false;
  *out = "Module                  Size  Used by\n";
  for (const ProcModule& m : mods) {
    long size = kernel.coresize(m.name);
    if (size < 0) size = static_cast<long>(m.size);
    char head[64 + 2 * 24];
    std::snprintf(head, sizeof head, " %8ld  %d", size, kernel.refcnt(m.name));
    std::string line = m.name;
    if (line.size() < 19) line.resize(19, ' ');
    line += head;
    char sep = ' ';
    for (const std::string& h : kernel.holders_listed(m.name)) {
      line += sep;
      line += h;
      sep = ',';
    }
    *out += line + "\n";
  }
  return true;
}

int run_lsmod(const std::vector<std::string>& args, ToolEnv& env) {
  ToolArgs a = read_tool_args(kLsmodOptions, args);
  if (!a.error.empty()) {
    env.log.plain(a.error, true);
    return 1;
  }
  if (a.count(kHelp) || a.count(kVersion)) {
    env.out << (a.count(kHelp) ? lsmod_usage(env.log.program) : tool_version("lsmod"));
    return 0;
  }
  env.log.syslog = a.count(kSyslog) > 0;
  env.log.max_level += a.count(kVerbose);
  if (!a.operands.empty()) {
    env.log.message(Level::error, "too many arguments provided.");
    return 1;
  }
  std::string table;
  if (!lsmod_table(env.kernel, &table)) {
    env.log.message(Level::error, std::string("could not get list of modules: ") + std::strerror(errno));
    return 1;
  }
  env.out << table;
  return 0;
}

}  // namespace mng

int lsmod_main(int argc, char** argv) { return mng::run_tool(argc, argv, "lsmod", mng::run_lsmod); }
