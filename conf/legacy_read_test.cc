// SPDX-License-Identifier: GPL-2.0-or-later
// The legacy configuration language, keyword by keyword, and the
// worked examples of modutils 2.4 behaviour (the rules are in doc/compat.md,
// the modutils sections; "example N" numbers only name the cases).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <random>

#include "tests/test_util.h"
#include "conf/legacy_defaults.h"

using namespace mng;
using namespace mng::testing;

namespace {

// A snippet and lines that must / must not appear in modprobe -c.
struct ShowCase {
  const char* name;
  std::string config;
  std::vector<std::string> present;
  std::vector<std::string> absent;
};

void check_show_cases(const std::vector<ShowCase>& cases) {
  for (const auto& c : cases) {
    INFO(c.name << "\n--- config ---\n" << c.config);
    LegacyResult r = read_legacy_snippet(c.config);
    INFO("--- errors ---\n" << all_messages(r.errors));
    CHECK(r.ok);
    for (const auto& line : c.present) CHECK(has_line(r.shown, line));
    for (const auto& line : c.absent) CHECK_FALSE(has_line(r.shown, line));
  }
}

}  // namespace

TEST_CASE("legacy: every keyword reaches the model and modprobe -c", "[conf]") {
  check_show_cases({
      {"alias (new names go last)", "alias foo bar\n", {"alias foo bar"}, {}},
      {"alias off and null", "alias a off\nalias b null\n", {"alias a off", "alias b null"}, {}},
      {"alias keeps every word for -c", "alias x y z\n", {"alias x y z"}, {}},
      {"options", "options ne io=0x300 irq=5\n", {"options ne io=0x300 irq=5"}, {}},
      {"options -k is not shown", "options -k ne io=0x300\n", {"options ne io=0x300"}, {"options -k ne io=0x300"}},
      {"add options appends", "options ne io=0x300\nadd options ne irq=5\n", {"options ne io=0x300 irq=5"}, {}},
      {"options replaces", "options ne io=0x300\noptions ne irq=7\n", {"options ne irq=7"}, {"options ne io=0x300"}},
      {"above", "above ppp bsd_comp ppp_deflate\n", {"# Above", "above ppp bsd_comp ppp_deflate"}, {}},
      {"below", "below ne 8390\nadd below ne x\n", {"# Below", "below ne 8390 x"}, {}},
      {"probe", "probe eth0 ne 3c59x\n", {"# Probes", "probe eth0 ne 3c59x"}, {}},
      {"probeall", "probeall scsi_hostadapter aic7xxx sym53c8xx\n",
       {"# Probeall", "probeall scsi_hostadapter aic7xxx sym53c8xx"}, {}},
      {"prune", "prune junk\n", {"prune junk", "prune modules.dep"}, {}},
      {"six commands, config order",
       "pre-install a echo 1\ninstall a echo 2\npost-install a echo 3\npre-remove a echo 4\nremove a echo 5\n"
       "post-remove a echo 6\n",
       {"# Commands", "pre-install a echo 1", "install a echo 2", "post-install a echo 3", "pre-remove a echo 4",
        "remove a echo 5", "post-remove a echo 6"},
       {}},
      {"command text is raw", "install x /sbin/modprobe --ignore-install x && echo `date` $HOME\n",
       {"install x /sbin/modprobe --ignore-install x && echo `date` $HOME"}, {}},
      {"depfile and the map files", "depfile=/d/modules.dep\npcimapfile=/d/pci\nusbmapfile=/d/usb\n",
       {"depfile=/d/modules.dep", "pcimapfile=/d/pci", "usbmapfile=/d/usb",
        "isapnpmapfile=/lib/modules/2.4.20/modules.isapnpmap"},
       {}},
      {"depfile with uname -r", "depfile=/lib/modules/`uname -r`/modules.dep\n",
       {"depfile=/lib/modules/2.4.20/modules.dep"}, {}},
      {"persistdir", "persistdir=/var/persist\n", {"persistdir=/var/persist"}, {"persistdir=/var/lib/modules/persist"}},
      {"insmod_opt is not shown", "insmod_opt=-f -x\n", {}, {"insmod_opt=-f -x"}},
      {"define is not shown", "define X 1\n", {}, {"define X 1"}},
  });
}

TEST_CASE("legacy: model details (options -k + insmod_opt + define + commands)", "[conf]") {
  LegacyResult r = read_legacy_snippet(
      "options -k ne io=0x300\noptions ne irq=5\ninsmod_opt=-f -x\ndefine A x y\ndefine B\n"
      "install ne echo one\ninstall ne echo two\npre-install ne echo A\npost-install ne echo B\n");
  REQUIRE(r.ok);
  const ConfOptions* o = find_legacy_options(r.model, "ne");
  REQUIRE(o);
  CHECK(o->never_autoclean);  // sticky although the second line had no -k
  CHECK(o->words == std::vector<std::string>{"irq=5"});
  CHECK(r.model.has_insmod_opt);
  CHECK(r.model.insmod_opt == "-f -x");  // example 5: kept raw
  CHECK(r.model.defines == std::vector<std::pair<std::string, std::string>>{{"A", "x"}, {"B", ""}});
  // Example 20: lookup returns the first, both are kept.
  const ConfCommand* c = find_command(r.model, CommandKind::install, "ne");
  REQUIRE(c);
  CHECK(c->command == "echo one");
  CHECK(has_line(r.shown, "install ne echo one"));
  CHECK(has_line(r.shown, "install ne echo two"));
  // Example 6.
  CHECK(find_command(r.model, CommandKind::pre_install, "ne")->command == "echo A");
  CHECK(find_command(r.model, CommandKind::post_install, "ne")->command == "echo B");
  CHECK(find_command(r.model, CommandKind::remove, "ne") == nullptr);
}

TEST_CASE("legacy: built-in tables of modutils 2.4.25 (142 aliases, options, prune names)", "[conf]") {
  const auto& table = legacy_builtin_aliases();
  CHECK(table.size() == 142);
  std::size_t off = 0, binfmt = 0, block = 0, chr = 0, netpf = 0;
  for (auto e : table) {
    if (e.substr(e.find(' ') + 1) == "off") ++off;
    if (e.starts_with("binfmt-")) ++binfmt;
    if (e.starts_with("block-major-")) ++block;
    if (e.starts_with("char-major-")) ++chr;
    if (e.starts_with("net-pf-")) ++netpf;
  }
  CHECK(off == 9);
  CHECK(binfmt == 8);
  CHECK(block == 36);
  CHECK(chr == 47);
  CHECK(netpf == 9);
  CHECK(table.size() - binfmt - block - chr - netpf == 42);
  CHECK(legacy_builtin_prune().size() == 18);

  // Example 7: no config at all still has "alias eth0 off" and "net-pf-3 off".
  LegacyResult r = read_legacy_snippet("");
  REQUIRE(find_legacy_alias(r.model, "eth0"));
  CHECK(find_legacy_alias(r.model, "eth0")->target() == "off");
  CHECK(find_legacy_alias(r.model, "net-pf-3")->target() == "off");
  CHECK(legacy_section(r.shown, "# Options") ==
        std::vector<std::string>{"options dummy0 -o dummy0", "options dummy1 -o dummy1",
                                 "options sb io=0x220 irq=7 dma=1 dma16=5 mpu_io=0x330"});
  CHECK(legacy_section(r.shown, "# Aliases").size() == 142);
  CHECK(legacy_section(r.shown, "# Above").size() == 3);
  CHECK(legacy_section(r.shown, "# Below") == std::vector<std::string>{"below ov518_decomp ov511"});
  // Example 19's depfile name.
  CHECK(r.model.depfile() == "/lib/modules/2.4.20/modules.dep");
}

TEST_CASE("legacy: default paths (21 entries) and path/keep (examples 14 + 15)", "[conf]") {
  LegacyResult none = read_legacy_snippet("", "2.4.20");
  std::vector<std::string> defaults = legacy_paths(none.shown);
  REQUIRE(defaults.size() == 21);
  CHECK(defaults[0] == "path[boot]=/lib/modules/boot");
  CHECK(defaults[1] == "path[toplevel]=/lib/modules/2.4.20");
  CHECK(defaults[2] == "path[toplevel]=/lib/modules/2.4");
  CHECK(defaults[3] == "path[kernel]=/lib/modules/kernel");
  CHECK(defaults[14] == "path[misc]=/lib/modules/misc");
  CHECK(defaults[20] == "path[mtd]=/lib/modules/mtd");

  CHECK(legacy_paths(read_legacy_snippet("path[misc]=/opt/mods\n").shown) ==
        std::vector<std::string>{"path[misc]=/opt/mods"});
  auto kept = legacy_paths(read_legacy_snippet("keep\npath[misc]=/opt/mods\n").shown);
  REQUIRE(kept.size() == 22);
  CHECK(std::equal(defaults.begin(), defaults.end(), kept.begin()));
  CHECK(kept[21] == "path[misc]=/opt/mods");
  CHECK(legacy_paths(read_legacy_snippet("path=/opt/x\n").shown) == std::vector<std::string>{"path[misc]=/opt/x"});
  // keep after the first path line is useless; only the first path line drops.
  CHECK(legacy_paths(read_legacy_snippet("path[a]=/a\nkeep\npath[b]=/b\n").shown) ==
        std::vector<std::string>{"path[a]=/a", "path[b]=/b"});
  CHECK(legacy_paths(read_legacy_snippet("path[]=/e\npath[x]y=/m\npathology=/p\n").shown) ==
        std::vector<std::string>{"path[]=/e", "path[misc]=/m", "path[misc]=/p"});
  CHECK(legacy_paths(read_legacy_snippet("path[net]=/a /b\n").shown) ==
        std::vector<std::string>{"path[net]=/a", "path[net]=/b"});

  LegacyResult smp = read_legacy_snippet(
      "path[x]=/lib/modules/`kernelversion`/x\npath[y]=/lib/modules/`uname -r`/y\n", "2.4.20-8smp");
  CHECK(legacy_paths(smp.shown) == std::vector<std::string>{"path[x]=/lib/modules/2.4/x",
                                                             "path[y]=/lib/modules/2.4.20-8smp/y"});
}

TEST_CASE("legacy: continuation, alias replaced in place, conditionals with define, duplicate commands", "[conf]") {
  // 13: continuation + comment.
  LegacyResult r13 = read_legacy_snippet("alias eth0 \\\n      ne   # NE2000\noptions foo a=1\\\nb=2\n");
  CHECK(has_line(r13.shown, "alias eth0 ne"));
  CHECK(has_line(r13.shown, "options foo a=1b=2"));

  // 16: alias replaced in place, user aliases appended, add options.
  LegacyResult r16 =
      read_legacy_snippet("alias eth0 3c59x\nalias foo bar\noptions ne io=0x300\nadd options ne irq=5\n");
  auto aliases = legacy_section(r16.shown, "# Aliases");
  auto eth0 = std::find(aliases.begin(), aliases.end(), "alias eth0 3c59x");
  REQUIRE(eth0 != aliases.end());
  CHECK(*(eth0 - 1) == "alias dummy1 dummy");
  CHECK(aliases.back() == "alias foo bar");
  CHECK(std::count(aliases.begin(), aliases.end(), "alias eth0 off") == 0);
  auto options = legacy_section(r16.shown, "# Options");
  REQUIRE(options.size() == 4);
  CHECK(options[3] == "options ne io=0x300 irq=5");

  // 17: conditionals with define.
  LegacyResult r17 = read_legacy_snippet("define FOO 1\nif $FOO == 1\nalias x y\nelse\nalias x z\nendif\n");
  CHECK(has_line(r17.shown, "alias x y"));
  CHECK_FALSE(has_line(r17.shown, "alias x z"));
  CHECK(has_line(read_legacy_snippet("if -n 010 == 8\nalias oct yes\nendif\n").shown, "alias oct yes"));

  // 20: both duplicates listed in config order.
  auto cmds = legacy_section(read_legacy_snippet("install ne echo one\ninstall ne echo two\n").shown, "# Commands");
  CHECK(cmds == std::vector<std::string>{"install ne echo one", "install ne echo two"});
}

TEST_CASE("legacy: example 18 + invalid lines", "[conf]") {
  LegacyResult r = read_legacy_snippet("frobnicate x\nalias a b\n");
  CHECK_FALSE(r.ok);
  CHECK(r.model.modprobe_fails);
  CHECK_FALSE(r.model.depmod_fails);  // depmod ignores it
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "Invalid line 1 in /etc/modules.conf\n\tfrobnicate");
  CHECK(r.errors[0].line == 1);
  CHECK(r.errors[0].file == "/etc/modules.conf");
  // The bad line changes nothing; the next line still works.
  CHECK(has_line(r.shown, "alias a b"));
  CHECK_FALSE(has_line(r.shown, "alias frobnicate x"));

  struct Bad {
    std::string config;
    std::string message;
  };
  const Bad bad[] = {
      {"depfile = /x\n", "Invalid line 1 in /etc/modules.conf\n\tdepfile"},
      {"depfile=/a\ndepfile=/b\n", "Invalid line 2 in /etc/modules.conf\n\tdepfile"},
      {"keep=1\n", "Invalid line 1 in /etc/modules.conf\n\tkeep"},
      {"persistdir /x\n", "Invalid line 1 in /etc/modules.conf\n\tpersistdir"},
      {"\n\n  add frob\n", "Invalid line 3 in /etc/modules.conf\n\t  add frob"},
      {"alias a \\\n  b\nbogus \\\n x\n", "Invalid line 4 in /etc/modules.conf\n\tbogus"},
      {"blacklist foo\n", "Invalid line 1 in /etc/modules.conf\n\tblacklist"},
  };
  for (const auto& b : bad) {
    INFO(b.config);
    LegacyResult rb = read_legacy_snippet(b.config);
    CHECK(rb.model.modprobe_fails);
    CHECK_FALSE(rb.model.depmod_fails);
    REQUIRE_FALSE(rb.errors.empty());
    CHECK(rb.errors.back().message == b.message);
  }
  // The second depfile= does not replace the first.
  CHECK(read_legacy_snippet("depfile=/a\ndepfile=/b\n").model.depfile() == "/a");
}

TEST_CASE("legacy: conditionals", "[conf]") {
  struct Cond {
    const char* expr;
    bool value;
  };
  const std::map<std::string, std::string> env = {{"ZERO", "0"}, {"WORD", "false"}, {"ONE", "1"}};
  TempDir d;
  std::string existing = d.write("exists", "x");
  const Cond conds[] = {
      {"1", true},           {"0", false},          {"false", false},       {"$ONE", true},
      {"$ZERO", false},      {"$WORD", false},      {"$UNDEFINED", false},  {"! 0", true},
      {"! 1", false},        {"a == a", true},      {"a = a", true},        {"a != b", true},
      {"a < b", true},       {"b <= a", false},     {"b > a", true},        {"a >= b", false},
      {"a ~~ a", false},     {"-n 0x10 == 16", true}, {"-n 010 == 8", true}, {"-n 9 > 10", false},
      {"9 > 10", true},      {"-k", false},         {"! -k", true},         {"`uname -r` == 2.4.20", true},
      {"`kernelversion` < 2.6", true},
  };
  for (const auto& c : conds) {
    INFO("if " << c.expr);
    LegacyResult r = read_legacy_snippet(std::string("if ") + c.expr + "\nalias t yes\nendif\n", "2.4.20",
                                         "/etc/modules.conf", &env);
    CHECK(r.ok);
    CHECK(has_line(r.shown, "alias t yes") == c.value);
  }
  CHECK(has_line(read_legacy_snippet("if -f " + existing + "\nalias f yes\nendif\n").shown, "alias f yes"));
  CHECK_FALSE(has_line(read_legacy_snippet("if -f " + existing + "-no\nalias f yes\nendif\n").shown, "alias f yes"));
  CHECK(has_line(read_legacy_snippet("if ! -f " + existing + "-no\nalias f yes\nendif\n").shown, "alias f yes"));
  // -k follows modprobe -k.
  CHECK(has_line(read_legacy_snippet("if -k\nalias k yes\nendif\n", "2.4.20", "/etc/modules.conf", nullptr, true).shown,
                 "alias k yes"));

  const char* chain =
      "if $V == 1\nalias a one\nelseif $V == 2\nalias a two\nelseif $V == 2\nalias a again\n"
      "else\nalias a other\nendif\n";
  for (auto [v, expected] : std::vector<std::pair<std::string, std::string>>{
           {"1", "alias a one"}, {"2", "alias a two"}, {"3", "alias a other"}}) {
    std::map<std::string, std::string> e = {{"V", v}};
    LegacyResult r = read_legacy_snippet(chain, "2.4.20", "/etc/modules.conf", &e);
    INFO("V=" << v);
    auto aliases = legacy_section(r.shown, "# Aliases");
    CHECK(aliases.back() == expected);
    CHECK(std::count_if(aliases.begin(), aliases.end(), [](const std::string& s) { return s.starts_with("alias a "); }) == 1);
  }

  // Nested: an inner true "if" inside a false block stays skipped, the
  // outer else is taken.
  LegacyResult nested = read_legacy_snippet(
      "if 0\n  if 1\n    alias n wrong\n  endif\n  alias n wrong2\nelse\n  if 1\n    alias n right\n  endif\nendif\n");
  CHECK(nested.ok);
  CHECK(has_line(nested.shown, "alias n right"));
  CHECK_FALSE(has_line(nested.shown, "alias n wrong"));
  CHECK_FALSE(has_line(nested.shown, "alias n wrong2"));
  // Lines after a skipped block are read again; define only when active.
  LegacyResult defs = read_legacy_snippet("if 0\ndefine X skipped\nendif\ndefine Y taken\nif $X\nalias x bad\nendif\n");
  CHECK(defs.model.defines == std::vector<std::pair<std::string, std::string>>{{"Y", "taken"}});
  CHECK_FALSE(has_line(defs.shown, "alias x bad"));
}

TEST_CASE("legacy: conditional errors", "[conf]") {
  struct Err {
    std::string config;
    std::string message;
  };
  std::string deep;
  for (int i = 0; i < 21; ++i) deep += "if 1\n";
  const Err errs[] = {
      {"alias a b\nendif\n", "/etc/modules.conf: unmatched endif in line 2"},
      {"else\n", "/etc/modules.conf: else without if in line 1"},
      {"\nelseif 1\n", "/etc/modules.conf: elseif without if in line 2"},
      {"if 1\nalias a b\n", "missing endif at /etc/modules.conf EOF"},
      {deep, "/etc/modules.conf: Too many nested if's in line 21"},
  };
  for (const auto& e : errs) {
    INFO(e.config);
    LegacyResult r = read_legacy_snippet(e.config);
    CHECK_FALSE(r.ok);
    CHECK(r.model.modprobe_fails);
    CHECK(r.model.depmod_fails);  // these fail depmod too
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].message == e.message);
  }
  // 20 levels are fine.
  std::string twenty;
  for (int i = 0; i < 20; ++i) twenty += "if 1\n";
  twenty += "alias deep yes\n";
  for (int i = 0; i < 20; ++i) twenty += "endif\n";
  LegacyResult ok = read_legacy_snippet(twenty);
  CHECK(ok.ok);
  CHECK(has_line(ok.shown, "alias deep yes"));
  // An unmatched endif stops reading the file there.
  CHECK_FALSE(has_line(read_legacy_snippet("endif\nalias after x\n").shown, "alias after x"));
}

TEST_CASE("legacy: include + its depth limit and failures", "[conf]") {
  TempDir d;
  // main -> f1 -> ... -> f21: 21 nested includes work.
  for (int i = 1; i <= 21; ++i) {
    std::string body = "alias level" + std::to_string(i) + " m\n";
    if (i < 21) body += "include " + d.path + "/f" + std::to_string(i + 1) + "\n";
    d.write("f" + std::to_string(i), body);
  }
  LegacyResult r = read_legacy_snippet("include " + d.path + "/f1\n");
  INFO(all_messages(r.errors));
  CHECK(r.ok);
  CHECK(has_line(r.shown, "alias level21 m"));

  // One more level is "Too many include level".
  d.write("f21", "alias level21 m\ninclude " + d.path + "/f22\n");
  d.write("f22", "alias level22 m\n");
  LegacyResult deep = read_legacy_snippet("include " + d.path + "/f1\n");
  CHECK_FALSE(deep.ok);
  CHECK(deep.model.modprobe_fails);
  CHECK_FALSE(deep.model.depmod_fails);  // a failed include is an invalid line, depmod goes on
  CHECK_FALSE(has_line(deep.shown, "alias level22 m"));
  CHECK(deep.errors.front().message == d.path + "/f21: Too many include level in line 2");
  CHECK(deep.errors.front().file == d.path + "/f21");
  CHECK(deep.errors.front().line == 2);
  CHECK(deep.errors[1].message == "include " + d.path + "/f21 failed");
  CHECK(deep.errors.back().message == "Invalid line 1 in /etc/modules.conf\n\tinclude");

  // A file including itself stops at the limit instead of looping.
  std::string self = d.write("self", "alias s t\ninclude " + d.path + "/self\n");
  LegacyResult loop = read_legacy_snippet("include " + self + "\n");
  CHECK(loop.model.modprobe_fails);
  CHECK(has_line(loop.shown, "alias s t"));

  // Missing file; include name from a define.
  LegacyResult missing = read_legacy_snippet("include /nonexistent/x.conf\n");
  CHECK(all_messages(missing.errors) ==
        "Can't open /nonexistent/x.conf\ninclude /nonexistent/x.conf failed\n"
        "Invalid line 1 in /etc/modules.conf\n\tinclude\n");
  std::string sub = d.write("sub.conf", "alias fromsub yes\n");
  CHECK(has_line(read_legacy_snippet("define D " + d.path + "\ninclude $D/sub.conf\n").shown, "alias fromsub yes"));
  // keep is per file: the included file's first path line drops the
  // defaults although the including file said keep.
  d.write("paths.conf", "path[inc]=/inc\n");
  CHECK(legacy_paths(read_legacy_snippet("keep\ninclude " + d.path + "/paths.conf\n").shown) ==
        std::vector<std::string>{"path[inc]=/inc"});
}

TEST_CASE("legacy: include reads every match of a pattern and every word (modutils 2.4.21+)", "[conf]") {
  TempDir d;
  d.write("conf.d/a.conf", "alias from-a a\n");
  d.write("conf.d/b.conf", "alias from-b b\n");
  d.write("conf.d/c.conf", "alias from-c c\n");
  d.write("conf.d/skip.txt", "alias from-txt t\n");
  LegacyResult r = read_legacy_snippet("include " + d.path + "/conf.d/*.conf\n");
  INFO(all_messages(r.errors));
  CHECK(r.ok);
  CHECK(has_line(r.shown, "alias from-a a"));
  CHECK(has_line(r.shown, "alias from-b b"));
  CHECK(has_line(r.shown, "alias from-c c"));
  CHECK_FALSE(has_line(r.shown, "alias from-txt t"));
  CHECK(r.model.legacy_files.size() == 3);  // the three matches

  // Several words: each file in turn, in the order written.
  std::string one = d.write("one", "alias x one\n");
  std::string two = d.write("two", "alias x two\nalias y two\n");
  LegacyResult w = read_legacy_snippet("include " + one + " " + two + "\n");
  CHECK(w.ok);
  CHECK(has_line(w.shown, "alias x two"));  // the later file's alias replaces the earlier
  CHECK(has_line(w.shown, "alias y two"));

  // A word that fails is reported; the others are still read, and the line
  // counts as one invalid line.
  LegacyResult bad = read_legacy_snippet("include " + one + " /nonexistent/x.conf " + two + "\n");
  CHECK_FALSE(bad.ok);
  CHECK(has_line(bad.shown, "alias y two"));
  CHECK(all_messages(bad.errors) == "Can't open /nonexistent/x.conf\ninclude " + one +
                                        " /nonexistent/x.conf " + two +
                                        " failed\nInvalid line 1 in /etc/modules.conf\n\tinclude\n");
}

TEST_CASE("legacy: unsupported shell constructs name the file and line", "[conf]") {
  TempDir d;
  std::string marker = d.path + "/ran";
  LegacyResult r = read_legacy_snippet("alias a b\noptions x y=`touch " + marker + "`\nalias c d\n");
  CHECK(access(marker.c_str(), F_OK) != 0);
  CHECK(r.model.modprobe_fails);
  CHECK_FALSE(r.model.depmod_fails);  // depmod does not read options
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message ==
        "/etc/modules.conf:2: unsupported shell command `touch " + marker + "` (not executed)");
  CHECK(has_line(r.shown, "alias c d"));
  CHECK(find_legacy_options(r.model, "x") == nullptr);

  LegacyResult p = read_legacy_snippet("path[x]=$(ls /)\n");
  CHECK(p.model.depmod_fails);
  CHECK(p.errors.at(0).message == "/etc/modules.conf:1: unsupported shell command substitution $(...) (not executed)");
  LegacyResult dep = read_legacy_snippet("\ndepfile=/lib/`hostname`/modules.dep\n");
  CHECK(dep.model.depmod_fails);
  CHECK(dep.errors.at(0).message == "/etc/modules.conf:2: unsupported shell command `hostname` (not executed)");
}

TEST_CASE("legacy: root prefix and $MODPATH", "[conf]") {
  LegacyReadOptions o;
  o.version = "2.4.20";
  o.root = "/img";
  std::map<std::string, std::string> env;
  o.environment = &env;
  ConfigModel m;
  legacy_begin(&m, o);
  REQUIRE(m.paths.size() == 21);
  CHECK(m.paths[1].dir == "/img/lib/modules/2.4.20");
  legacy_finish(&m, o, nullptr);
  CHECK(m.depfile() == "/img/lib/modules/2.4.20/modules.dep");  // example 23

  ConfigModel m2;
  legacy_begin(&m2, o);
  std::vector<ConfigError> errors;
  CHECK(legacy_read_text(&m2, "path[net]=/lib/modules/`uname -r`/net\ndepfile=/x/modules.dep\n", "c", o, &errors));
  legacy_finish(&m2, o, &errors);
  CHECK(m2.paths.size() == 1);
  CHECK(m2.paths[0].dir == "/img/lib/modules/2.4.20/net");
  CHECK(m2.depfile() == "/img/x/modules.dep");

  env["MODPATH"] = "/a/%s/net:/b::/c/";
  ConfigModel m3;
  legacy_begin(&m3, o);
  REQUIRE(m3.paths.size() == 3);
  CHECK(m3.paths[0].dir == "/a/2.4.20/net");
  CHECK(m3.paths[0].tag == "net");
  CHECK(m3.paths[1].tag == "b");
  CHECK(m3.paths[2].tag == "");
  env["DEPPATH"] = "/override/modules.dep";
  legacy_finish(&m3, o, nullptr);
  CHECK(m3.depfile() == "/override/modules.dep");
  o.safe_mode = true;  // safe mode ignores both
  ConfigModel m4;
  legacy_begin(&m4, o);
  legacy_finish(&m4, o, nullptr);
  CHECK(m4.paths.size() == 21);
  CHECK(m4.depfile() == "/img/lib/modules/2.4.20/modules.dep");
}

TEST_CASE("legacy: random bytes never crash the reader", "[conf]") {
  std::mt19937 rng(1996);
  const char* pieces[] = {"alias ", "options ", "path[", "]=", "include /nonexistent", "if ", "else\n", "endif\n",
                          "elseif ", "define ", "\\", "\n", "#", "\"", "'", "`", "$", "${", "$(", "=", "-k ", "-f ",
                          "-n ", "==", "add ", "keep\n", "depfile=", "*", "?", "[", "]", " ", "\t", "`uname -r`",
                          "prune ", "probe ", "above ", "x", "!"};
  for (int i = 0; i < 3000; ++i) {
    std::string s = random_config_text(rng, pieces);
    LegacyResult r = read_legacy_snippet(s);
    CHECK(r.shown.starts_with("# Generated by modprobe -c"));
  }
}

TEST_CASE("legacy: configuration parts of examples 2 to 6", "[conf]") {
  // 2 and 3: options for the module and for an alias name.
  LegacyResult r = read_legacy_snippet("alias eth0 ne\noptions ne io=0x300 irq=5\noptions eth0 irq=9\n");
  REQUIRE(r.ok);
  CHECK(find_legacy_alias(r.model, "eth0")->target() == "ne");
  CHECK(find_legacy_options(r.model, "ne")->words == std::vector<std::string>{"io=0x300", "irq=5"});
  CHECK(find_legacy_options(r.model, "eth0")->words == std::vector<std::string>{"irq=9"});
  // 4: options -k.
  CHECK(find_legacy_options(read_legacy_snippet("options -k ne io=0x300\n").model, "ne")->never_autoclean);
  CHECK_FALSE(find_legacy_options(read_legacy_snippet("options ne io=0x300\n").model, "ne")->never_autoclean);
  // 5: insmod_opt kept raw for modprobe to split.
  CHECK(read_legacy_snippet("insmod_opt=-f   -x\n").model.insmod_opt == "-f   -x");
  // 6: install replaces insmod; the lookup finds it.
  CHECK(find_command(read_legacy_snippet("install ne /bin/true\n").model, CommandKind::install, "ne")->command ==
        "/bin/true");
}

TEST_CASE("legacy: conditions in skipped blocks are not evaluated", "[conf]") {
  // The inner condition would be an unsupported construct; it is skipped.
  LegacyResult r = read_legacy_snippet("if 0\nif `hostname` == x\nalias a b\nendif\nendif\nalias c d\n");
  CHECK(r.ok);
  CHECK(r.errors.empty());
  CHECK(has_line(r.shown, "alias c d"));
  CHECK_FALSE(has_line(r.shown, "alias a b"));
  // ... but it is an error where it counts.
  LegacyResult bad = read_legacy_snippet("if `hostname` == x\nendif\n");
  CHECK(bad.model.depmod_fails);
  CHECK(bad.errors.at(0).message == "/etc/modules.conf:1: unsupported shell command `hostname` (not executed)");
}
