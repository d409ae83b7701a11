// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/moddep.h"

#include <catch2/catch.hpp>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

std::vector<std::string> names(const std::vector<DepEntry>& v) { return members_of(v, &DepEntry::name); }

}  // namespace

TEST_CASE("modules.dep in kmod's layout", "[modprobe][moddep]") {
  ModDep d;
  d.parse_text(
      "kernel/misc/mod_b.ko: kernel/misc/mod_a.ko\n"
      "kernel/drivers/net/mod_e.ko: kernel/drivers/net/mod-d.ko kernel/misc/mod_b.ko kernel/misc/mod_a.ko\n"
      "kernel/misc/mod_a.ko:\n"
      "kernel/drivers/net/mod-d.ko:\n"
      "/opt/extra/ext.ko.xz: kernel/misc/mod_a.ko\n",
      "modules.dep", {"/lib/modules/6.1", ""});
  CHECK(d.layout() == DepLayout::kmod);
  DepEntry e;
  REQUIRE(d.lookup("mod_e", &e));
  CHECK(e.path == "/lib/modules/6.1/kernel/drivers/net/mod_e.ko");
  CHECK(e.deps.size() == 3);
  CHECK(names(d.load_order(e)) == std::vector<std::string>{"mod_a", "mod_b", "mod_d"});
  // '-' and '_' name the same module.
  REQUIRE(d.lookup("mod-d", &e));
  CHECK(e.path == "/lib/modules/6.1/kernel/drivers/net/mod-d.ko");
  REQUIRE(d.lookup("mod_d", &e));
  // Absolute paths (external modules) are kept.
  REQUIRE(d.lookup("ext", &e));
  CHECK(e.path == "/opt/extra/ext.ko.xz");
  CHECK_FALSE(d.lookup("nosuch", &e));
  CHECK(d.problems().empty());
}

TEST_CASE("modules.dep in busybox's order gives the same load order", "[modprobe][moddep]") {
  // busybox lists the closure depth first: g -> {f, b}, f -> a.
  ModDep d;
  d.parse_text(
      "g.ko: f.ko a.ko b.ko\n"
      "f.ko: a.ko\n"
      "a.ko:\n"
      "b.ko:\n",
      "modules.dep", {"/m", ""});
  DepEntry e;
  REQUIRE(d.lookup("g", &e));
  auto order = names(d.load_order(e));
  // Every module after what it needs.
  auto pos = [&](const std::string& n) { return std::find(order.begin(), order.end(), n) - order.begin(); };
  REQUIRE(order.size() == 3);
  CHECK(pos("a") < pos("f"));
}

TEST_CASE("modules.dep in modutils 2.4's layout", "[modprobe][moddep]") {
  // Direct dependencies only, tab and backslash-newline between them, a
  // blank line after every entry (doc/formats.md, modules.dep in the modutils 2.4 layout).
  ModDep d;
  d.parse_text(
      "/lib/modules/2.4.20/kernel/drivers/net/3c59x.o:\n"
      "\n"
      "/lib/modules/2.4.20/kernel/drivers/net/8390.o:\n"
      "\n"
      "/lib/modules/2.4.20/kernel/drivers/net/ne.o:\t/lib/modules/2.4.20/kernel/drivers/net/8390.o\n"
      "\n"
      "/lib/modules/2.4.20/kernel/drivers/net/pppoe.o:\t/lib/modules/2.4.20/kernel/drivers/net/pppox.o \\\n"
      "\t/lib/modules/2.4.20/kernel/drivers/net/ne.o\n"
      "\n"
      "/lib/modules/2.4.20/kernel/drivers/net/pppox.o:\n"
      "\n",
      "modules.dep", {"/img/lib/modules/2.4.20", "/img"});
  CHECK(d.layout() == DepLayout::modutils);
  DepEntry e;
  REQUIRE(d.lookup("pppoe", &e));
  // The image root is put in front of the absolute paths.
  CHECK(e.path == "/img/lib/modules/2.4.20/kernel/drivers/net/pppoe.o");
  REQUIRE(e.deps.size() == 2);
  CHECK(e.deps[1] == "/img/lib/modules/2.4.20/kernel/drivers/net/ne.o");
  // ne's own dependency 8390 comes in through recursion.
  CHECK(names(d.load_order(e)) == std::vector<std::string>{"8390", "ne", "pppox"});
  std::vector<DepEntry> all;
  REQUIRE(d.all(&all, nullptr));
  CHECK(names(all) == std::vector<std::string>{"3c59x", "8390", "ne", "pppoe", "pppox"});
}

TEST_CASE("modules.dep in kmod's layout below an image root: absolute paths get the root", "[modprobe][moddep]") {
  // What depmod -b /img -C modules.conf writes for a module outside the
  // module directory (path[boot]=/lib/modules/boot).
  const std::string text =
      "kernel/misc/b.ko: /lib/modules/boot/loop.ko\n/lib/modules/boot/loop.ko:\n"
      "kernel/misc/c.ko: kernel/misc/b.ko /img/lib/modules/boot/loop.ko\n";
  ModDep d;
  d.parse_text(text, "modules.dep", {"/img/lib/modules/2.4.20", "/img"});
  CHECK(d.layout() == DepLayout::kmod);
  DepEntry e;
  REQUIRE(d.lookup("b", &e));
  CHECK(e.path == "/img/lib/modules/2.4.20/kernel/misc/b.ko");
  CHECK(e.deps == std::vector<std::string>{"/img/lib/modules/boot/loop.ko"});
  REQUIRE(d.lookup("loop", &e));
  CHECK(e.path == "/img/lib/modules/boot/loop.ko");
  // A path already below the root is kept.
  REQUIRE(d.lookup("c", &e));
  CHECK(e.deps.back() == "/img/lib/modules/boot/loop.ko");
  // "/" and a trailing slash add nothing more than the root itself.
  ModDep slash;
  slash.parse_text(text, "modules.dep", {"/lib/modules/2.4.20", "/"});
  REQUIRE(slash.lookup("loop", &e));
  CHECK(e.path == "/lib/modules/boot/loop.ko");
  ModDep trailing;
  trailing.parse_text(text, "modules.dep", {"/img/lib/modules/2.4.20", "/img/"});
  REQUIRE(trailing.lookup("loop", &e));
  CHECK(e.path == "/img/lib/modules/boot/loop.ko");
  // No root (kmod mode): absolute paths stay as written.
  ModDep none;
  none.parse_text(text, "modules.dep", {"/img/lib/modules/2.4.20", ""});
  REQUIRE(none.lookup("loop", &e));
  CHECK(e.path == "/lib/modules/boot/loop.ko");
}

TEST_CASE("modules.dep problems are reported with file and line", "[modprobe][moddep]") {
  ModDep d;
  d.parse_text("a.ko:\n# a comment\nthis line has no colon\n\nb.ko: a.ko\n", "/x/modules.dep", {"/m", ""});
  REQUIRE(d.problems().size() == 1);
  CHECK(d.problems()[0] == "/x/modules.dep:3: invalid dependency line (expected \"PATH: DEPENDENCIES\")");
  DepEntry e;
  CHECK(d.lookup("b", &e));
  // Duplicate basenames in two directories: both kept, first one wins.
  ModDep dup;
  dup.parse_text("kernel/a/x.ko:\nupdates/x.ko:\n", "modules.dep", {"/m", ""});
  REQUIRE(dup.lookup("x", &e));
  CHECK(e.path == "/m/kernel/a/x.ko");
  CHECK(dup.lookup_all("x").size() == 2);
  // Garbage never crashes.
  ModDep junk;
  junk.parse_text(std::string("\0\0:\\\n\\", 6) + ":::\n \t:\n", "junk", {"/m", ""});
  CHECK_FALSE(junk.problems().empty());
}

TEST_CASE("a modules.dep line naming more modules than a tree can hold is reported and ignored",
          "[modprobe][moddep]") {
  std::string text = "kernel/ok.ko: kernel/dep.ko\nkernel/huge.ko:";
  for (size_t i = 0; i <= kMaxDependencies; ++i) text += " kernel/missing/m" + std::to_string(i) + ".ko";
  text += "\nkernel/dep.ko:\n";
  ModDep d;
  d.parse_text(text, "/x/modules.dep", {"/m", ""});
  REQUIRE(d.problems().size() == 1);
  CHECK(d.problems()[0] == "/x/modules.dep:2: more than 65535 dependencies (no module tree has that many modules): "
                           "line ignored");
  DepEntry e;
  CHECK_FALSE(d.lookup("huge", &e));
  REQUIRE(d.lookup("ok", &e));
  CHECK(e.deps == std::vector<std::string>{"/m/kernel/dep.ko"});
  // One dependency fewer is a line like any other.
  text.erase(text.find(" kernel/missing/m0.ko"), std::string(" kernel/missing/m0.ko").size());
  ModDep full;
  full.parse_text(text, "/x/modules.dep", {"/m", ""});
  CHECK(full.problems().empty());
  REQUIRE(full.lookup("huge", &e));
  CHECK(e.deps.size() == kMaxDependencies);
}

TEST_CASE("modules.dep.bin written by depmod, and the text beside it", "[modprobe][moddep]") {
  ModTree t;
  fill_mod_tree(&t);
  ModDep bin;
  std::string err;
  REQUIRE(bin.open_dir(t.moddir, &err));
  CHECK(bin.uses_index());
  ModDep text;
  REQUIRE(text.open_text(t.moddir + "/modules.dep", {t.moddir, ""}, &err));
  for (const char* m : {"mod_a", "mod_b", "mod_c", "mod-d", "mod_e", "boot_one", "fail_init"}) {
    DepEntry a, b;
    REQUIRE(bin.lookup(m, &a));
    REQUIRE(text.lookup(m, &b));
    CHECK(a.path == b.path);
    CHECK(a.deps == b.deps);
  }
  DepEntry c;
  REQUIRE(bin.lookup("mod_c", &c));
  CHECK(c.path == t.moddir + "/kernel/misc/mod_c.ko");
  CHECK(names(bin.load_order(c)) == std::vector<std::string>{"mod_a", "mod_b"});
  std::vector<DepEntry> all;
  REQUIRE(bin.all(&all, &err));
  CHECK(all.size() == 8);

  // Without the .bin the text is used.
  std::filesystem::remove(t.moddir + "/modules.dep.bin");
  ModDep plain;
  REQUIRE(plain.open_dir(t.moddir, &err));
  CHECK_FALSE(plain.uses_index());
  CHECK(plain.lookup("mod_e", &c));
  // Neither: an error naming the file.
  std::filesystem::remove(t.moddir + "/modules.dep");
  ModDep none;
  CHECK_FALSE(none.open_dir(t.moddir, &err));
  CHECK(err.find(t.moddir + "/modules.dep") != std::string::npos);
}
