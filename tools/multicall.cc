// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/multicall.h"

#include <poll.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

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

// Whether standard output is a pipe whose reader has gone (`depmod -n | head`).
bool reader_gone() {
  struct pollfd p = {1, 0, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

// Runs a tool and makes sure what it printed was written.  SIGPIPE is
// ignored while it runs, so a closed pipe is a failed write (exit status 1,
// silently, since the reader asked for no more) rather than a death by a
// signal; any other write error (a full disk) is named.
int run_and_flush(const char* tool, ToolMain main, int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  int rc = main(argc, argv);
  std::cout.flush();
  bool failed = std::cout.fail();
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) failed = true;
  if (!failed) return rc;
  int e = errno;
  if (!reader_gone() && e != EPIPE)
    std::fprintf(stderr, "%s: ERROR: could not write standard output%s%s\n", tool, e ? ": " : "",
                 e ? std::strerror(e) : "");
  return rc ? rc : 1;
}

}  // namespace

int multicall(int argc, char** argv) {
  const std::string self = argc > 0 ? program_name(argv[0]) : "modutils-ng";
  if (const ToolEntry* t = find_tool(self)) return run_and_flush(t->name, t->main, argc, argv);
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
  if (const ToolEntry* t = find_tool(first)) return run_and_flush(t->name, t->main, argc - 1, argv + 1);
  std::fprintf(stderr, "%s: unknown tool '%s'\n", self.c_str(), first.c_str());
  usage(stderr, self);
  return 1;
}

}  // namespace mng
