// SPDX-License-Identifier: GPL-2.0-or-later
// modutils' safe mode (modprobe started by the kernel or set-uid) and root's
// refusal of configuration files others can change, through run_modprobe
// against the simulated kernel.
#include <catch2/catch.hpp>
#include <sstream>

#include "conf/file_text.h"
#include "modprobe/modprobe.h"
#include "modprobe/options.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

using Strings = std::vector<std::string>;

struct Run {
  TempDir etc;
  std::map<std::string, std::string> environment;
  SimKernel kernel;
  RunEnv env;  // safe_mode, as_root and modprobe_options as a test sets them

  Run() {
    std::filesystem::create_directories(etc / "modprobe.d");
    env.kernel = &kernel;
    env.environment = &environment;
  }
  RunResult operator()(Strings argv) {
    env.argv = argv;
    return run_captured(env, etc);
  }
};

const Strings kKernelEnv = {"HOME=/", "TERM=linux", "PATH=/sbin:/usr/sbin:/bin:/usr/bin"};

}  // namespace

TEST_CASE("safe mode is the kernel's environment, or differing ids", "[modprobe][safe]") {
  CHECK(is_safe_mode(kKernelEnv, false));
  CHECK(is_safe_mode({kKernelEnv[2], kKernelEnv[0], kKernelEnv[1]}, false));
  CHECK(is_safe_mode({}, true));
  CHECK_FALSE(is_safe_mode({}, false));
  CHECK_FALSE(is_safe_mode({"HOME=/", "TERM=linux"}, false));
  CHECK_FALSE(is_safe_mode({"HOME=/", "TERM=linux", "PATH=/sbin:/bin:/usr/sbin:/usr/bin"}, false));
  Strings more = kKernelEnv;
  more.push_back("MODULECONFIG=/tmp/x");
  CHECK_FALSE(is_safe_mode(more, false));
}

TEST_CASE("safe mode takes the last argument as the only module name", "[modprobe][safe]") {
  auto p = parse_modprobe_args({"modprobe", "-s", "-k", "--", "net-pf-10"}, "-C /tmp/evil", true);
  REQUIRE(p.ok);
  CHECK(p.opts.safe_mode);
  CHECK(p.opts.syslog);
  CHECK(p.opts.autoclean);
  CHECK(p.opts.configs.empty());  // $MODPROBE_OPTIONS is ignored
  CHECK(p.opts.args == Strings{"net-pf-10"});

  p = parse_modprobe_args({"modprobe", "-q", "--", "fs-ext4"}, nullptr, true);
  REQUIRE(p.ok);
  CHECK(p.opts.args == Strings{"fs-ext4"});
  p = parse_modprobe_args({"modprobe", "mod_a"}, nullptr, true);
  REQUIRE(p.ok);
  CHECK(p.opts.args == Strings{"mod_a"});

  auto fails = [](Strings argv) {
    auto r = parse_modprobe_args(argv, nullptr, true);
    CHECK_FALSE(r.ok);
    return r.error;
  };
  CHECK(fails({"modprobe", "a", "b"}) == "Safe mode has more than one parameter");
  CHECK(fails({"modprobe", "--", "a", "b"}) == "Safe mode has more than one parameter");
  CHECK(fails({"modprobe", "--", "-r"}) == "Safe mode parameter starts with '-'");
  CHECK(fails({"modprobe", "mod_a", "level=1"}) == "Safe mode has more than one parameter");
  CHECK(fails({"modprobe", "level=1"}) == "Safe mode parameter contains '='");
  CHECK(fails({"modprobe", "-C", "/tmp/evil", "mod_a"}) == "Safe mode does not allow option -C");
  CHECK(fails({"modprobe", "-d", "/tmp/root", "mod_a"}) == "Safe mode does not allow option -d");
  CHECK(fails({"modprobe", "--set-version=1", "mod_a"}) == "Safe mode does not allow option -S");
  CHECK(fails({"modprobe", "-r", "mod_a"}) == "Safe mode does not allow option -r");
  CHECK(fails({"modprobe", "--allow-unsafe-config", "mod_a"}) ==
        "Safe mode does not allow option --allow-unsafe-config");
  CHECK(fails({"modprobe", "-t", "net", "mod_a"}) == "Safe mode does not allow option -t");

  // Outside safe mode the same words mean what they always did.
  p = parse_modprobe_args({"modprobe", "mod_a", "level=1"}, nullptr, false);
  REQUIRE(p.ok);
  CHECK(p.opts.args == Strings{"mod_a", "level=1"});
}

TEST_CASE("safe mode: errors end the run, paths and patterns are names", "[modprobe][safe]") {
  ModTree tree;
  fill_mod_tree(&tree);
  Run run;
  run.kernel.release_text = tree.kver;
  std::string path = tree.moddir + "/kernel/misc/mod_a.ko";

  run.env.safe_mode = true;
  auto r = run({"modprobe", "mod_a", "mod_b"});
  CHECK(r.rc == 1);
  // modutils' three refusals have no "ERROR:" (as modutils printed them);
  // our own refusal of an option keeps it.
  CHECK(r.err == "modprobe: Safe mode has more than one parameter\n");
  r = run({"modprobe", "--", "-r"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: Safe mode parameter starts with '-'\n");
  r = run({"modprobe", "level=1"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: Safe mode parameter contains '='\n");
  r = run({"modprobe", "-C", "/tmp/x", "mod_a"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: Safe mode does not allow option -C\n");
  // A path is not loaded as a file: it is a name no module has.
  r = run({"modprobe", "-q", "--", path});
  CHECK(r.rc == 1);
  CHECK(run.kernel.log.empty());
  // $MODULECONFIG is ignored: its install command would run otherwise.
  std::string marker = run.etc / "ran";
  write_file(run.etc / "modules.conf.evil", "install mod_a touch " + marker + "\n");
  run.environment["MODULECONFIG"] = run.etc / "modules.conf.evil";
  r = run({"modprobe", "-q", "--", "mod_a"});
  CHECK(r.rc == 1);
  CHECK_FALSE(std::filesystem::exists(marker));

  // The same path outside safe mode is loaded.
  run.env.safe_mode = false;
  run.environment.clear();
  r = run({"modprobe", "-d", tree.root(), path});
  CHECK(r.rc == 0);
  CHECK(run.kernel.log == Strings{"load mod_a"});
}

TEST_CASE("safe mode: a legacy operand with glob characters is not a pattern", "[modprobe][safe][legacy]") {
  ModTree tree;
  fill_mod_tree(&tree);
  Run run;
  run.kernel.release_text = tree.kver;
  // Safe mode allows no -d, so the legacy file points at the tree itself,
  // with modutils' absolute paths in its modules.dep.
  std::string dep;
  std::istringstream lines(read_file(tree.moddir + "/modules.dep"));
  for (std::string w; lines >> w;) dep += (w.back() == ':' ? "\n" : " ") + tree.moddir + "/" + w;
  write_file(run.etc / "modules.dep", dep + "\n");
  write_file(run.etc / "modules.conf",
             "depfile=" + run.etc / "modules.dep" + "\npath[misc]=" + tree.moddir + "/kernel/misc\n");
  run.env.safe_mode = true;
  auto r = run({"modprobe", "-q", "--", "mod_[a]"});
  CHECK(r.rc != 0);
  CHECK(run.kernel.log.empty());
  r = run({"modprobe", "--", "mod_a"});
  INFO(r.err);
  CHECK(r.rc == 0);
  CHECK(run.kernel.log == Strings{"load mod_a"});

  run.env.safe_mode = false;
  run.kernel.log.clear();
  run.kernel.modules.erase("mod_a");
  r = run({"modprobe", "-q", "mod_[b]"});
  CHECK(r.rc == 0);
  CHECK(run.kernel.log == Strings{"load mod_a", "load mod_b"});
}

TEST_CASE("as root, modprobe stops on a configuration file others can change", "[modprobe][trust]") {
  ModTree tree;
  fill_mod_tree(&tree);
  Run run;
  std::string conf = run.etc / "modprobe.d/evil.conf";
  write_file(conf, "options mod_a level=4\n");
  chmod(conf.c_str(), 0666);
  std::string why = geteuid() == 0 ? "writable by everyone" : "owned by uid " + std::to_string(geteuid());
  Strings argv = {"modprobe", "-d", tree.root(), "-S", tree.kver, "mod_a"};

  run.env.as_root = true;
  auto r = run(argv);
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: " + untrusted_config_message(conf, why) + "\n");
  CHECK(run.kernel.log.empty());

  // The override, on the command line or in $MODPROBE_OPTIONS.
  r = run({"modprobe", "--allow-unsafe-config", "-d", tree.root(), "-S", tree.kver, "mod_a"});
  CHECK(r.rc == 0);
  CHECK(run.kernel.log == Strings{"load mod_a level=4"});
  run.kernel.modules.erase("mod_a");
  // ... and passed on to a modprobe run by an install command.
  std::string seen = run.etc / "seen";
  write_file(run.etc / "modprobe.d/b.conf", "install mod_b echo \"$MODPROBE_OPTIONS\" >" + seen + "\n");
  r = run({"modprobe", "--allow-unsafe-config", "-d", tree.root(), "-S", tree.kver, "mod_b"});
  CHECK(r.rc == 0);
  CHECK(read_file(seen) == "--allow-unsafe-config\n");
  std::filesystem::remove(run.etc / "modprobe.d/b.conf");
  run.env.modprobe_options = "--allow-unsafe-config";
  r = run(argv);
  CHECK(r.rc == 0);
  run.kernel.modules.erase("mod_a");
  run.env.modprobe_options = nullptr;

  // Not root: no check.
  run.env.as_root = false;
  r = run(argv);
  CHECK(r.rc == 0);
  CHECK(r.err.empty());

  // A legacy modules.conf is refused the same way.
  if (geteuid() == 0) {
    run.kernel.modules.erase("mod_a");
    run.kernel.log.clear();
    chmod(conf.c_str(), 0644);
    std::string legacy = run.etc / "modules.conf";
    write_file(legacy, "options mod_a level=6\n");
    chmod(legacy.c_str(), 0664);
    REQUIRE(chown(legacy.c_str(), 0, 4242) == 0);
    run.env.as_root = true;
    r = run(argv);
    CHECK(r.rc != 0);
    CHECK(r.err.find(untrusted_config_message(legacy, "writable by group 4242")) != std::string::npos);
    CHECK(run.kernel.log.empty());
  }
}
