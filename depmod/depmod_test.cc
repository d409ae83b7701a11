// SPDX-License-Identifier: GPL-2.0-or-later
// depmod end to end on trees of real modules.  The cases tagged [.kmod]
// compare with Debian's kmod depmod; tests/check-kmod-reference.sh runs them.
#include "depmod/depmod.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "common/log.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {
const char* kTextFiles[] = {"modules.dep", "modules.alias", "modules.softdep", "modules.symbols", "modules.devname"};

struct Captured {
  std::string text;
};
void capture(Level, std::string_view t, void* ctx) { static_cast<Captured*>(ctx)->text += t; }

// Builds ROOT/lib/modules/KVER with the test modules spread over a few
// directories; a few of them compressed.
std::string make_tree(const std::string& root, bool with_cycle = false) {
  std::string kver = testmods_kver();
  std::string dir = root + "/lib/modules/" + kver;
  std::string src = testmods_dir();
  copy_file(src + "/mod_a.ko", dir + "/kernel/lib/mod_a.ko");
  copy_file(src + "/mod_b.ko", dir + "/kernel/drivers/b/mod_b.ko");
  copy_file(src + "/mod_c.ko", dir + "/kernel/drivers/c/mod_c.ko");
  copy_file(src + "/mod-d.ko", dir + "/kernel/drivers/mod-d.ko");
  copy_file(src + "/mod_e.ko", dir + "/extra/mod_e.ko");
  copy_file(src + "/boot_one.ko", dir + "/kernel/boot/boot_one.ko");
  copy_file(src + "/boot_two.ko", dir + "/kernel/boot/boot_two.ko");
  copy_file(src + "/fail_init.ko", dir + "/kernel/net/fail_init.ko");
  REQUIRE(run("xz -f " + dir + "/kernel/drivers/b/mod_b.ko") == 0);
  REQUIRE(run("zstd -q --rm -f " + dir + "/kernel/boot/boot_two.ko") == 0);
  if (with_cycle) {
    copy_file(src + "/loop_x.ko", dir + "/kernel/loop/loop_x.ko");
    copy_file(src + "/loop_y.ko", dir + "/kernel/loop/loop_y.ko");
  }
  // A partial modules.order: listed modules first, in this order.
  write_file(dir + "/modules.order", "kernel/drivers/c/mod_c.ko\nkernel/drivers/b/mod_b.ko\nkernel/lib/mod_a.ko\n");
  return dir;
}

// Our depmod on ROOT with OPT (no depmod.d unless OPT names some); messages
// go to CAP when given.
int our_depmod_with(DepmodOptions opt, const std::string& root, Captured* cap) {
  opt.basedir = root;
  opt.kver = testmods_kver();
  if (opt.config_paths.empty()) opt.config_paths = {root + "/no-config"};
  if (!cap) return run_depmod(opt);
  LogSinkScope to_cap(capture, cap);
  return run_depmod(opt);
}

int our_depmod(const std::string& root, Captured* cap = nullptr) { return our_depmod_with({}, root, cap); }

int kmod_depmod(const std::string& root) {
  return run(kmod_depmod_path() + " -C " + root + "/no-config -b " + root + " " + testmods_kver() + " 2>/dev/null");
}
}  // namespace

TEST_CASE("depmod writes the same text files as kmod", "[depmod][.kmod]") {
  TempDir ours, theirs;
  std::string d1 = make_tree(ours.path), d2 = make_tree(theirs.path);
  REQUIRE(our_depmod(ours.path) == 0);
  REQUIRE(kmod_depmod(theirs.path) == 0);
  for (const char* f : kTextFiles) {
    INFO(f);
    CHECK(read_file(d1 + "/" + f) == read_file(d2 + "/" + f));
  }
  // Not empty: the comparison means something.
  CHECK(read_file(d1 + "/modules.dep").find("kernel/drivers/c/mod_c.ko: ") == 0);
}

TEST_CASE("modules.dep: module order, compressed names, weak dependencies", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  REQUIRE(our_depmod(t.path) == 0);
  std::string dep = read_file(d + "/modules.dep");
  CHECK(dep.find("kernel/drivers/c/mod_c.ko: kernel/drivers/b/mod_b.ko.xz kernel/lib/mod_a.ko\n") == 0);
  CHECK(dep.find("kernel/boot/boot_two.ko.zst:\n") != std::string::npos);
  CHECK(read_file(d + "/modules.weakdep") ==
        "# Weak dependencies extracted from modules themselves.\nweakdep mod_c mod_e\n");
}

TEST_CASE("a gzip-compressed module is indexed", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  REQUIRE(run("gzip -f " + d + "/kernel/lib/mod_a.ko") == 0);
  REQUIRE(our_depmod(t.path) == 0);
  std::string dep = read_file(d + "/modules.dep");
  CHECK(dep.find("kernel/lib/mod_a.ko.gz:\n") != std::string::npos);
  CHECK(dep.find("kernel/drivers/b/mod_b.ko.xz: kernel/lib/mod_a.ko.gz\n") != std::string::npos);
}

TEST_CASE("a dependency cycle is refused and old files stay", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path, true);
  write_file(d + "/modules.dep", "previous contents\n");
  Captured cap;
  CHECK(our_depmod(t.path, &cap) == 1);
  CHECK(read_file(d + "/modules.dep") == "previous contents\n");
  CHECK_FALSE(std::filesystem::exists(d + "/modules.alias"));
  CHECK(cap.text.find("Cycle detected: ") != std::string::npos);
  CHECK(cap.text.find("loop_x") != std::string::npos);
  CHECK(cap.text.find("loop_y") != std::string::npos);
  CHECK(cap.text.find("Found 2 modules in dependency cycles!") != std::string::npos);
}

TEST_CASE("a broken module is named and skipped, the rest is written", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  std::string good = read_file(d + "/kernel/boot/boot_one.ko");
  write_file(d + "/kernel/bad/truncated.ko", good.substr(0, 1000));
  write_file(d + "/kernel/bad/empty.ko", "");
  write_file(d + "/kernel/bad/garbage.ko.xz", std::string("\xfd" "7zXZ\0garbage", 12));
  Captured cap;
  REQUIRE(our_depmod(t.path, &cap) == 0);
  CHECK(cap.text.find(d + "/kernel/bad/truncated.ko") != std::string::npos);
  CHECK(cap.text.find(d + "/kernel/bad/empty.ko") != std::string::npos);
  CHECK(cap.text.find(d + "/kernel/bad/garbage.ko.xz") != std::string::npos);
  std::string dep = read_file(d + "/modules.dep");
  CHECK(dep.find("truncated") == std::string::npos);
  CHECK(dep.find("kernel/boot/boot_one.ko:") != std::string::npos);
}

TEST_CASE("updates/ wins over another copy of the same module", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  copy_file(testmods_dir() + "/mod_a.ko", d + "/updates/mod_a.ko");
  REQUIRE(our_depmod(t.path) == 0);
  std::string dep = read_file(d + "/modules.dep");
  CHECK(dep.find("updates/mod_a.ko:") != std::string::npos);
  CHECK(dep.find("kernel/lib/mod_a.ko") == std::string::npos);
}

TEST_CASE("quick mode does nothing while no module is newer", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  REQUIRE(our_depmod(t.path) == 0);
  write_file(d + "/modules.dep", "marker\n");
  DepmodOptions opt;
  opt.basedir = t.path;
  opt.kver = testmods_kver();
  opt.quick = true;
  opt.config_paths = {t.path + "/no-config"};
  REQUIRE(run_depmod(opt) == 0);
  CHECK(read_file(d + "/modules.dep") == "marker\n");
  REQUIRE(run("touch -d '+1 hour' " + d + "/kernel/lib/mod_a.ko") == 0);
  REQUIRE(run_depmod(opt) == 0);
  CHECK(read_file(d + "/modules.dep") != "marker\n");
}

namespace {

// ROOT's tree with more copies and a depmod.d file (ROOT/cfg) using search,
// override, exclude and external (EXT) and a bad line; returns the module dir.
std::string depmod_d_tree(const std::string& root, const std::string& ext) {
  std::string src = testmods_dir();
  std::string d = make_tree(root);
  copy_file(src + "/mod_a.ko", d + "/extra/mod_a.ko");
  copy_file(src + "/mod_a.ko", d + "/foo/mod_a.ko");
  copy_file(src + "/mod-d.ko", d + "/extra/mod-d.ko");
  copy_file(src + "/boot_one.ko", d + "/skipme/boot_one.ko");
  std::filesystem::remove(d + "/extra/mod_e.ko");
  copy_file(src + "/mod_e.ko", ext + "/mod_e.ko");
  write_file(root + "/cfg/a.conf",
             "search foo built-in extra\n"
             "override mod-d * extra\n"
             "exclude skipme\n"
             "external * " + ext + "\n"
             "search external\n"
             "bogus line here\n");
  return d;
}

// Our depmod -e with FLAG (-F: ROOT/System.map, -E: ROOT/Module.symvers,
// both knowing only __fentry__, the latter with a wrong CRC): the
// "needs unknown symbol" and "disagrees about" lines.
std::string errsyms_lines(const std::string& root, const std::string& flag, char prefix = 0) {
  write_file(root + "/System.map", "ffffffff81000000 T __fentry__\nffffffff81000010 r __ksymtab___fentry__\n");
  write_file(root + "/Module.symvers", "0x12345678\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n");
  DepmodOptions opt;
  opt.errsyms = true;
  opt.sym_prefix = prefix;
  (flag == "-F" ? opt.system_map : opt.symvers) = root + (flag == "-F" ? "/System.map" : "/Module.symvers");
  Captured cap;
  REQUIRE(our_depmod_with(opt, root, &cap) == 0);
  std::string got, line;
  std::istringstream in(cap.text);
  while (std::getline(in, line))
    if (line.find("needs unknown symbol") != std::string::npos || line.find("disagrees about") != std::string::npos)
      got += line + "\n";
  return got;
}

}  // namespace

TEST_CASE("depmod.d search, override, exclude and external", "[depmod]") {
  TempDir t, ext;
  std::string d = depmod_d_tree(t.path, ext.path);
  DepmodOptions opt;
  opt.config_paths = {t.path + "/cfg"};
  Captured cap;
  REQUIRE(our_depmod_with(opt, t.path, &cap) == 0);
  CHECK(cap.text.find("ignoring bad line starting with 'bogus'") != std::string::npos);
  std::string dep = read_file(d + "/modules.dep");
  CHECK(dep.find("foo/mod_a.ko:") != std::string::npos);
  CHECK(dep.find("extra/mod-d.ko:") != std::string::npos);
  CHECK(dep.find("skipme") == std::string::npos);
  CHECK(dep.find(ext.path + "/mod_e.ko:") != std::string::npos);
}

TEST_CASE("depmod.d search, override, exclude and external act as in kmod", "[depmod][.kmod]") {
  TempDir ours, theirs, ext1, ext2;
  std::string d1 = depmod_d_tree(ours.path, ext1.path), d2 = depmod_d_tree(theirs.path, ext2.path);
  DepmodOptions opt;
  opt.config_paths = {ours.path + "/cfg"};
  Captured cap;
  REQUIRE(our_depmod_with(opt, ours.path, &cap) == 0);
  REQUIRE(run(kmod_depmod_path() + " -C " + theirs.path + "/cfg -b " + theirs.path + " " + testmods_kver() +
              " 2>/dev/null") == 0);
  // The external directories differ in name; make them comparable.
  auto unify = [](std::string s, const std::string& from) {
    for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, from.size(), "EXT");
    return s;
  };
  CHECK(unify(read_file(d1 + "/modules.dep"), ext1.path) == unify(read_file(d2 + "/modules.dep"), ext2.path));
}

TEST_CASE("-e with -F and -E: unknown symbols and CRC mismatches", "[depmod]") {
  TempDir t;
  make_tree(t.path);
  std::string f = errsyms_lines(t.path, "-F");
  CHECK(f.find("needs unknown symbol") != std::string::npos);
  CHECK(f.find("disagrees about") == std::string::npos);
  // The kernel's __fentry__ and the modules' own exports are known.
  CHECK(f.find("symbol __fentry__") == std::string::npos);
  CHECK(f.find("symbol sym_a") == std::string::npos);
  CHECK(f.find(t.path + "/lib/modules/") == 0);
  std::string e = errsyms_lines(t.path, "-E");
  CHECK(e.find("disagrees about version of symbol __fentry__") != std::string::npos);
}

TEST_CASE("-e with -P: symbols matched without the prefix, named as the module spells them", "[depmod]") {
  TempDir t;
  make_tree(t.path);
  // Module.symvers' __fentry__ becomes _fentry__, which the modules'
  // __fentry__ (matched as _fentry__) finds; its CRC differs.
  std::string e = errsyms_lines(t.path, "-E", '_');
  CHECK(e.find("disagrees about version of symbol __fentry__\n") != std::string::npos);
  CHECK(e.find("symbol _fentry__") == std::string::npos);
  CHECK(e.find("needs unknown symbol __x86_return_thunk\n") != std::string::npos);
  // The modules' own exports are still found: mod_b needs sym_a of mod_a.
  CHECK(e.find("symbol sym_a") == std::string::npos);
}

TEST_CASE("-e with -F and -E reports like kmod", "[depmod][.kmod]") {
  TempDir ours, theirs;
  make_tree(ours.path);
  make_tree(theirs.path);
  // With -P the prefix is dropped where symbols are matched, but messages
  // name them as the module spells them.
  for (char prefix : {'\0', '_'})
  for (std::string flag : {"-F", "-E"}) {
    std::string got = errsyms_lines(ours.path, flag, prefix);
    std::string file = flag == "-F" ? "System.map" : "Module.symvers";
    errsyms_lines(theirs.path, flag);  // writes the same symbol files there
    REQUIRE(run(kmod_depmod_path() + (prefix ? " -P _" : "") + " -e " + flag + " " + theirs / file + " -C " + theirs.path + "/no-config -b " +
                theirs.path + " " + testmods_kver() + " 2>" + theirs / "err.txt") == 0);
    // kmod's lines, without the "depmod: WARNING: " prefix and with our root.
    std::string expect, line;
    std::istringstream in(read_file(theirs / "err.txt"));
    while (std::getline(in, line)) {
      if (line.find("needs unknown symbol") == std::string::npos && line.find("disagrees about") == std::string::npos)
        continue;
      line = line.substr(line.find(": ", line.find(": ") + 1) + 2);
      for (size_t p; (p = line.find(theirs.path)) != std::string::npos;) line.replace(p, theirs.path.size(), ours.path);
      expect += line + "\n";
    }
    INFO(flag << (prefix ? " -P _" : ""));
    CHECK(!expect.empty());
    CHECK(got == expect);
  }
}

TEST_CASE("a modutils configuration: path[] directories, prune, depfile, modutils layout", "[depmod]") {
  TempDir t, etc;
  std::string d = make_tree(t.path);
  std::string src = testmods_dir(), kver = testmods_kver();
  std::filesystem::remove(d + "/kernel/boot/boot_one.ko");
  copy_file(src + "/boot_one.ko", t / "lib/modules/boot/boot_one.ko");
  std::filesystem::remove(d + "/extra/mod_e.ko");
  copy_file(src + "/mod_e.ko", t / "opt/mods/mod_e.ko");
  copy_file(src + "/loop_x.ko", t / "opt/mods/junk/loop_x.ko");
  write_file(etc / "modules.conf",
             "# legacy configuration\n"
             "keep\n"
             "path[boot]=/lib/modules/boot\n"
             "path[extra]=/opt/mods\n"
             "prune junk\n"
             "depfile=/var/lib/`uname -r`/deps\n"
             "alias eth0 mod_e   # not depmod's business\n");
  DepmodOptions opt;
  opt.basedir = t.path;
  opt.kver = kver;
  opt.etc_dir = etc.path;
  REQUIRE(run_depmod(opt) == 0);
  std::string dep = read_file(t / ("var/lib/" + kver + "/deps"));
  CHECK(dep.find("kernel/drivers/c/mod_c.ko: kernel/drivers/b/mod_b.ko.xz kernel/lib/mod_a.ko\n") != std::string::npos);
  CHECK(dep.find("/lib/modules/boot/boot_one.ko:\n") != std::string::npos);
  CHECK(dep.find("/opt/mods/mod_e.ko: kernel/drivers/mod-d.ko kernel/drivers/b/mod_b.ko.xz kernel/lib/mod_a.ko\n") !=
        std::string::npos);
  CHECK(dep.find("loop_x") == std::string::npos);
  CHECK(dep.find(t.path) == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d + "/modules.dep"));

  opt.modutils_layout = true;
  REQUIRE(run_depmod(opt) == 0);
  dep = read_file(t / ("var/lib/" + kver + "/deps"));
  std::string m = "/lib/modules/" + kver + "/kernel/";
  CHECK(dep.find(m + "drivers/c/mod_c.ko:\t" + m + "drivers/b/mod_b.ko.xz \\\n\t" + m + "lib/mod_a.ko\n\n") !=
        std::string::npos);
  CHECK(dep.find("/lib/modules/boot/boot_one.ko:\n\n") != std::string::npos);
}

TEST_CASE("a broken modutils configuration stops depmod before it writes", "[depmod]") {
  TempDir t, etc;
  std::string d = make_tree(t.path);
  write_file(etc / "modules.conf", "if 1\npath=/opt\n");  // missing endif
  DepmodOptions opt;
  opt.basedir = t.path;
  opt.kver = testmods_kver();
  opt.etc_dir = etc.path;
  CHECK(run_depmod(opt) == 1);
  CHECK_FALSE(std::filesystem::exists(d + "/modules.dep"));
}

// A modules.order with a repeated line, a compressed name, a comment and a
// blank line.  kmod's documentation says the first occurrence wins; kmod 30
// itself gives the last one, and we follow the tool.
const char kRepeatedOrder[] =
    "kernel/boot/boot_one.ko\nkernel/lib/mod_a.ko\nkernel/boot/boot_two.ko.zst\n"
    "kernel/boot/boot_two.ko\nkernel/boot/boot_one.ko\n# comment\n\nkernel/drivers/c/mod_c.ko\n";

TEST_CASE("modules.order: a repeated line counts where it last appears", "[depmod]") {
  TempDir t;
  std::string d = make_tree(t.path);
  write_file(d + "/modules.order", kRepeatedOrder);
  REQUIRE(our_depmod(t.path) == 0);
  CHECK(read_file(d + "/modules.dep").find("kernel/lib/mod_a.ko:\nkernel/boot/boot_two.ko.zst:\nkernel/boot/boot_one.ko:\n") == 0);
}

TEST_CASE("modules.order with a repeated line: the same modules.dep as kmod 30", "[depmod][.kmod]") {
  TempDir ours, theirs;
  std::string d1 = make_tree(ours.path), d2 = make_tree(theirs.path);
  write_file(d1 + "/modules.order", kRepeatedOrder);
  write_file(d2 + "/modules.order", kRepeatedOrder);
  REQUIRE(our_depmod(ours.path) == 0);
  REQUIRE(kmod_depmod(theirs.path) == 0);
  CHECK(read_file(d1 + "/modules.dep") == read_file(d2 + "/modules.dep"));
}

TEST_CASE("a module file operand that does not exist stops depmod before it writes", "[depmod]") {
  TempDir root;
  std::string dir = make_tree(root.path);
  DepmodOptions opt;
  opt.basedir = root.path;
  opt.kver = testmods_kver();
  opt.files = {dir + "/kernel/lib/mod_a.ko", dir + "/kernel/lib/missing.ko"};
  Captured cap;
  set_log_sink(capture, &cap);
  int rc = run_depmod(opt);
  set_log_sink(nullptr, nullptr);
  CHECK(rc == 1);
  CHECK(cap.text.find("could not create module " + dir + "/kernel/lib/missing.ko: No such file or directory") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/modules.dep"));
  // Missing -E / -F files: kmod's wording.
  for (bool symvers : {true, false}) {
    DepmodOptions o;
    o.basedir = root.path;
    o.kver = testmods_kver();
    (symvers ? o.symvers : o.system_map) = root / "absent";
    Captured c;
    set_log_sink(capture, &c);
    CHECK(run_depmod(o) == 1);
    set_log_sink(nullptr, nullptr);
    CHECK(c.text.find("could not load " + root / "absent" + ": No such file or directory") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir + "/modules.dep"));
}
