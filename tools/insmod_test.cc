// SPDX-License-Identifier: GPL-2.0-or-later
// insmod against the simulated kernel: kmod's messages and exit status,
// the force flags, modutils' options.
#include "tools/insmod.h"

#include <catch2/catch.hpp>

#include "tests/test_util.h"
#include "tools/tool_test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("insmod loads a file with its parameters", "[tools][insmod]") {
  ToolRun run;
  const std::string a = testmod("mod_a.ko");
  CHECK(run(run_insmod, "insmod", {a, "level=5", "x=1"}) == 0);
  CHECK(run.err.empty());
  CHECK(run.out.empty());
  REQUIRE(run.kernel.loaded("mod_a"));
  CHECK(run.kernel.modules["mod_a"].params == "level=5 x=1");
  CHECK(run.kernel.last_finit_flags == 0);

  // Loaded already: the kernel's EEXIST, worded as strerror does.
  CHECK(run(run_insmod, "insmod", {a}) == 1);
  CHECK(run.err == "insmod: ERROR: could not insert module " + a + ": File exists\n");
}

TEST_CASE("insmod's messages for what cannot be loaded", "[tools][insmod]") {
  ToolRun run;
  CHECK(run(run_insmod, "insmod", {}) == 1);
  CHECK(run.err == "insmod: ERROR: missing filename.\n");
  CHECK(run(run_insmod, "insmod", {"-"}) == 1);
  CHECK(run.err == "insmod: ERROR: this tool does not support loading from stdin!\n");
  CHECK(run(run_insmod, "insmod", {"/nonexistent/x.ko"}) == 1);
  CHECK(run.err == "insmod: ERROR: could not load module /nonexistent/x.ko: No such file or directory\n");
  // mod_b needs mod_a's symbol.
  const std::string b = testmod("mod_b.ko");
  CHECK(run(run_insmod, "insmod", {b}) == 1);
  CHECK(run.err == "insmod: ERROR: could not insert module " + b + ": Unknown symbol in module\n");
  run.kernel.init_errno["fail_init"] = ENODEV;
  const std::string f = testmod("fail_init.ko");
  CHECK(run(run_insmod, "insmod", {f}) == 1);
  CHECK(run.err == "insmod: ERROR: could not insert module " + f + ": No such device\n");
  CHECK(run.kernel.modules.empty());
  // -q: the same status, nothing said.
  CHECK(run(run_insmod, "insmod", {"-q", "/nonexistent/x.ko"}) == 1);
  CHECK(run.err.empty());
}

TEST_CASE("insmod's command line", "[tools][insmod]") {
  ToolRun run;
  const std::string a = testmod("mod_a.ko");
  CHECK(run(run_insmod, "insmod", {"--bogus"}) == 1);
  CHECK(run.err == "insmod: unrecognized option '--bogus'\n");
  CHECK(run(run_insmod, "insmod", {a, "-o"}) == 1);
  CHECK(run.err == "insmod: option requires an argument -- 'o'\n");
  CHECK(run(run_insmod, "insmod", {a, "--name"}) == 1);
  CHECK(run.err == "insmod: option '--name' requires an argument\n");
  CHECK(run(run_insmod, "insmod", {"-z", a}) == 1);
  CHECK(run.err == "insmod: invalid option -- 'z'\n");
  CHECK(run.kernel.modules.empty());
  CHECK(run(run_insmod, "insmod", {"-h"}) == 0);
  CHECK(run.out.starts_with("Usage:\n\tinsmod [options] filename [args]\nOptions:\n"));
  CHECK(run.out.find("\t-V, --version     show version\n") != std::string::npos);
  CHECK(run(run_insmod, "insmod", {"-V"}) == 0);
  CHECK(run.out.starts_with("modutils-ng insmod version "));
  // Options after the file are options, as getopt permutes them.
  CHECK(run(run_insmod, "insmod", {a, "level=2", "-f"}) == 0);
  CHECK(run.kernel.last_finit_flags == (kModuleInitIgnoreVermagic | kModuleInitIgnoreModversions));
  CHECK(run.kernel.modules["mod_a"].params == "level=2");
}

TEST_CASE("insmod: modutils' options", "[tools][insmod]") {
  ToolRun run;
  const std::string a = testmod("mod_a.ko");
  // -n -v: the line, nothing loaded.
  CHECK(run(run_insmod, "insmod", {"-n", "-v", a, "level=3"}) == 0);
  CHECK(run.out == "insmod " + a + " level=3\n");
  CHECK(run.kernel.modules.empty());
  // -o: the module's own name only.
  CHECK(run(run_insmod, "insmod", {"-o", "other", a}) == 1);
  CHECK(run.err == "insmod: ERROR: could not load module " + a + " as other: the kernel names it mod_a itself\n");
  CHECK(run.kernel.modules.empty());
  const std::string d = testmod("mod-d.ko");
  CHECK(run(run_insmod, "insmod", {"-o", "mod-d", d}) == 0);
  CHECK(run.kernel.loaded("mod_d"));
  // A 2.4-only option: one warning, then the load.
  CHECK(run(run_insmod, "insmod", {"-k", "-x", a}) == 0);
  CHECK(run.err ==
        "insmod: WARNING: -k (--autoclean): a modutils 2.4 option with no effect on Linux 2.6 and later; ignored\n"
        "insmod: WARNING: -x (--noexport): a modutils 2.4 option with no effect on Linux 2.6 and later; ignored\n");
  CHECK(run.kernel.loaded("mod_a"));
  // kmod's -p and -s are accepted.
  CHECK(run(run_insmod, "insmod", {"-p", a}) == 1);
  CHECK(run.err.find("File exists") != std::string::npos);
}
