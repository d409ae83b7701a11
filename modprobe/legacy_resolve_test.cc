// modutils' name resolution in the legacy engine, and what it owes to
// configurations a modern kernel brings along: devfs pattern aliases, names
// with a module suffix, the autoclean run of "modprobe -r", and kmod's
// softdeps under a modules.conf.  Against the simulated kernel, on trees of
// the real test modules.
#include <utime.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "modprobe/legacy_engine.h"
#include "modprobe/modprobe.h"
#include "modprobe/test_tree.h"

using namespace mng;
using namespace mng::testing;

namespace {

using Strings = std::vector<std::string>;

struct Tree {
  ModTree tree;
  TempDir etc;
  std::map<std::string, std::string> environment;
  SimKernel kernel;

  Tree() {
    fill_mod_tree(&tree);
    std::filesystem::create_directories(etc / "modprobe.d");
  }
  // /etc/modules.conf, older than modules.dep (no "Note:" line).
  void conf(const std::string& text) {
    write_file(etc / "modules.conf", text);
    struct utimbuf t = {946684800, 946684800};
    utime((etc / "modules.conf").c_str(), &t);
  }
  void no_conf() { std::filesystem::remove(etc / "modules.conf"); }
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

TEST_CASE("legacy: devfs names match '/' aliases as shell patterns", "[modprobe][legacy]") {
  Tree t;
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
  Tree t;
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
  Tree t;
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
  Tree t;
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
    else t.no_conf();
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
