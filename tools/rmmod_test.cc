// SPDX-License-Identifier: GPL-2.0-or-later
// rmmod against the simulated kernel: kmod's checks and messages, -f,
// modutils' -r and -a.
#include "tools/rmmod.h"

#include <fcntl.h>

#include <catch2/catch.hpp>

#include "tests/test_util.h"
#include "tools/tool_test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("rmmod removes modules, kmod's checks first", "[tools][rmmod]") {
  ToolRun run;
  run.kernel.add_loaded("mod_a");
  run.kernel.add_loaded("mod_b", {"mod_a"});
  run.kernel.add_loaded("mod_d");
  run.kernel.add_builtin("ext4");

  CHECK(run(run_rmmod, "rmmod", {"mod_a"}) == 1);
  CHECK(run.err == "rmmod: ERROR: Module mod_a is in use by: mod_b\n");
  CHECK(run(run_rmmod, "rmmod", {"ext4"}) == 1);
  CHECK(run.err == "rmmod: ERROR: Module ext4 is builtin.\n");
  CHECK(run(run_rmmod, "rmmod", {"mod-x"}) == 1);
  CHECK(run.err == "rmmod: ERROR: Module mod_x is not currently loaded\n");
  run.kernel.modules["mod_d"].extra_refs = 1;
  CHECK(run(run_rmmod, "rmmod", {"mod-d"}) == 1);
  CHECK(run.err == "rmmod: ERROR: Module mod_d is in use\n");
  CHECK(run.kernel.log.empty());

  // Several operands: each is tried, a failure makes the status 1.
  CHECK(run(run_rmmod, "rmmod", {"mod_b", "mod_x", "mod_a"}) == 1);
  CHECK(run.err == "rmmod: ERROR: Module mod_x is not currently loaded\n");
  CHECK(run.kernel.log == std::vector<std::string>{"unload mod_b", "unload mod_a"});
  CHECK(run.kernel.last_delete_flags == O_NONBLOCK);
  run.kernel.modules["mod_d"].extra_refs = 0;
  CHECK(run(run_rmmod, "rmmod", {"mod_d"}) == 0);
  CHECK(run.err.empty());
  CHECK(run.out.empty());
}

TEST_CASE("rmmod: a file operand names its module, -f skips the checks", "[tools][rmmod]") {
  ToolRun run;
  TempDir t;
  const std::string file = t.write("mod-b.ko.xz", "");
  run.kernel.add_loaded("mod_b");
  CHECK(run(run_rmmod, "rmmod", {file}) == 0);
  CHECK_FALSE(run.kernel.loaded("mod_b"));

  run.kernel.add_loaded("mod_a");
  run.kernel.modules["mod_a"].extra_refs = 2;
  CHECK(run(run_rmmod, "rmmod", {"-f", "mod_a"}) == 1);
  CHECK(run.kernel.last_delete_flags == (O_NONBLOCK | O_TRUNC));
  CHECK(run.err == "rmmod: ERROR: could not remove module mod_a: Resource temporarily unavailable\n");
  run.kernel.delete_errno["mod_a"] = EPERM;
  CHECK(run(run_rmmod, "rmmod", {"-f", "mod_a"}) == 1);
  CHECK(run.err == "rmmod: ERROR: could not remove module mod_a: Operation not permitted\n");
}

TEST_CASE("rmmod -r removes the stack, -a every unused module", "[tools][rmmod]") {
  ToolRun run;
  run.kernel.add_loaded("mod_a");
  run.kernel.add_loaded("mod_b", {"mod_a"});
  run.kernel.add_loaded("mod_c", {"mod_a"});
  run.kernel.add_loaded("mod_e", {"mod_b", "mod_d"});
  CHECK(run(run_rmmod, "rmmod", {"-r", "mod_e"}) == 0);
  // mod_b and mod_d went; mod_a stays for mod_c.
  CHECK(run.kernel.log == std::vector<std::string>{"unload mod_e", "unload mod_b", "unload mod_d"});
  CHECK(run(run_rmmod, "rmmod", {"--stacks", "mod_c"}) == 0);
  CHECK(run.kernel.modules.empty());

  run.kernel.log.clear();
  run.kernel.add_loaded("mod_a");
  run.kernel.add_loaded("mod_b", {"mod_a"});
  run.kernel.add_loaded("mod_c");
  run.kernel.modules["mod_c"].extra_refs = 1;
  run.kernel.add_builtin("ext4");
  CHECK(run(run_rmmod, "rmmod", {"-a"}) == 0);
  CHECK(run.kernel.log == std::vector<std::string>{"unload mod_b", "unload mod_a"});
  CHECK(run.kernel.loaded("mod_c"));
  CHECK(run.err.empty());
}

TEST_CASE("rmmod's command line", "[tools][rmmod]") {
  ToolRun run;
  run.kernel.add_loaded("mod_a");
  CHECK(run(run_rmmod, "rmmod", {}) == 1);
  CHECK(run.err == "rmmod: ERROR: missing module name.\n");
  CHECK(run(run_rmmod, "rmmod", {"--bogus", "mod_a"}) == 1);
  CHECK(run.err == "rmmod: unrecognized option '--bogus'\n");
  CHECK(run(run_rmmod, "rmmod", {"-w", "mod_a"}) == 1);
  CHECK(run.err.find("-w (--wait) is not supported") != std::string::npos);
  CHECK(run.kernel.loaded("mod_a"));
  CHECK(run(run_rmmod, "rmmod", {"-h"}) == 0);
  CHECK(run.out.starts_with("Usage:\n\trmmod [options] modulename ...\nOptions:\n"
                            "\t-f, --force       forces a module unload and may crash your\n"
                            "\t                  machine. This requires Forced Module Removal\n"));
  CHECK(run(run_rmmod, "rmmod", {"-e", "mod_a"}) == 0);
  CHECK(run.err == "rmmod: WARNING: -e (--persist): Linux 2.6 and later keep no persistent module data; nothing "
                   "saved, nothing removed\n");
  CHECK(run.kernel.loaded("mod_a"));
  CHECK(run(run_rmmod, "rmmod", {"-v", "mod_a"}) == 0);
  CHECK(run.out == "rmmod mod_a\n");
  CHECK(run.err.empty());
  CHECK_FALSE(run.kernel.loaded("mod_a"));
}
