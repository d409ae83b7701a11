// SPDX-License-Identifier: GPL-2.0-or-later
// The multi-call program's dispatch and kmod's own command line.
#include "tools/multicall.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "tools/kmod.h"
#include "tools/tools.h"

using namespace mng;

namespace {

// Calls F with WORDS as argv, its standard output and error thrown away
// (only the status is looked at here; the texts have tests of their own).
int call(ToolMain f, std::vector<std::string> words) {
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::cout.flush();
  int saved_out = ::dup(1), saved_err = ::dup(2), null = ::open("/dev/null", O_WRONLY);
  ::dup2(null, 1);
  ::dup2(null, 2);
  int rc = f(static_cast<int>(words.size()), argv.data());
  std::fflush(stdout);
  std::fflush(stderr);
  std::cout.flush();
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  for (int fd : {saved_out, saved_err, null}) ::close(fd);
  return rc;
}

}  // namespace

TEST_CASE("the multi-call program finds its tools by name", "[tools][multicall]") {
  for (const char* name : {"depmod", "modprobe", "insmod", "rmmod", "lsmod", "kmod"}) {
    const ToolEntry* t = find_tool(name);
    REQUIRE(t);
    CHECK(std::string(t->name) == name);
  }
  CHECK(find_tool("modutils-ng") == nullptr);
  CHECK(find_tool("insmod.static") == nullptr);
  CHECK(find_tool("") == nullptr);
  CHECK(find_tool("insmod")->main == insmod_main);
  CHECK(find_tool("kmod")->main == kmod_main);
}

TEST_CASE("the multi-call program by link name and by first argument", "[tools][multicall]") {
  // Errors that touch no kernel: missing operands.
  CHECK(call(multicall, {"/sbin/rmmod"}) == 1);
  CHECK(call(multicall, {"modutils-ng", "insmod"}) == 1);
  CHECK(call(multicall, {"./build/modutils-ng", "lsmod", "extra"}) == 1);
  CHECK(call(multicall, {"modutils-ng", "lsmod", "-h"}) == 0);
  CHECK(call(multicall, {"modutils-ng", "no-such-tool"}) == 1);
  CHECK(call(multicall, {"modutils-ng"}) == 1);
  CHECK(call(multicall, {"modutils-ng", "--help"}) == 0);
  CHECK(call(multicall, {"modutils-ng", "-V"}) == 0);
}

TEST_CASE("kmod's command line", "[tools][multicall][kmod]") {
  CHECK(call(kmod_main, {"kmod"}) == 1);
  CHECK(call(kmod_main, {"kmod", "bogus"}) == 1);
  CHECK(call(kmod_main, {"kmod", "--bogus"}) == 1);
  CHECK(call(kmod_main, {"kmod", "help"}) == 0);
  CHECK(call(kmod_main, {"kmod", "-V"}) == 0);
  CHECK(call(kmod_main, {"/bin/kmod", "--help"}) == 0);
  CHECK(call(kmod_main, {"kmod", "list", "extra"}) == 1);
  CHECK(call(kmod_main, {"kmod", "static-nodes", "--format=nonsense"}) == 1);
  const std::string u = kmod_usage("kmod");
  CHECK(u.starts_with("kmod - Manage kernel modules: list, load, unload, etc\nUsage:\n"
                      "\tkmod [options] command [command_options]\n\nOptions:\n"
                      "\t-V, --version     show version\n\t-h, --help        show this help\n\nCommands:\n"
                      "  help         Show help message\n  list         list currently loaded modules\n"
                      "  static-nodes outputs the static-node information installed with the currently running "
                      "kernel\n"));
  CHECK(u.find("  insmod       compat insmod command\n") != std::string::npos);
  CHECK(u.find("compat kmod") == std::string::npos);
}
