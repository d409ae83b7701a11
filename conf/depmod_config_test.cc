// SPDX-License-Identifier: GPL-2.0-or-later
// depmod.d parsing and module priority.  Every expectation below was
// observed with Debian's kmod 30: configs written to T/cfg.conf, copies of
// mod_a.ko placed in a tree, `depmod -vv -b T -C T/cfg.conf 6.1.0-56-amd64`
// run, stderr and modules.dep read.  "Scan order" is the order depmod met
// the files (readdir order, checked with os.listdir on the same ext4).
#include <catch2/catch.hpp>

#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/log.h"
#include "conf/depmod_config.h"
#include "tests/test_util.h"

namespace {

using mng::DepmodConfig;
using mng::ModuleCandidate;
using mng::testing::TempDir;
using mng::testing::write_file;

const char* const kKver = "6.1.0-56-amd64";

using Captured = mng::testing::DiagCapture;

DepmodConfig parse(std::string_view text, std::string_view kver = kKver) {
  DepmodConfig cfg;
  mng::parse_depmod_config_text(text, "cfg.conf", kver, &cfg, Captured::live);
  return cfg;
}

// Plays depmod's duplicate handling over files in scan order: relative
// paths live under the module dir, absolute ones are external.
std::string winner(const DepmodConfig& cfg, const std::vector<std::string>& scan_order) {
  const std::string moddir = "/lib/modules/6.1.0-56-amd64";
  std::vector<std::string> full;
  for (const auto& p : scan_order) full.push_back(p[0] == '/' ? p : moddir + "/" + p);
  auto cand = [&](size_t i) {
    const std::string& p = scan_order[i];
    return ModuleCandidate{full[i], p[0] == '/' ? std::string_view() : std::string_view(p)};
  };
  size_t kept = 0;
  for (size_t i = 1; i < scan_order.size(); i++)
    if (mng::is_higher_priority(cfg, cand(i), cand(kept))) kept = i;
  return scan_order[kept];
}

}  // namespace

TEST_CASE("depmod.d: messages, line numbers, continuations", "[depmodconf]") {
  const char* text =
      "foo bar\n"                     // 1
      "search\n"                      // 2
      "override\n"                    // 3
      "override a\n"                  // 4
      "override a b\n"                // 5
      "override mod_a 7.* extra\n"    // 6
      "override mod_a 6\\.1 extra\n"  // 7
      "external 7.* /nonexist\n"      // 8
      "external\n"                    // 9
      "exclude\n"                     // 10
      "include x\n"                   // 11
      "make_map_files\n"              // 12
      "  # indented comment\n"        // 13
      "#comment\n"                    // 14
      "\t\n"                          // 15
      "   \n"                         // 16
      "search a \\\n"                 // 17
      "b\\\n"                         // 18
      "c\n"                           // 19
      "bogus\\\n"                     // 20
      "x\n"                           // 21
      "bad \\";                       // 22, backslash at end of file
  Captured cap;
  DepmodConfig cfg = parse(text);
  // kmod 30's stderr for this file, word for word (file name aside).
  CHECK(cap.lines == std::vector<std::string>{
                         "ERROR: cfg.conf:1: ignoring bad line starting with 'foo'",
                         "ERROR: cfg.conf:3: ignoring bad line starting with 'override'",
                         "ERROR: cfg.conf:4: ignoring bad line starting with 'override'",
                         "ERROR: cfg.conf:5: ignoring bad line starting with 'override'",
                         "INFO: cfg.conf:6: override kernel did not match 7.*",
                         "INFO: cfg.conf:8: external directory did not match 7.*",
                         "ERROR: cfg.conf:9: ignoring bad line starting with 'external'",
                         "INFO: cfg.conf:11: command include not implemented yet",
                         "INFO: cfg.conf:12: command make_map_files not implemented yet",
                         "ERROR: cfg.conf:13: ignoring bad line starting with '#'",
                         "ERROR: cfg.conf:21: ignoring bad line starting with 'bogusx'",
                         "ERROR: cfg.conf:22: ignoring bad line starting with 'bad'"});
  // The joined line 17-19 reads "search a bc".
  CHECK(cfg.search == std::vector<std::string>{"a", "bc"});
  CHECK(cfg.has_search_line);
  REQUIRE(cfg.overrides.size() == 1);
  CHECK(cfg.overrides[0].modname == "mod_a");
  CHECK(cfg.overrides[0].subdir == "extra");
  CHECK(cfg.externals.empty());
  CHECK(cfg.excludes.empty());
}

TEST_CASE("depmod.d: NUL ends a line", "[depmodconf]") {
  // "search built-in\0 extra" behaved as "search built-in": with copies in
  // extra/ and kernel/ (scan order extra, kernel) extra stayed, whereas
  // "search built-in extra" picks kernel/.  "foo\0bar" was reported as 'foo'.
  std::string text("search built-in\0 extra\nfoo\0bar\n", 31);
  Captured cap;
  DepmodConfig cfg = parse(text);
  CHECK(cfg.search == std::vector<std::string>{"built-in"});
  CHECK(cap.lines == std::vector<std::string>{"ERROR: cfg.conf:2: ignoring bad line starting with 'foo'"});
  CHECK(winner(cfg, {"extra/mod_a.ko", "kernel/mod_a.ko"}) == "extra/mod_a.ko");
  CHECK(winner(parse("search built-in extra\n"), {"extra/mod_a.ko", "kernel/mod_a.ko"}) == "kernel/mod_a.ko");
}

TEST_CASE("depmod.d: backslashes", "[depmodconf]") {
  Captured cap;
  // "search fo\o": foo/ beat kernel/ found first, so the entry is "foo".
  CHECK(parse("search fo\\o\n").search == std::vector<std::string>{"foo"});
  CHECK(winner(parse("search fo\\o\n"), {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "foo/mod_a.ko");
  // "search foo\\bar" selected the directory named foo\bar.
  CHECK(parse("search foo\\\\bar\n").search == std::vector<std::string>{"foo\\bar"});
  CHECK(winner(parse("search foo\\\\bar\n"), {"kernel/mod_a.ko", "foo\\bar/mod_a.ko"}) ==
        "foo\\bar/mod_a.ko");
  // "search foo\" as the last bytes of the file selected a directory named
  // "foo\xff" over kernel/ found first.
  DepmodConfig eof = parse("search foo\\");
  CHECK(eof.search == std::vector<std::string>{"foo\xff"});
  CHECK(winner(eof, {"kernel/mod_a.ko", "foo\xff/mod_a.ko"}) == "foo\xff/mod_a.ko");
  CHECK(cap.lines.empty());
}

TEST_CASE("depmod.d: token separators", "[depmodconf]") {
  Captured cap;
  // Leading tab, mixed blanks: foo/ won over kernel/ found first.
  DepmodConfig ws = parse("\tsearch  \tfoo   built-in\t\n");
  CHECK(ws.search == std::vector<std::string>{"foo", "built-in"});
  CHECK(winner(ws, {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "foo/mod_a.ko");
  // A comma is no separator: kernel/ (found first) stayed.
  DepmodConfig comma = parse("search foo,built-in\n");
  CHECK(comma.search == std::vector<std::string>{"foo,built-in"});
  CHECK(winner(comma, {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "kernel/mod_a.ko");
  // CRLF: "foo\r" matches nothing (kernel/ stayed); "foo \r" does.
  CHECK(winner(parse("search foo\r\n"), {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "kernel/mod_a.ko");
  CHECK(winner(parse("search foo \r\n"), {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "foo/mod_a.ko");
  CHECK(parse("search foo \r\n").search == std::vector<std::string>{"foo", "\r"});
  CHECK(cap.lines.empty());
}

TEST_CASE("depmod.d: exclude and external", "[depmodconf]") {
  Captured cap;
  // "exclude kernel extra" left only foo/mod_a.ko; "exclude\tmod_a.ko" left
  // no module at all.
  CHECK(parse("exclude kernel extra\n").excludes == std::vector<std::string>{"kernel", "extra"});
  CHECK(parse("exclude\tmod_a.ko\n").excludes == std::vector<std::string>{"mod_a.ko"});
  DepmodConfig ext = parse("external * /tmp/dmc/ext1\nexternal 6\\.1 /tmp/dmc/ext2 extra-ignored\n");
  CHECK(ext.externals == std::vector<std::string>{"/tmp/dmc/ext1", "/tmp/dmc/ext2"});
  CHECK(cap.lines.empty());
}

TEST_CASE("depmod.d: kernel version patterns", "[depmodconf]") {
  // "override mod_a 1\.0 kernel" (the config backslash is eaten, leaving
  // the regex "1.0") and "amd64$" matched 6.1.0-56-amd64: kernel/ won over
  // extra/ and updates/.  "^1" and "(" did not match and were reported.
  const char* text =
      "override mod_a 1\\.0 kernel\n"
      "override mod_a ^1 extra\n"
      "override mod_a ( extra\n"
      "override mod_a amd64$ kernel\n";
  Captured cap;
  DepmodConfig cfg = parse(text);
  CHECK(cap.lines == std::vector<std::string>{"INFO: cfg.conf:2: override kernel did not match ^1",
                                              "INFO: cfg.conf:3: override kernel did not match ("});
  CHECK(cfg.overrides.size() == 2);
  CHECK(winner(cfg, {"extra/mod_a.ko", "kernel/mod_a.ko", "updates/mod_a.ko"}) == "kernel/mod_a.ko");
  CHECK(mng::depmod_kver_matches("*", "anything"));
  CHECK(mng::depmod_kver_matches("56", kKver));       // unanchored
  CHECK(!mng::depmod_kver_matches("^56", kKver));
  CHECK(mng::depmod_kver_matches("6\\.1\\.[0-9]+", kKver));
  CHECK(!mng::depmod_kver_matches("[", kKver));       // invalid regex never matches
}

TEST_CASE("depmod priority: default search list", "[depmodconf]") {
  DepmodConfig none = parse("");
  CHECK(none.search == std::vector<std::string>{"updates"});
  CHECK(!none.has_search_line);
  // No config: updates/ wins; otherwise the first file found stays.
  CHECK(winner(none, {"extra/mod_a.ko", "kernel/mod_a.ko", "updates/mod_a.ko", "foo/mod_a.ko"}) ==
        "updates/mod_a.ko");
  CHECK(winner(none, {"extra/mod_a.ko", "kernel/mod_a.ko"}) == "extra/mod_a.ko");
  CHECK(winner(none, {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "kernel/mod_a.ko");
  // A bare "search" line keeps the default: updates/ beat kernel/.
  DepmodConfig bare = parse("search\n");
  CHECK(!bare.has_search_line);
  CHECK(winner(bare, {"kernel/mod_a.ko", "updates/mod_a.ko"}) == "updates/mod_a.ko");
  // Any search entry drops "updates": with "search external" and no
  // external dirs, extra/ (found first) beat kernel/ and updates/.
  DepmodConfig ext = parse("search external\n");
  CHECK(ext.search == std::vector<std::string>{"external"});
  CHECK(winner(ext, {"extra/mod_a.ko", "kernel/mod_a.ko", "updates/mod_a.ko"}) == "extra/mod_a.ko");
}

TEST_CASE("depmod priority: search order", "[depmodconf]") {
  // built-in ranks kernel/ and foo/ above extra/.
  CHECK(winner(parse("search built-in extra\n"), {"extra/mod_a.ko", "kernel/mod_a.ko", "foo/mod_a.ko"}) ==
        "kernel/mod_a.ko");
  // Several lines: the first listed entry is the strongest.
  CHECK(winner(parse("search foo\nsearch built-in\n"),
               {"extra/mod_a.ko", "kernel/mod_a.ko", "foo/mod_a.ko"}) == "foo/mod_a.ko");
  CHECK(winner(parse("search bar built-in foo\n"), {"bar/mod_a.ko", "kernel/mod_a.ko", "foo/mod_a.ko"}) ==
        "bar/mod_a.ko");
  CHECK(winner(parse("search foo\n"), {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "foo/mod_a.ko");
  // Prefix must end at a '/': foobar/ is not foo/, foo/x/ is.
  CHECK(winner(parse("search foo\n"), {"kernel/mod_a.ko", "foobar/mod_a.ko"}) == "kernel/mod_a.ko");
  CHECK(winner(parse("search foo\n"), {"kernel/mod_a.ko", "foo/x/mod_a.ko", "foobar/mod_a.ko"}) ==
        "foo/x/mod_a.ko");
  // "search foo/" never matches (kmod looks for "foo//").
  CHECK(winner(parse("search foo/\n"), {"kernel/mod_a.ko", "foo/mod_a.ko"}) == "kernel/mod_a.ko");
  // Nested entries.
  CHECK(winner(parse("search extra extra/sub\n"), {"extra/sub/mod_a.ko", "extra/mod_a.ko"}) ==
        "extra/mod_a.ko");
  CHECK(winner(parse("search extra/sub extra\n"), {"extra/sub/mod_a.ko", "extra/mod_a.ko"}) ==
        "extra/sub/mod_a.ko");
}

TEST_CASE("depmod priority: two files under one searched subdir", "[depmodconf]") {
  // kmod quirk: the later one wins under a searched subdir ...
  CHECK(winner(parse("search extra built-in\n"), {"extra/b/mod_a.ko", "extra/a/mod_a.ko"}) ==
        "extra/a/mod_a.ko");
  CHECK(winner(parse(""), {"updates/b/mod_a.ko", "updates/a/mod_a.ko"}) == "updates/a/mod_a.ko");
  // ... while under built-in ranking it is a tie and the first one stays.
  CHECK(winner(parse("search built-in\n"), {"kernel/b/mod_a.ko", "kernel/a/mod_a.ko"}) == "kernel/b/mod_a.ko");
}

TEST_CASE("depmod priority: overrides", "[depmodconf]") {
  // Raw spelling: "mod-a" matches foo/mod-a.ko, "mod_a" does not.
  CHECK(winner(parse("override mod-a * foo\n"), {"kernel/mod_a.ko", "foo/mod-a.ko"}) == "foo/mod-a.ko");
  CHECK(winner(parse("override mod_a * foo\n"), {"kernel/mod_a.ko", "foo/mod-a.ko"}) == "kernel/mod_a.ko");
  CHECK(winner(parse("override mod_a * foo\n"), {"updates/mod_a.ko", "foo/mod-a.ko"}) == "updates/mod_a.ko");
  CHECK(winner(parse("override mod-a * foo\n"), {"updates/mod_a.ko", "foo/mod-a.ko"}) == "foo/mod-a.ko");
  // The last override in the config decides.
  CHECK(winner(parse("override mod_a * foo\noverride mod_a * bar\n"), {"bar/mod_a.ko", "foo/mod_a.ko"}) ==
        "bar/mod_a.ko");
  CHECK(winner(parse("override mod_a * bar\noverride mod_a * foo\n"), {"bar/mod_a.ko", "foo/mod_a.ko"}) ==
        "foo/mod_a.ko");
  // The subdir is exact: kernel does not cover kernel/drivers.
  CHECK(winner(parse("override mod_a * kernel\n"), {"kernel/drivers/mod_a.ko", "updates/mod_a.ko"}) ==
        "updates/mod_a.ko");
  CHECK(winner(parse("override mod_a * kernel/drivers\n"), {"kernel/drivers/mod_a.ko", "updates/mod_a.ko"}) ==
        "kernel/drivers/mod_a.ko");
  // The extension does not take part: foo/mod_a.ko.xz beat updates/.
  CHECK(winner(parse("override mod_a * foo\n"), {"updates/mod_a.ko", "foo/mod_a.ko.xz"}) == "foo/mod_a.ko.xz");
}

TEST_CASE("depmod priority: external directories", "[depmodconf]") {
  // External dirs are walked after the module dir, last listed first.
  CHECK(winner(parse("external * /tmp/dmc/ext1\nsearch external built-in\n"),
               {"kernel/mod_a.ko", "/tmp/dmc/ext1/mod_a.ko"}) == "/tmp/dmc/ext1/mod_a.ko");
  CHECK(winner(parse("external * /tmp/dmc/ext1\nsearch built-in external\n"),
               {"kernel/mod_a.ko", "/tmp/dmc/ext1/mod_a.ko"}) == "kernel/mod_a.ko");
  // Not in the search list: a tie with everything, the module dir copy stays.
  CHECK(winner(parse("external * /tmp/dmc/ext1\n"), {"kernel/mod_a.ko", "/tmp/dmc/ext1/mod_a.ko"}) ==
        "kernel/mod_a.ko");
  // The first listed external dir is the strongest.
  CHECK(winner(parse("external * /tmp/dmc/ext1\nexternal * /tmp/dmc/ext2\nsearch external\n"),
               {"/tmp/dmc/ext2/mod_a.ko", "/tmp/dmc/ext1/mod_a.ko"}) == "/tmp/dmc/ext1/mod_a.ko");
  CHECK(winner(parse("external * /tmp/dmc/ext2\nexternal * /tmp/dmc/ext1\nsearch external\n"),
               {"/tmp/dmc/ext1/mod_a.ko", "/tmp/dmc/ext2/mod_a.ko"}) == "/tmp/dmc/ext2/mod_a.ko");
  // Directory boundary: /tmp/dmc/extb is not inside /tmp/dmc/ext.
  CHECK(winner(parse("external * /tmp/dmc/ext\nexternal * /tmp/dmc/extb\nsearch external built-in\n"),
               {"/tmp/dmc/extb/mod_a.ko", "/tmp/dmc/ext/mod_a.ko"}) == "/tmp/dmc/ext/mod_a.ko");
  // A trailing slash in the config: kmod's path has "//" and still matches.
  CHECK(winner(parse("external * /tmp/dmc/ext1/\nsearch external built-in\n"),
               {"kernel/mod_a.ko", "/tmp/dmc/ext1//mod_a.ko"}) == "/tmp/dmc/ext1//mod_a.ko");
  CHECK(winner(parse("external * /tmp/dmc/ext1/\nsearch built-in external\n"),
               {"kernel/mod_a.ko", "/tmp/dmc/ext1//mod_a.ko"}) == "kernel/mod_a.ko");
}

TEST_CASE("depmod.d: loading files", "[depmodconf]") {
  TempDir t;
  write_file(t / "d1/b.conf", "search b\n");
  write_file(t / "d2/a.conf", "search a\nexclude x\n");
  write_file(t / "d2/b.conf", "search hidden\n");
  REQUIRE(symlink("/nonexistent-mng-target", (t / "d1/broken.conf").c_str()) == 0);
  REQUIRE(mkfifo((t / "d1/fifo.conf").c_str(), 0600) == 0);
  // A name masked with a link to /dev/null is read as empty, silently (kmod 30).
  write_file(t / "d2/masked.conf", "search masked\n");
  REQUIRE(symlink("/dev/null", (t / "d1/masked.conf").c_str()) == 0);
  Captured cap;
  DepmodConfig cfg;
  CHECK(!mng::load_depmod_config({t / "d1", t / "d2"}, kKver, &cfg, "", false, &cap));
  // Files are parsed in basename order; d2/b.conf is hidden by d1/b.conf.
  CHECK(cfg.search == std::vector<std::string>{"a", "b"});
  CHECK(cfg.excludes == std::vector<std::string>{"x"});
  // kmod 30 printed the first message for a dangling symlink; it hangs on a
  // fifo, which is refused here instead.
  CHECK(cap.lines == std::vector<std::string>{
                         "ERROR: file parse " + (t / "d1/broken.conf") + ": No such file or directory",
                         "ERROR: file parse " + (t / "d1/fifo.conf") + ": not a regular file"});
}

// Runs the real depmod on small trees and compares its choice with ours,
// replaying the walk in this filesystem's readdir order.
namespace {

void walk(const std::string& dir, const std::string& rel, const DepmodConfig& cfg,
          std::vector<std::string>* out) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (const dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == ".." || n == "build" || n == "source") continue;
    if (std::find(cfg.excludes.begin(), cfg.excludes.end(), n) != cfg.excludes.end()) continue;
    std::string p = dir + "/" + n;
    if (std::filesystem::is_directory(p))
      walk(p, rel + n + "/", cfg, out);
    else if (n.size() > 3 && n.compare(n.size() - 3, 3, ".ko") == 0)
      out->push_back(rel + n);
  }
  closedir(d);
}

}  // namespace

TEST_CASE("depmod priority agrees with kmod's depmod", "[depmodconf][.kmod]") {
  const std::string depmod = mng::testing::kmod_depmod_path();
  if (access(depmod.c_str(), X_OK) != 0) {
    WARN("kmod depmod not installed; cross-check skipped");
    return;
  }
  const std::string mod = mng::testing::testmods_dir() + "/mod_a.ko";
  struct Case {
    std::string config;
    std::vector<std::string> files;  // relative: under the module dir; "@x": external dir x
  };
  const std::vector<Case> cases = {
      {"search built-in extra\n", {"extra/mod_a.ko", "kernel/mod_a.ko", "foo/mod_a.ko"}},
      {"", {"extra/mod_a.ko", "kernel/mod_a.ko", "updates/mod_a.ko", "foo/mod_a.ko"}},
      {"search extra built-in\n", {"extra/b/mod_a.ko", "extra/a/mod_a.ko", "extra/c/mod_a.ko"}},
      {"search extra/sub extra\n", {"extra/mod_a.ko", "extra/sub/mod_a.ko"}},
      {"search extra extra/sub\n", {"extra/mod_a.ko", "extra/sub/mod_a.ko"}},
      {"override mod-a * foo\n", {"kernel/mod_a.ko", "foo/mod-a.ko", "updates/mod_a.ko"}},
      {"override mod_a * foo\n", {"kernel/mod_a.ko", "foo/mod-a.ko", "updates/mod_a.ko"}},
      {"search foo built-in\n", {"foobar/mod_a.ko", "kernel/mod_a.ko", "foo/x/mod_a.ko"}},
      {"external * @e1\nexternal * @e2\nsearch updates external built-in\n",
       {"kernel/mod_a.ko", "@e2/mod_a.ko", "@e1/mod_a.ko"}},
      {"external * @e2\nexternal * @e1\nsearch built-in external\n",
       {"extra/mod_a.ko", "@e2/mod_a.ko", "@e1/mod_a.ko"}},
  };
  for (const auto& c : cases) {
    TempDir t;
    const std::string kver = "6.1.0-mng";
    const std::string moddir = t / ("lib/modules/" + kver);
    auto expand = [&](std::string s) {
      for (size_t at; (at = s.find('@')) != std::string::npos;) s.replace(at, 1, t.path + "/ext-");
      return s;
    };
    std::filesystem::create_directories(moddir);
    for (const char* f : {"modules.order", "modules.builtin", "modules.builtin.modinfo"}) write_file(moddir + "/" + f, "");
    for (const auto& f : c.files) {
      std::string p = expand(f);
      mng::testing::copy_file(mod, p[0] == '/' ? p : moddir + "/" + p);
    }
    write_file(t / "cfg.conf", expand(c.config));
    INFO("config: " << c.config);
    REQUIRE(mng::testing::run(std::string(depmod) + " -b " + t.path + " -C " + (t / "cfg.conf") + " " + kver +
                              " 2>/dev/null") == 0);
    std::string dep = mng::testing::read_file(moddir + "/modules.dep");
    std::string kmod_choice = dep.substr(0, dep.find(':'));

    DepmodConfig cfg = parse(expand(c.config), kver);
    std::vector<std::string> order;
    walk(moddir, "", cfg, &order);
    for (auto e = cfg.externals.rbegin(); e != cfg.externals.rend(); ++e) {
      std::vector<std::string> ext;
      walk(*e, "", cfg, &ext);
      for (auto& x : ext) order.push_back(*e + "/" + x);
    }
    REQUIRE(order.size() == c.files.size());
    CHECK(winner(cfg, order) == kmod_choice);
  }
}

TEST_CASE("depmod.d: arbitrary bytes never break the parser", "[depmodconf]") {
  // Not a kmod observation: a robustness check.  Every message must name a
  // line that exists in the text.
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
  const char alphabet[] = "search override external exclude include * \\\n\t #\0\r\xff/.-_ab";
  for (int round = 0; round < 200; round++) {
    std::string text;
    size_t len = next() % 300;
    for (size_t i = 0; i < len; i++) text.push_back(alphabet[(next() >> 8) % (sizeof alphabet - 1)]);
    size_t lines = std::count(text.begin(), text.end(), '\n') + 1;
    Captured cap;
    DepmodConfig cfg = parse(text);
    for (const auto& l : cap.lines) {
      size_t colon = l.find("cfg.conf:");
      REQUIRE(colon != std::string::npos);
      size_t n = std::stoul(l.substr(colon + 9));
      CHECK(n >= 1);
      CHECK(n <= lines);
    }
  }
}

TEST_CASE("depmod.d: messages come back with their file and line", "[depmodconf]") {
  mng::DiagnosticList diags;
  DepmodConfig cfg;
  mng::parse_depmod_config_text("search a\n\nfoo bar\ninclude x\n", "/etc/depmod.d/x.conf", kKver, &cfg, &diags);
  REQUIRE(diags.items.size() == 2);
  CHECK(diags.items[0].level == mng::Level::error);
  CHECK(diags.items[0].file == "/etc/depmod.d/x.conf");
  CHECK(diags.items[0].line == 3);
  CHECK(diags.items[0].text == "ignoring bad line starting with 'foo'");
  CHECK(diags.items[1].level == mng::Level::info);
  CHECK(diags.items[1].line == 4);
  CHECK(diags.items[1].message() == "/etc/depmod.d/x.conf:4: command include not implemented yet");
  // Without a collector nothing is kept and the parse is the same.
  DepmodConfig quiet;
  mng::parse_depmod_config_text("search a\n\nfoo bar\ninclude x\n", "x.conf", kKver, &quiet);
  CHECK(quiet.search == cfg.search);
}
