// SPDX-License-Identifier: GPL-2.0-or-later
// modprobe with a legacy configuration on module trees laid out as
// modutils 2.4 systems had them: the order and names `-l` prints, the
// "more recent" note, and an image below -d ROOT.
#include <utime.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/log.h"
#include "depmod/depmod.h"
#include "modprobe/modprobe.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

using Strings = std::vector<std::string>;

void swallow(Level, std::string_view, void*) {}

struct Image {
  TempDir root;
  TempDir etc;
  std::string kver = testmods_kver();
  std::map<std::string, std::string> environment;
  SimKernel kernel;

  std::string moddir() const { return root / ("lib/modules/" + kver); }
  void put(const std::string& module, const std::string& rel) {
    copy_file(testmods_dir() + "/" + module + ".ko", root / rel);
  }
  std::string conf(const std::string& text) {
    write_file(etc / "modules.conf", text);
    return etc / "modules.conf";
  }
  // depmod -b ROOT -C FILE KVER, in process.
  int depmod(const std::string& conf_file) {
    DepmodOptions opt;
    opt.basedir = root.path;
    opt.kver = kver;
    opt.config_paths = {conf_file};
    set_log_sink(swallow, nullptr);
    int rc = run_depmod(opt);
    set_log_sink(nullptr, nullptr);
    return rc;
  }
  RunResult run(std::vector<std::string> args) {
    RunEnv env;
    env.argv = {"modprobe"};
    env.argv.insert(env.argv.end(), args.begin(), args.end());
    env.kernel = &kernel;
    env.environment = &environment;
    return run_captured(env, etc);
  }
};


}  // namespace

TEST_CASE("legacy -l: below the path[] entry in strcmp order, nested prune names kept", "[modprobe][legacy][walk]") {
  Image t;
  const std::string d = "lib/modules/" + t.kver + "/kernel/drivers/";
  t.put("mod_a", d + "block/mod_a.ko");
  t.put("mod_b", d + "cdrom/mod_b.ko");
  t.put("mod_c", d + "char/mod_c.ko");
  t.put("mod-d", d + "net/mod-d.ko");
  t.put("mod_e", d + "parport/mod_e.ko");
  t.put("boot_one", d + "scsi/boot_one.ko");
  t.put("boot_two", d + "build/boot_two.ko");
  std::string conf = t.conf("path[toplevel]=/lib/modules/" + t.kver + "\n");
  REQUIRE(t.depmod(conf) == 0);
  auto r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-l"});
  CHECK(r.rc == 0);
  std::string k = t.moddir() + "/kernel/drivers/";
  // modutils: block, build, cdrom, char, net, parport, scsi (strcmp order,
  // nothing pruned below the top of the path[] entry).
  CHECK(lines_of(r.out) == Strings{k + "block/mod_a.ko", k + "build/boot_two.ko", k + "cdrom/mod_b.ko",
                                k + "char/mod_c.ko", k + "net/mod-d.ko", k + "parport/mod_e.ko",
                                k + "scsi/boot_one.ko"});
  // -t candidates come in that order too: the first one under /drivers/ is
  // block's mod_a.
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "-t", "drivers", "*"});
  CHECK(r.rc == 0);
  CHECK(r.out == "/sbin/insmod " + k + "block/mod_a.ko\n");
}

TEST_CASE("legacy -l: the configuration's names on a merged-/usr system", "[modprobe][legacy][walk]") {
  Image t;
  t.put("mod_a", "usr/lib/modules/" + t.kver + "/kernel/misc/mod_a.ko");
  std::filesystem::create_directory_symlink("usr/lib", t.root / "lib");
  std::string conf = t.conf("path[toplevel]=/lib/modules/" + t.kver + "\n");
  auto r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-l"});
  CHECK(r.rc == 255);  // no modules.dep yet
  REQUIRE(t.depmod(conf) == 0);
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-l"});
  CHECK(r.rc == 0);
  // modutils resolves only a path[] entry that is itself a symlink.
  CHECK(r.out == t.moddir() + "/kernel/misc/mod_a.ko\n");
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "-t", "misc", "mod_a"});
  CHECK(r.rc == 0);
  CHECK(r.out.ends_with("/kernel/misc/mod_a.ko\n"));
}

TEST_CASE("legacy note: configuration newer than modules.dep itself, includes too", "[modprobe][legacy]") {
  Image t;
  t.put("mod_a", "lib/modules/" + t.kver + "/kernel/misc/mod_a.ko");
  std::string inc = t.etc / "extra.conf";
  write_file(inc, "alias foo mod_a\n");
  std::string conf = t.conf("path[toplevel]=/lib/modules/" + t.kver + "\ninclude " + inc + "\n");
  REQUIRE(t.depmod(conf) == 0);
  std::string dep = t.moddir() + "/modules.dep";
  REQUIRE(std::filesystem::exists(dep + ".bin"));
  const std::string note = "Note: " + conf + " is more recent than " + dep + "\n";
  auto at = [&](const std::string& file, time_t when) {
    struct utimbuf u = {when, when};
    REQUIRE(utime(file.c_str(), &u) == 0);
  };
  auto noted = [&] {
    auto r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-c"});
    CHECK(r.rc == 0);
    if (r.out.starts_with(note)) return true;
    CHECK(r.out.find("Note:") == std::string::npos);
    return false;
  };
  at(conf, 1000000000);
  at(inc, 1000000000);
  at(dep, 1100000000);
  at(dep + ".bin", 1100000000);
  CHECK_FALSE(noted());
  // Only modules.dep.bin is older: no note (touching modules.dep clears it).
  at(dep + ".bin", 900000000);
  CHECK_FALSE(noted());
  // modules.dep older than the file: the note.
  at(dep, 900000000);
  CHECK(noted());
  // Only the included file is newer than modules.dep: the note, naming
  // the configuration file.
  at(conf, 800000000);
  at(inc, 800000000);
  CHECK_FALSE(noted());
  at(inc, 1000000000);
  CHECK(noted());
}

TEST_CASE("legacy -d ROOT: after depmod -b ROOT -C, paths stay under ROOT", "[modprobe][legacy]") {
  Image t;
  t.put("mod_a", "lib/modules/boot/loop.ko");
  t.put("boot_one", "lib/modules/boot/boot_one.ko");
  t.put("mod_b", "lib/modules/" + t.kver + "/kernel/misc/mod_b.ko");
  std::string conf = t.conf("alias foo mod_b\n");
  REQUIRE(t.depmod(conf) == 0);
  std::string boot = t.root / "lib/modules/boot/";

  auto r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "loop"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "/sbin/insmod " + boot + "loop.ko\n");

  // mod_b needs mod_a, which is loop.ko here: both under ROOT.
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "foo"});
  CHECK(r.rc == 0);
  CHECK(r.out == "/sbin/insmod " + boot + "loop.ko\n/sbin/insmod " + t.moddir() + "/kernel/misc/mod_b.ko\n");

  // The rc script's `modprobe -a -t boot`.
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "-a", "-t", "boot"});
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "/sbin/insmod " + boot + "boot_one.ko\n/sbin/insmod " + boot + "loop.ko\n");

  // Nothing to find is said, not just an exit status.
  r = t.run({"-C", conf, "-d", t.root.path, "-S", t.kver, "-n", "-v", "-a", "-t", "nosuchtag"});
  CHECK(r.rc == 255);
  CHECK(r.err == "modprobe: Can't locate module *\n");
}
