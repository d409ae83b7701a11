// SPDX-License-Identifier: GPL-2.0-or-later
// The modutils engine against the simulated kernel, on trees of the real
// test modules, with expectations from modutils 2.4's modprobe rules
// (doc/compat.md, the modutils modprobe sections) and worked examples of them
// carried over to these modules.
#include <fcntl.h>
#include <utime.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "modprobe/legacy_engine.h"
#include "modprobe/legacy_options.h"
#include "modprobe/legacy_walk.h"
#include "modprobe/modprobe.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

using Strings = std::vector<std::string>;

struct Legacy {
  ModTree tree;
  TempDir etc;
  std::map<std::string, std::string> environment;
  SimKernel kernel;

  Legacy() {
    fill_mod_tree(&tree);
    std::filesystem::create_directories(etc / "modprobe.d");
  }
  // /etc/modules.conf, older than modules.dep (no "Note:" line).
  void conf(const std::string& text) {
    write_file(etc / "modules.conf", text);
    struct utimbuf t = {946684800, 946684800};
    utime((etc / "modules.conf").c_str(), &t);
  }
  void modprobe_d(const std::string& text) { write_file(etc / "modprobe.d/test.conf", text); }

  RunResult run(std::vector<std::string> args) {
    RunEnv env;
    env.argv = {"modprobe", "-d", tree.root(), "-S", tree.kver};
    env.argv.insert(env.argv.end(), args.begin(), args.end());
    env.kernel = &kernel;
    env.environment = &environment;
    return run_captured(env, etc);
  }
  std::string misc(const std::string& m) const { return tree.moddir + "/kernel/misc/" + m + ".ko"; }
  std::string net(const std::string& m) const { return tree.moddir + "/kernel/drivers/net/" + m + ".ko"; }
};

// The module files of -n -v lines ("/sbin/insmod PATH ..." or kmod's
// "insmod PATH ..."), in order.
Strings insmod_paths(const std::string& out) {
  Strings paths;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string cmd, path;
    words >> cmd >> path;
    if (cmd == "/sbin/insmod" || cmd == "insmod") paths.push_back(path);
  }
  return paths;
}

}  // namespace

TEST_CASE("legacy: dependency order, options and hooks in -n -v (examples 1, 2, 6)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("options mod_a level=5\npre-install mod_b echo A\npost-install mod_b echo B\n");
  auto r = t.run({"-n", "-v", "mod_b"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + " level=5\n# pre-install mod_b:\necho A\n/sbin/insmod " +
                     t.misc("mod_b") + "\n# post-install mod_b:\necho B\n");
  r = t.run({"-n", "-v", "mod_a", "level=7"});
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + " level=7\n");
  CHECK(t.kernel.log.empty());
  // An install command replaces the insmod line; only the first counts (example 20).
  t.conf("install mod_b echo one\ninstall mod_b echo two\n");
  r = t.run({"-n", "-v", "mod_b"});
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + "\n# install mod_b:\necho one\n");
}

TEST_CASE("legacy: alias options override module options (example 3), -k and insmod_opt (4, 5)",
          "[modprobe][legacy]") {
  Legacy t;
  t.conf("alias eth0 mod_a\noptions mod_a level=5 x=1\noptions eth0 level=9\n");
  auto r = t.run({"-n", "-v", "eth0"});
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + " level=9 x=1\n");
  r = t.run({"-n", "-v", "eth0", "level=11"});
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + " level=11 x=1\n");

  t.conf("options -k mod_b y=2\n");
  r = t.run({"-k", "-n", "-v", "mod_b"});
  CHECK(r.out == "/sbin/insmod -k -q " + t.misc("mod_a") + "\n/sbin/insmod -q " + t.misc("mod_b") + " y=2\n");
  t.conf("insmod_opt=-f -x\n");
  r = t.run({"-n", "-v", "boot_one"});
  CHECK(r.out == "/sbin/insmod -f -x " + t.misc("boot_one") + "\n");
}

TEST_CASE("legacy: option merging rules", "[modprobe][legacy]") {
  MergedOptions m;
  m.add_group({"io=0x300", "irq=5", "-o", "eth0"}, true);
  m.add_group({"irq=9", "-o", "eth1", "plain", "dma=1"}, true);  // stops at "plain"
  CHECK(m.words == Strings{"io=0x300", "irq=9", "-o", "eth1"});
  CHECK(m.object_name() == "eth1");
  m.add_group({"flag", "name=a b"}, false);  // modprobe.d: plain words kept
  CHECK(m.kernel_params() == "io=0x300 irq=9 flag name=\"a b\"");
}

TEST_CASE("legacy: loading for real, hooks around the module", "[modprobe][legacy]") {
  Legacy t;
  std::string log = t.etc / "hooks.log";
  t.conf("options mod_a level=5\npre-install mod_b echo pre $MODPROBE_MODULE >>" + log +
         "\npost-install mod_b echo post >>" + log + "\n");
  auto r = t.run({"mod_b"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load mod_a level=5", "load mod_b"});
  CHECK(read_file(log) == "pre mod_b\npost\n");
  // Already loaded: nothing runs again.
  r = t.run({"mod_b"});
  CHECK(r.rc == 0);
  CHECK(read_file(log) == "pre mod_b\npost\n");
  CHECK(t.kernel.log.size() == 2);
}

TEST_CASE("legacy: off, null, not found (examples 7, 8)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("alias nothing off\nalias nul null\npre-install nul touch " + (t.etc / "ran") + "\n");
  auto r = t.run({"nothing"});
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  r = t.run({"nul"});
  CHECK(r.rc == 0);
  CHECK_FALSE(std::filesystem::exists(t.etc / "ran"));
  // A built-in alias of modutils' table (eth0 off).
  r = t.run({"eth0"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log.empty());

  r = t.run({"nosuch"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't locate module nosuch\n");
  r = t.run({"-q", "nosuch"});
  CHECK(r.rc == 255);
  CHECK(r.err.empty());
}

TEST_CASE("legacy: a failing module unloads what the run loaded (example 11)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("\n");
  t.kernel.add_loaded("mod_d");
  t.kernel.init_errno["mod_e"] = ENODEV;
  auto r = t.run({"mod_e"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: could not insert 'mod_e': No such device\nmodprobe: insmod " + t.net("mod_e") +
                     " failed\nmodprobe: insmod mod_e failed\n");
  CHECK(t.kernel.log == Strings{"load mod_a", "load mod_b", "unload mod_b", "unload mod_a"});
  CHECK(t.kernel.loaded("mod_d"));
}

TEST_CASE("legacy: only the first operand that loads, unless -a (example 10)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("\n");
  auto r = t.run({"-n", "-v", "boot_one", "mod_b"});
  CHECK(r.out == "/sbin/insmod " + t.misc("boot_one") + "\n");
  r = t.run({"-a", "-n", "-v", "boot_one", "mod_b"});
  CHECK(r.out == "/sbin/insmod " + t.misc("boot_one") + "\n/sbin/insmod " + t.misc("mod_a") + "\n/sbin/insmod " +
                     t.misc("mod_b") + "\n");
  // Without -a a failing first operand lets the second try.
  t.kernel.init_errno["fail_init"] = ENODEV;
  r = t.run({"fail_init", "boot_two"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("boot_two"));
}

TEST_CASE("legacy: tags, -t, -a -t and -l (1996 page)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("keep\npath[net]=" + t.tree.moddir + "/kernel/drivers/net\n");
  t.kernel.init_errno["fail_init"] = ENODEV;
  // -l: walk order, strcmp within a directory ('-' before '_').
  auto r = t.run({"-l", "-t", "net"});
  CHECK(r.rc == 0);
  CHECK(r.out == t.net("fail_init") + "\n" + t.net("mod-d") + "\n" + t.net("mod_e") + "\n");
  r = t.run({"-l", "mod_?.ko"});
  CHECK(r.out == t.net("mod_e") + "\n" + t.misc("mod_a") + "\n" + t.misc("mod_b") + "\n" + t.misc("mod_c") + "\n");

  // The first that works: fail_init fails, mod-d loads, mod_e is not tried.
  r = t.run({"-t", "net"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load mod_d"});
  t.kernel.delete_module("mod_d", 0);
  t.kernel.log.clear();
  r = t.run({"-t", "net", "fail*"});
  CHECK(r.rc == 255);
  CHECK(t.kernel.log.empty());
  // -a: everything that can load.
  r = t.run({"-a", "-t", "net"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("mod_d"));
  CHECK(t.kernel.loaded("mod_e"));
  CHECK_FALSE(t.kernel.loaded("fail_init"));
  // A module under misc/ has tag misc by its path.
  r = t.run({"-l", "-t", "misc", "boot*"});
  CHECK(r.out == t.misc("boot_one") + "\n" + t.misc("boot_two") + "\n");
}

TEST_CASE("legacy: probe, probeall, above and below", "[modprobe][legacy]") {
  Legacy t;
  t.conf("probe mynet fail_init boot_one boot_two\nprobeall allboot boot_one boot_two\n"
         "above mod_a boot_one\nbelow mod_a boot_two\n");
  t.kernel.init_errno["fail_init"] = ENODEV;
  auto r = t.run({"mynet"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load boot_one"});
  t.kernel.log.clear();
  r = t.run({"allboot"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load boot_two"});  // boot_one was in already

  r = t.run({"-n", "-v", "mod_a"});
  CHECK(r.out == "/sbin/insmod " + t.misc("boot_two") + "\n/sbin/insmod " + t.misc("mod_a") + "\n/sbin/insmod " +
                     t.misc("boot_one") + "\n");
  // A missing above module fails the request (and is not suppressed by -q).
  t.conf("above mod_a no_such\n");
  r = t.run({"-q", "mod_a"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't locate module no_such which is needed for mod_a\n");
  // An "off" one makes it a silent no-op.
  t.conf("above mod_a gone\nalias gone off\n");
  r = t.run({"mod_a"});
  CHECK(r.rc == 0);
  CHECK_FALSE(t.kernel.loaded("mod_a"));
}

TEST_CASE("legacy: -r keeps what is in use (example 12)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("pre-remove mod_e echo bye >>" + (t.etc / "rm.log") + "\n");
  load_c_and_e_stacks(&t.kernel);
  auto r = t.run({"-r", "mod_e"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(t.kernel.log == Strings{"unload mod_e", "unload mod_d"});
  CHECK(read_file(t.etc / "rm.log") == "bye\n");
  r = t.run({"-r", "mod_b"});
  CHECK(r.rc == 1);
  CHECK(r.err == "mod_b: Device or resource busy\n");
  r = t.run({"-r", "boot_two"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  // mod_c's softdeps mean nothing to modutils' removal; mod_c's stack goes.
  t.kernel.add_loaded("mod_d");
  t.kernel.add_loaded("mod_e", {"mod_b", "mod_d"});
  t.kernel.log.clear();
  r = t.run({"-r", "mod_c"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"unload mod_c"});
}

TEST_CASE("legacy: --first-time as the kmod engine", "[modprobe][legacy]") {
  Legacy t;
  t.conf("options mod_a level=5\n");
  // Loading: a module already there is a failure, nothing is inserted.
  t.kernel.add_loaded("mod_a");
  auto r = t.run({"--first-time", "mod_a"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: could not insert 'mod_a': Module already in kernel\nmodprobe: insmod mod_a failed\n");
  CHECK(t.kernel.calls.empty());
  // Without it, modutils' rule: already loaded is success.
  r = t.run({"mod_a"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  // A dependency already there is no failure: mod_b goes in over mod_a.
  r = t.run({"--first-time", "mod_b"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load mod_b"});
  // Removing: a module that is not there is a failure.
  r = t.run({"-r", "--first-time", "boot_one"});
  CHECK(r.rc == 1);
  CHECK(r.err == "boot_one: No such file or directory\n");
  r = t.run({"-r", "boot_one"});
  CHECK(r.rc == 0);
  r = t.run({"-r", "--first-time", "mod_b"});
  CHECK(r.rc == 0);
  CHECK_FALSE(t.kernel.loaded("mod_b"));
}

TEST_CASE("legacy: -r honours -w and -f as the kmod engine does", "[modprobe][legacy]") {
  Legacy t;
  t.conf("options mod_a level=5\n");
  // A reference that is not a module (an open device): without -w the
  // module is left alone, the kernel is not asked.
  t.kernel.add_loaded("boot_one");
  t.kernel.modules["boot_one"].extra_refs = 1;
  auto r = t.run({"-r", "boot_one"});
  CHECK(r.rc == 1);
  CHECK(r.err == "boot_one: Device or resource busy\n");
  CHECK(t.kernel.calls.empty());
  // With -w the removal is retried until the reference goes away.
  t.kernel.refs_dropped_after["boot_one"] = 2;
  r = t.run({"-r", "-w", "1000", "boot_one"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(t.kernel.calls == Strings{"delete boot_one", "delete boot_one", "delete boot_one"});
  CHECK(t.kernel.log == Strings{"unload boot_one"});
  CHECK(t.kernel.last_delete_flags == O_NONBLOCK);
  // ... and given up after the -w time.
  t.kernel.add_loaded("boot_one");
  t.kernel.modules["boot_one"].extra_refs = 1;
  t.kernel.refs_dropped_after["boot_one"] = 1000000;
  t.kernel.calls.clear();
  r = t.run({"-r", "-w", "5", "boot_one"});
  CHECK(r.rc == 1);
  CHECK(r.err == "boot_one: Resource temporarily unavailable\n");
  CHECK(t.kernel.calls.size() > 1);
  CHECK(t.kernel.loaded("boot_one"));
  // A module used by another one is still kept with -w when it is not the
  // named one: mod_b stays for mod_e, mod_a for mod_b.
  t.kernel.add_loaded("mod_a");
  t.kernel.add_loaded("mod_b", {"mod_a"});
  t.kernel.add_loaded("mod_d");
  t.kernel.add_loaded("mod_e", {"mod_b", "mod_d"});
  t.kernel.add_loaded("mod_c", {"mod_b"});
  t.kernel.log.clear();
  r = t.run({"-r", "-w", "5", "mod_c"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"unload mod_c"});
  // -f: delete_module with O_TRUNC, as the kmod engine.
  t.kernel.modules["boot_one"].extra_refs = 0;
  r = t.run({"-r", "-f", "boot_one"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.last_delete_flags == (O_NONBLOCK | O_TRUNC));
  CHECK_FALSE(t.kernel.loaded("boot_one"));
  // The rollback of a failed load stays a plain O_NONBLOCK delete even with -f.
  t.conf("below fail_init mod_a\n");
  t.kernel.init_errno["fail_init"] = ENODEV;
  t.kernel.log.clear();
  t.kernel.modules.clear();
  r = t.run({"-f", "fail_init"});
  CHECK(r.rc == 255);
  CHECK(t.kernel.log == Strings{"load mod_a", "unload mod_a"});
  CHECK(t.kernel.last_delete_flags == O_NONBLOCK);
}

TEST_CASE("legacy and kmod removers: the same kernel calls for -w and -f", "[modprobe][legacy]") {
  struct Seen {
    int rc;
    Strings calls;
    int flags;
  };
  auto scenario = [](bool legacy, std::vector<std::string> args) {
    Legacy t;
    if (legacy) t.conf("options mod_a level=5\n");
    t.kernel.add_loaded("boot_one");
    t.kernel.modules["boot_one"].extra_refs = 1;
    t.kernel.refs_dropped_after["boot_one"] = 3;
    auto r = t.run(args);
    return Seen{r.rc == 0 ? 0 : 1, t.kernel.calls, t.kernel.last_delete_flags};
  };
  for (const auto& args : {Strings{"-r", "-w", "2000", "boot_one"}, Strings{"-r", "-f", "-w", "2000", "boot_one"},
                           Strings{"-r", "-f", "boot_one"}, Strings{"-r", "boot_one"}}) {
    Seen k = scenario(false, args), l = scenario(true, args);
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    INFO(shown);
    CHECK(l.rc == k.rc);
    CHECK(l.calls == k.calls);
    CHECK(l.flags == k.flags);
  }
  Seen w = scenario(true, {"-r", "-f", "-w", "2000", "boot_one"});
  CHECK(w.rc == 0);
  CHECK(w.calls.size() == 4);
  CHECK(w.flags == (O_NONBLOCK | O_TRUNC));
}

TEST_CASE("legacy: -D and -n -r never reach the kernel", "[modprobe][legacy]") {
  Legacy t;
  load_c_and_e_stacks(&t.kernel);
  auto r = t.run({"-D", "-r", "mod_e"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.calls.empty());
  CHECK(t.kernel.loaded("mod_e"));
  r = t.run({"-n", "-v", "-r", "mod_e"});
  CHECK(r.rc == 0);
  CHECK(r.out == "rmmod mod_e\n");  // the others still look used: nothing was removed
  CHECK(t.kernel.calls.empty());
  CHECK(t.kernel.loaded("mod_e"));
}

TEST_CASE("legacy: mixed with modprobe.d and the module's own aliases", "[modprobe][legacy]") {
  Legacy t;
  t.conf("alias mng-legacy-a mod_a\noptions mod_a level=5\n");
  t.modprobe_d("alias mng-pd-alias boot_two\noptions boot_one greeting=pd\n");
  auto r = t.run({"mng-legacy-a"});
  CHECK(t.kernel.log == Strings{"load mod_a level=5"});
  r = t.run({"mng-pd-alias"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("boot_two"));
  r = t.run({"boot_one"});
  CHECK(t.kernel.modules["boot_one"].params == "greeting=pd");
  t.kernel.log.clear();
  r = t.run({"-n", "-v", "test-c-anything"});  // MODULE_ALIAS through modules.alias.bin
  CHECK(r.rc == 0);
  CHECK(r.out.find("/sbin/insmod " + t.misc("mod_c")) != std::string::npos);
  // -D keeps kmod's lines, which initramfs tools read.
  r = t.run({"-D", "mng-legacy-a"});
  CHECK(r.out == "insmod " + t.misc("mod_a") + " level=5\n");
  r = t.run({"-R", "mng-legacy-a"});
  CHECK(r.out == "mod_a\n");
}

TEST_CASE("legacy: -c prints modutils' layout without the index dump", "[modprobe][legacy]") {
  Legacy t;
  t.conf("alias foo mod_a\n");
  auto r = t.run({"-c"});
  CHECK(r.rc == 0);
  CHECK(r.out.starts_with("# Generated by modprobe -c"));
  CHECK(r.out.find("alias foo mod_a\n") != std::string::npos);
  CHECK(r.out.find("Dumping indexes") == std::string::npos);
  // A newer configuration gets modutils' note.
  write_file(t.etc / "modules.conf", "alias foo mod_a\n");
  struct utimbuf old = {946684800, 946684800};
  for (const char* f : {"/modules.dep", "/modules.dep.bin"}) utime((t.tree.moddir + f).c_str(), &old);
  r = t.run({"-c"});
  CHECK(r.out.starts_with("Note: " + (t.etc / "modules.conf") + " is more recent than "));
}

TEST_CASE("legacy: modutils' modules.dep layout, missing dependencies, cycles", "[modprobe][legacy]") {
  Legacy t;
  t.conf("\n");
  std::string md = t.tree.moddir;
  std::string rel = "/lib/modules/" + t.tree.kver;
  for (const char* f : {"modules.dep.bin", "modules.alias.bin", "modules.symbols.bin"})
    std::filesystem::remove(md + "/" + f);
  // modutils 2.4: absolute paths below the image root, direct deps only.
  write_file(md + "/modules.dep", rel + "/kernel/misc/mod_a.ko:\n\n" + rel + "/kernel/misc/mod_b.ko:\t" + rel +
                                      "/kernel/misc/mod_a.ko\n\n" + rel + "/kernel/misc/mod_c.ko:\t" + rel +
                                      "/kernel/misc/mod_b.ko\n\n");
  auto r = t.run({"-n", "-v", "mod_c"});
  CHECK(r.rc == 0);
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + "\n/sbin/insmod " + t.misc("mod_b") + "\n/sbin/insmod " +
                     t.misc("mod_c") + "\n");
  r = t.run({"mod_c"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("mod_c"));

  // Example 9: a dependency without an entry.
  write_file(md + "/modules.dep", rel + "/kernel/misc/mod_b.ko:\t" + rel + "/kernel/misc/mod_a.ko\n\n");
  r = t.run({"-q", "mod_b"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't locate module mod_a which is needed for mod_b\n");

  // A cycle (modutils' depmod did not detect them): an error, not a crash.
  write_file(md + "/modules.dep", rel + "/x/loop_x.ko:\t" + rel + "/x/loop_y.ko\n\n" + rel + "/x/loop_y.ko:\t" + rel +
                                      "/x/loop_x.ko\n\n");
  r = t.run({"loop_x"});
  CHECK(r.rc == 255);
  CHECK(r.err.find("modprobe: Too deep recursion in module dependencies!\nmodprobe: Circular dependency?") == 0);

  // Example 19: no modules.dep at all.
  std::filesystem::remove(md + "/modules.dep");
  r = t.run({"-c"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't open dependencies file " + md + "/modules.dep (No such file or directory)\n");
}

TEST_CASE("legacy: nothing to load; invalid configuration line (examples 18, 26)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("\n");
  auto r = t.run({});
  CHECK(r.rc == 0);
  CHECK(r.err == "modprobe: Nothing to load ???\nSpecify at least a module or a wildcard like \\*\n");
  t.conf("frobnicate x\n");
  r = t.run({"mod_a"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Invalid line 1 in " + (t.etc / "modules.conf") + "\n\tfrobnicate\n");
  CHECK(t.kernel.log.empty());
}

TEST_CASE("legacy: devfs names match '/' aliases as shell patterns", "[modprobe][legacy]") {
  Legacy t;
  // modutils' idiom: every /dev/sgN is /dev/sg, a probeall name.
  t.conf("alias /dev/sg* /dev/sg\nprobeall /dev/sg mod_b boot_one\n");
  auto r = t.run({"-n", "-v", "/dev/sg0"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + "\n/sbin/insmod " + t.misc("mod_b") + "\n/sbin/insmod " +
                     t.misc("boot_one") + "\n");
  r = t.run({"/dev/sg12"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load mod_a", "load mod_b", "load boot_one"});
  // -r takes the probeall members out again.
  t.kernel.log.clear();
  r = t.run({"-r", "/dev/sg12"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"unload mod_b", "unload mod_a", "unload boot_one"});
  // -R names them.
  r = t.run({"-R", "/dev/sg3"});
  CHECK(r.out == "mod_b\nboot_one\n");

  // '?' is one character; the value may be a module; a name outside the
  // patterns is not found.
  t.conf("alias /dev/tty? boot_two\nalias /dev/sg* /dev/sg\nprobe /dev/sg fail_init boot_one\n");
  t.kernel.init_errno["fail_init"] = ENODEV;
  r = t.run({"-n", "-v", "/dev/tty1"});
  CHECK(r.rc == 0);
  CHECK(r.out == "/sbin/insmod " + t.misc("boot_two") + "\n");
  r = t.run({"-n", "-v", "/dev/tty12"});
  CHECK(r.rc == 255);
  CHECK(r.out.empty());
  CHECK(r.err == "modprobe: Can't locate module /dev/tty12\n");
  // probe: the first member that loads.
  t.kernel.log.clear();
  r = t.run({"/dev/sg0"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("boot_one"));
  CHECK_FALSE(t.kernel.loaded("fail_init"));
  // A '/' alias is no pattern for names without '/'.
  t.conf("alias /dev/* boot_two\n");
  r = t.run({"-n", "-v", "dev"});
  CHECK(r.rc == 255);
}

TEST_CASE("legacy: a name with a module file suffix names that module", "[modprobe][legacy]") {
  Legacy t;
  t.conf("options mod_b x=1\n");
  for (const char* name : {"mod_b.ko", "mod_b.o", "mod_b.o.gz", "mod_b.ko.gz", "mod_b.ko.xz", "mod_b.ko.zst"}) {
    INFO(name);
    auto r = t.run({"-n", "-v", name});
    CHECK(r.rc == 0);
    CHECK(r.err.empty());
    CHECK(r.out == "/sbin/insmod " + t.misc("mod_a") + "\n/sbin/insmod " + t.misc("mod_b") + " x=1\n");
  }
  auto r = t.run({"mod-d.ko"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.log == Strings{"load mod_d"});
  r = t.run({"-n", "-v", "no_such.ko"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't locate module no_such.ko\n");
  CHECK(strip_module_suffix("ext4.ko.zst") == "ext4");
  CHECK(strip_module_suffix("ext4") == "ext4");
  CHECK(strip_module_suffix(".ko") == ".ko");
  CHECK(strip_module_suffix("/lib/x.ko") == "/lib/x.ko");
}

TEST_CASE("legacy: modprobe -r without a module is modutils' autoclean", "[modprobe][legacy]") {
  Legacy t;
  t.conf("\n");
  t.kernel.add_loaded("mod_a");
  auto r = t.run({"-r", "-n", "-v"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "# autoclean\n");
  r = t.run({"-r", "-v"});
  CHECK(r.rc == 0);
  CHECK(r.out == "# autoclean\n");
  r = t.run({"-r"});
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  CHECK(t.kernel.log.empty());  // nothing is flagged autoclean on a modern kernel
  CHECK(t.kernel.loaded("mod_a"));
}

TEST_CASE("legacy: softdeps are honoured as the kmod engine honours them", "[modprobe][legacy]") {
  Legacy t;
  // One softdep name that stands for two modules (as crc32c for ext4),
  // pre and post.
  t.modprobe_d("alias mng-multi boot_one\nalias mng-multi boot_two\nalias mng-after mod-d\nalias mng-after fail_init\n"
               "softdep mod_a pre: mng-multi post: mng-after\n");
  auto kmod = t.run({"-n", "-v", "mod_a"});
  REQUIRE(kmod.rc == 0);
  Strings want = {t.misc("boot_one"), t.misc("boot_two"), t.misc("mod_a"), t.net("mod-d"), t.net("fail_init")};
  CHECK(insmod_paths(kmod.out) == want);
  t.conf("\n");
  auto r = t.run({"-n", "-v", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(insmod_paths(r.out) == want);
  // Loading for real, mod_c's own softdep (its modinfo, through
  // modules.softdep) with mod_a's from modprobe.d below it: both engines
  // load the same modules, softdeps on the right side of their module
  // (where two orders fit, modutils' stack keeps a module where it is first
  // needed: mod_d, pre of mod_c, stays before mod_c and after mod_a).
  Strings kmod_log;
  for (bool legacy : {false, true}) {
    INFO("legacy " << legacy);
    t.kernel = SimKernel();
    t.kernel.init_errno["fail_init"] = ENODEV;  // a failing softdep does not stop the module
    if (legacy) t.conf("\n");
    else std::filesystem::remove(t.etc / "modules.conf");
    r = t.run({"mod_c"});
    CHECK(r.rc == 0);
    CHECK(t.kernel.loaded("mod_c"));
    if (!legacy) kmod_log = t.kernel.log;
  }
  CHECK(kmod_log == Strings{"load boot_one", "load boot_two", "load mod_a", "load mod_d", "load mod_b", "load mod_c",
                            "load mod_e"});
  CHECK(t.kernel.log == Strings{"load boot_one", "load boot_two", "load mod_a", "load mod_b", "load mod_d",
                                "load mod_c", "load mod_e"});
}

TEST_CASE("legacy walk: type 1 directories, prune, module files only", "[modprobe][legacy]") {
  TempDir d;
  for (const char* f : {"kernel/fs/a.o", "kernel/net/b.ko", "misc/c.ko.xz", "zzz/d.ko", "modules.dep", "e.o",
                        "build/f.o", "kernel/notes.txt"})
    write_file(d / f, "x");
  auto files = walk_module_paths({{"toplevel", d.path}}, {"build"});
  Strings got;
  for (const auto& f : files) got.push_back(f.path.substr(d.path.size() + 1));
  // Type 1 (has kernel/): known type dirs (kernel, misc) first, then other
  // dirs (zzz; build pruned), then files; kernel/ itself is type 2.
  CHECK(got == Strings{"kernel/fs/a.o", "kernel/net/b.ko", "misc/c.ko.xz", "zzz/d.ko", "e.o"});
  CHECK(module_stem("x/c.ko.xz") == "c");
  CHECK(match_operand(files, "c").size() == 1);
  CHECK(match_operand(files, "*").size() == 2);  // "*.o" matches first: a.o and e.o
}

TEST_CASE("legacy: -i ignores install commands (they often call modprobe -i)", "[modprobe][legacy]") {
  Legacy t;
  t.conf("install mod_a touch " + (t.etc / "ran") + "\n");
  auto r = t.run({"-i", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(t.kernel.loaded("mod_a"));
  CHECK_FALSE(std::filesystem::exists(t.etc / "ran"));
}
