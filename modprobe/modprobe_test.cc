// SPDX-License-Identifier: GPL-2.0-or-later
// modprobe end to end, in-process, against the simulated kernel on trees of
// the real test modules indexed by kmod's depmod.
#include "modprobe/modprobe.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "common/elf_module.h"
#include "common/module_file.h"
#include "common/insert.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

// A run's exit code and standard error, compared in one check.
struct Outcome {
  int rc;
  std::string err;
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  return os << "rc " << o.rc << ", stderr \"" << o.err << "\"";
}

struct Fixture {
  ModTree tree;
  TempDir etc;  // holds modprobe.d/ and (for legacy tests) modules.conf
  std::map<std::string, std::string> environment;  // no $MODULECONFIG
  SimKernel kernel;

  Fixture() {
    fill_mod_tree(&tree);
    std::filesystem::create_directories(etc / "modprobe.d");
  }
  void conf(const std::string& text) { write_file(etc / "modprobe.d/test.conf", text); }

  RunResult run(std::vector<std::string> args, const char* env_opts = nullptr) {
    RunEnv env;
    env.argv = {"modprobe", "-d", tree.root(), "-S", tree.kver};
    env.argv.insert(env.argv.end(), args.begin(), args.end());
    env.modprobe_options = env_opts;
    env.kernel = &kernel;
    env.environment = &environment;
    return run_captured(env, etc);
  }
  Outcome outcome(std::vector<std::string> args) {
    RunResult r = run(std::move(args));
    return {r.rc, r.err};
  }
  std::string path(const std::string& rel) const { return tree.moddir + "/" + rel; }
};

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("modprobe loads a stack in dependency order with softdeps", "[modprobe]") {
  Fixture f;
  f.conf("options mod_a level=5\n");
  auto r = f.run({"mod_c"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out.empty());
  // mod_c's softdep: pre mod-d, post mod_e; mod_e needs mod_b and mod-d.
  CHECK(f.kernel.log == Strings{"load mod_a level=5", "load mod_b", "load mod_d", "load mod_c", "load mod_e"});
  CHECK(f.kernel.holders("mod_b") == Strings{"mod_c", "mod_e"});

  // Again: everything is in, nothing happens.
  f.kernel.log.clear();
  r = f.run({"mod_c"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log.empty());
  // --first-time names the module.
  r = f.run({"--first-time", "mod_c"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: could not insert 'mod_c': Module already in kernel\n");
}

TEST_CASE("modprobe -v prints what it does while loading", "[modprobe]") {
  Fixture f;
  f.kernel.add_loaded("mod_a");
  auto r = f.run({"-v", "mod_b", "x=1", "y=a b"});
  CHECK(r.rc == 0);
  CHECK(r.out == "insmod " + f.path("kernel/misc/mod_b.ko") + " x=1 y=\"a b\"\n");
  CHECK(f.kernel.log == Strings{"load mod_b x=1 y=\"a b\""});
}

TEST_CASE("a failing module takes back what the run loaded for it", "[modprobe]") {
  Fixture f;
  f.kernel.add_loaded("mod_d");  // loaded before: must stay
  f.kernel.init_errno["mod_e"] = ENODEV;
  auto r = f.run({"mod_e"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: could not insert 'mod_e': No such device\n");
  CHECK(f.kernel.log == Strings{"load mod_a", "load mod_b", "unload mod_b", "unload mod_a"});
  CHECK(f.kernel.loaded("mod_d"));
  CHECK_FALSE(f.kernel.loaded("mod_a"));

  // A failing dependency is named, with the module that needed it.
  f.kernel.log.clear();
  f.kernel.init_errno = {{"mod_b", EPERM}};
  r = f.run({"mod_c"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: could not insert 'mod_b' (needed by 'mod_c'): Operation not permitted\n");
  CHECK(f.kernel.log == Strings{"load mod_a", "unload mod_a"});

  // The real fail_init module: its init returns -ENODEV.
  f.kernel.init_errno = {{"fail_init", ENODEV}};
  r = f.run({"fail_init"});
  CHECK(r.rc == 1);
  CHECK(r.err == "modprobe: ERROR: could not insert 'fail_init': No such device\n");
}

TEST_CASE("softdep failures do not stop the module", "[modprobe]") {
  Fixture f;
  f.kernel.init_errno["mod_e"] = ENODEV;  // mod_c's post softdep
  auto r = f.run({"mod_c"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.loaded("mod_c"));
  CHECK_FALSE(f.kernel.loaded("mod_e"));
}

TEST_CASE("not found, quiet, -a", "[modprobe]") {
  Fixture f;
  CHECK(f.outcome({"no_such_mod"}) ==
        Outcome{1, "modprobe: FATAL: Module no_such_mod not found in directory " + f.tree.moddir + "\n"});
  CHECK(f.outcome({"-q", "no_such_mod"}) == Outcome{1, ""});
  CHECK(f.outcome({"-a", "no_such_mod", "boot_one"}) ==
        Outcome{1, "modprobe: WARNING: Module no_such_mod not found in directory " + f.tree.moddir + "\n"});
  CHECK(f.kernel.loaded("boot_one"));
  CHECK(f.outcome({}) == Outcome{1, "modprobe: ERROR: missing parameters. See -h.\n"});
}

TEST_CASE("a path operand is loaded only when it is a module file; anything else is not found", "[modprobe]") {
  Fixture f;
  TempDir d;
  write_file(d / "notes.txt", "not a module\n");
  REQUIRE(mkfifo((d / "fifo.ko").c_str(), 0600) == 0);
  std::filesystem::create_directories(d / "dir.ko");
  for (std::string p : {std::string("/dev/zero"), std::string("/"), std::string("/etc"), d / "notes.txt",
                        d / "fifo.ko", d / "dir.ko"}) {
    INFO(p);
    CHECK(f.outcome({p}) == Outcome{1, "modprobe: FATAL: Module " + p + " not found in directory " + f.tree.moddir + "\n"});
  }
  CHECK(f.kernel.log.empty());
  // A module file named by its path still goes in.
  std::filesystem::copy_file(testmod("mod_a.ko"), d / "mod_a.ko");
  CHECK(f.outcome({d / "mod_a.ko"}) == Outcome{0, ""});
  CHECK(f.kernel.loaded("mod_a"));
}

TEST_CASE("modprobe -r removes the stack but never a module in use", "[modprobe]") {
  Fixture f;
  // mod_c's stack plus mod_e, which also uses mod_b.
  load_c_and_e_stacks(&f.kernel);

  CHECK(f.outcome({"-r", "mod_b"}) == Outcome{1, "modprobe: FATAL: Module mod_b is in use.\n"});
  CHECK(f.kernel.log.empty());

  // -i: no softdeps.  mod_e goes, mod_d goes (free now), mod_b stays for mod_c.
  auto r = f.run({"-r", "-i", "mod_e"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log == Strings{"unload mod_e", "unload mod_d"});
  CHECK(f.kernel.loaded("mod_b"));

  // Removing mod_c: its dependencies in load order, as kmod 30 takes them:
  // mod_a, still held by mod_b at its turn, stays; mod_b, free, goes.
  f.kernel.log.clear();
  r = f.run({"-r", "-v", "-i", "mod_c"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log == Strings{"unload mod_c", "unload mod_b"});
  CHECK(r.out == "rmmod mod_c\nrmmod mod_b\n");
  CHECK(f.kernel.loaded("mod_a"));

  // Not loaded: silent success, unless --first-time.
  CHECK(f.outcome({"-r", "mod_c"}) == Outcome{0, ""});
  CHECK(f.outcome({"-r", "--first-time", "mod_c"}) ==
        Outcome{1, "modprobe: FATAL: Module mod_c is not in kernel.\n"});
}

TEST_CASE("modprobe -r follows softdeps like kmod", "[modprobe]") {
  Fixture f;
  load_c_and_e_stacks(&f.kernel);
  auto r = f.run({"-r", "mod_c"});
  CHECK(r.rc == 0);
  // post softdep mod_e first (with mod-d, which only it used), then mod_c
  // and its dependencies free at their turn (mod_a, taken while mod_b still
  // holds it, stays, as with kmod); the pre softdep mod-d is gone already.
  CHECK(f.kernel.log == Strings{"unload mod_e", "unload mod_d", "unload mod_c", "unload mod_b"});
  CHECK(f.kernel.loaded("mod_a"));
}

TEST_CASE("modprobe -r --remove-holders, -w and built-in modules", "[modprobe]") {
  Fixture f;
  f.kernel.add_loaded("mod_a");
  f.kernel.add_loaded("mod_b", {"mod_a"});
  auto r = f.run({"--remove-holders", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log == Strings{"unload mod_b", "unload mod_a"});

  // A reference that is not a module: busy; -w retries and then gives up.
  f.kernel.add_loaded("boot_one");
  f.kernel.modules["boot_one"].extra_refs = 1;
  r = f.run({"-r", "-w", "5", "boot_one"});
  CHECK(r.rc == 1);
  CHECK(r.err.find("could not remove 'boot_one'") != std::string::npos);
  CHECK(f.kernel.loaded("boot_one"));

  // A module only the kernel knows (not in modules.dep) is removed by name.
  f.kernel.add_loaded("stray");
  r = f.run({"-r", "stray"});
  CHECK(r.rc == 0);
  CHECK_FALSE(f.kernel.loaded("stray"));
}

TEST_CASE("install and remove commands go through the shell, arguments do not", "[modprobe]") {
  Fixture f;
  std::string log = f.etc / "cmd.log";
  std::string pwned = f.etc / "pwned";
  f.conf("install mod_a echo \"install $MODPROBE_MODULE\" $CMDLINE_OPTS >>" + log +
         "\n"
         "remove mod_a echo \"remove $MODPROBE_MODULE\" >>" +
         log + "\noptions mod_a level=3\n");
  auto r = f.run({"mod_a", "x=$(touch " + pwned + ")", "y=a b", "z=;true"});
  CHECK(r.rc == 0);
  CHECK(read_file(log) == "install mod_a level=3 x=$(touch " + pwned + ") y=a b z=;true\n");
  CHECK_FALSE(std::filesystem::exists(pwned));
  CHECK(f.kernel.log.empty());  // the command replaced the insertion

  f.kernel.add_loaded("mod_a");
  r = f.run({"-r", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(read_file(log).find("remove mod_a\n") != std::string::npos);
  CHECK(f.kernel.loaded("mod_a"));  // the command replaced delete_module

  // A failing command is reported.
  f.conf("install boot_one exit 3\n");
  r = f.run({"boot_one"});
  CHECK(r.rc == 1);
  CHECK(r.err.find("Error running install command 'exit 3' for module boot_one: retcode 3") != std::string::npos);
}

TEST_CASE("blacklist applies to aliases, or to names with -b", "[modprobe]") {
  Fixture f;
  f.conf("blacklist mod_a\nalias my-alias mod_a\n");
  auto r = f.run({"my-alias"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log.empty());
  r = f.run({"-b", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log.empty());
  // Not as a dependency.
  r = f.run({"mod_b"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log == Strings{"load mod_a", "load mod_b"});
}

TEST_CASE("kernel command line options and blacklist; MODPROBE_OPTIONS", "[modprobe]") {
  Fixture f;
  f.kernel.cmdline_text = "root=/dev/sda mod_a.level=3 modprobe.blacklist=boot_one";
  f.conf("options mod_a level=1\n");
  auto r = f.run({"mod_a"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.log == Strings{"load mod_a level=1 level=3"});
  r = f.run({"-b", "boot_one"});
  CHECK_FALSE(f.kernel.loaded("boot_one"));
  r = f.run({"boot_two"}, "-n -v");
  CHECK(r.out == "insmod " + f.path("kernel/misc/boot_two.ko") + " \n");
  CHECK_FALSE(f.kernel.loaded("boot_two"));
}

TEST_CASE("compressed modules: in-kernel decompression or user space", "[modprobe]") {
  Fixture f;
  std::string misc = f.path("kernel/misc/");
  REQUIRE(run("zstd -q --rm " + misc + "mod_a.ko && xz -q " + misc + "mod_b.ko") == 0);
  depmod_tree(f.tree.root(), f.tree.kver);
  f.kernel.decompress = "zstd";
  auto r = f.run({"mod_b"});
  CHECK(r.rc == 0);
  // mod_a.ko.zst: the kernel decompresses it; mod_b.ko.xz: we do.
  CHECK(f.kernel.calls == Strings{"finit-compressed mod_a", "init mod_b"});

  // Old kernel without finit_module: init_module for everything.
  f.kernel.has_finit = false;
  f.kernel.calls.clear();
  r = f.run({"boot_one"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.calls == Strings{"finit ENOSYS", "init boot_one"});
}

TEST_CASE("forcing: finit flags", "[modprobe]") {
  Fixture f;
  auto r = f.run({"-f", "boot_one"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.last_finit_flags == (kModuleInitIgnoreVermagic | kModuleInitIgnoreModversions));
  r = f.run({"--force-vermagic", "boot_two"});
  CHECK(f.kernel.last_finit_flags == kModuleInitIgnoreVermagic);
}

TEST_CASE("modprobe -n -v and -D print kmod's action lines", "[modprobe]") {
  Fixture f;
  f.conf("options mod_b x=1\ninstall mod-d /bin/true $CMDLINE_OPTS\n");
  f.kernel.add_loaded("mod_a");
  auto r = f.run({"-n", "-v", "mod_b"});
  // Loaded modules are skipped by -n, not by -D; config options keep kmod's trailing space.
  CHECK(r.out == "insmod " + f.path("kernel/misc/mod_b.ko") + " x=1 \n");
  r = f.run({"-D", "mod_b"});
  CHECK(r.out == "insmod " + f.path("kernel/misc/mod_a.ko") + " \ninsmod " + f.path("kernel/misc/mod_b.ko") +
                     " x=1 \n");
  r = f.run({"-D", "mod-d", "p=1"});
  CHECK(r.out == "install /bin/true $CMDLINE_OPTS p=1\n");
  CHECK(f.kernel.log.empty());
  r = f.run({"-R", "symbol:sym_b"});
  CHECK(r.out == "mod_b\n");
}

TEST_CASE("modprobe -n and -D reach no kernel and open no module file", "[modprobe]") {
  Fixture f;
  std::filesystem::remove(f.path("kernel/misc/boot_one.ko"));
  auto r = f.run({"-n", "-v", "-f", "boot_one"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "insmod " + f.path("kernel/misc/boot_one.ko") + " \n");
  CHECK(f.kernel.calls.empty());
  load_c_and_e_stacks(&f.kernel);
  r = f.run({"-n", "-v", "-r", "-w", "100", "mod_e"});
  CHECK(r.rc == 0);
  CHECK(r.out == "rmmod mod_e\n");  // the others still look used: nothing was removed
  r = f.run({"-D", "-r", "mod_c"});
  CHECK(r.rc == 0);
  CHECK(f.kernel.calls.empty());
  CHECK(f.kernel.loaded("mod_e"));
  CHECK(f.kernel.loaded("mod_c"));
}

TEST_CASE("a dependency file missing from the tree voids the dependency list, as kmod", "[modprobe]") {
  Fixture f;
  std::filesystem::remove(f.path("kernel/misc/mod_a.ko"));  // mod_b needs mod_a
  auto r = f.run({"-D", "mod_b"});
  CHECK(r.rc == 0);
  CHECK(r.out == "insmod " + f.path("kernel/misc/mod_b.ko") + " \n");
  CHECK(r.err == "modprobe: ERROR: dependency " + f.path("kernel/misc/mod_a.ko") + " of mod_b in " +
                     f.path("modules.dep.bin") + ": No such file or directory\n");
  // Loading tries mod_b alone, which the kernel refuses (mod_a's symbols).
  r = f.run({"mod_b"});
  CHECK(r.rc == 1);
  CHECK(f.kernel.log.empty());
}

TEST_CASE("kmod prints the same action line for a missing dependency file", "[modprobe][.kmod]") {
  Fixture f;
  std::filesystem::remove(f.path("kernel/misc/mod_a.ko"));
  auto r = f.run({"-D", "mod_b"});
  std::string kmod_out = f.tree.dir / "kmod.out";
  REQUIRE(run(kmod_modprobe_path() + " -d " + f.tree.root() + " -S " + f.tree.kver + " -D mod_b >" + kmod_out +
              " 2>/dev/null") == 0);
  CHECK(read_file(kmod_out) == r.out);
  CHECK(!r.out.empty());
}
