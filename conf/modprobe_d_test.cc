// SPDX-License-Identifier: GPL-2.0-or-later
// The modprobe.d language against Debian's kmod 30 (doc/compat.md, modprobe.d
// and the kernel command line; modprobe: action lines): every case under tests/conf-cases/modprobe.d is given to the real
// `modprobe -c -C CASE` and to our loader, and the configuration part of the
// output and the parse messages must be identical.
#include <catch2/catch.hpp>

#include <dirent.h>

#include <algorithm>

#include "tests/test_util.h"
#include "conf/kcmdline.h"
#include "conf/load_config.h"
#include "conf/modprobe_d.h"

using namespace mng;
using namespace mng::testing;

namespace {

std::string cases_dir() { return "tests/conf-cases/modprobe.d"; }

// Our modprobe -c (configuration part) for one -C path, kmod-style.
std::string ours(const std::string& path, std::string* messages) {
  static const std::map<std::string, std::string> no_env;
  ConfigOptions o;
  o.config_paths = {path};
  o.kernel_version = "0.0";
  o.legacy_defaults = LegacyDefaults::never;
  o.language = ConfigLanguage::modprobe_d;
  o.module_dir = "/nonexistent/lib/modules/0.0";
  o.kernel_cmdline = read_kernel_cmdline();  // kmod reads the real one
  o.environment = &no_env;
  std::vector<ConfigError> errors;
  ConfigModel m = load_modprobe_config(o, &errors);
  for (const auto& e : errors) *messages += e.message + "\n";
  return show_config_string(m);
}

// kmod's: stdout up to the empty line before "# End of configuration
// files", stderr with the "libkmod: ERROR file:line function: " prefix cut.
std::string theirs(const std::string& path, std::string* messages) {
  std::string out = run_capture(kmod_modprobe() + " -c -d /nonexistent -S 0.0 -C '" + path + "' 2>/tmp/mng-conf-kmod-err");
  std::size_t end = out.find("\n# End of configuration files");
  if (end != std::string::npos) out.erase(end);
  std::string err = run_capture("cat /tmp/mng-conf-kmod-err; rm -f /tmp/mng-conf-kmod-err");
  for (const auto& line : lines_of(err)) {
    std::size_t fn = line.find(": ");  // after "libkmod: ERROR ../x.c:N function"
    fn = fn == std::string::npos ? fn : line.find(": ", fn + 2);
    *messages += (fn == std::string::npos ? line : line.substr(fn + 2)) + "\n";
  }
  return out;
}

std::vector<std::string> case_paths() {
  std::vector<std::string> out;
  if (DIR* d = opendir(cases_dir().c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name[0] == '.') continue;
      out.push_back(cases_dir() + "/" + name);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("modprobe.d: same -c output and messages as kmod 30", "[conf][.kmod]") {
  auto paths = case_paths();
  REQUIRE(paths.size() >= 6);  // run the tests from the repository root
  if (!have_kmod_modprobe()) {
    WARN("kmod's modprobe not installed; comparison skipped");
    return;
  }
  for (const auto& p : paths) {
    INFO("case " << p);
    std::string our_msgs, their_msgs;
    std::string a = ours(p, &our_msgs);
    std::string b = theirs(p, &their_msgs);
    CHECK(a == b);
    CHECK(our_msgs == their_msgs);
  }
}

// Expected texts below were checked against kmod 30 when written (the live
// test above repeats that check for the case files).
TEST_CASE("modprobe.d: lines + tokens and kmod's bad-line messages", "[conf]") {
  ConfigModel m;
  std::vector<ConfigError> e;
  parse_modprobe_d_text(&m,
                        "alias a-b c-d extra\n"
                        " # indented comment\n"
                        "options o1    x=1 # not a comment\n"
                        "alias cont\\\ninued y\n"
                        "bogus line\n"
                        "alias onlyone\n"
                        "include /etc/foo\n"
                        "options c3 a\\\n#x\n"
                        "options o2\n"
                        "options o3  \n",
                        "t.conf", &e);
  CHECK(show_config_string(m) ==
        "alias a_b c_d\nalias continued y\noptions o1    x=1 # not a comment\noptions c3 a#x\noptions o3  \n");
  CHECK(members_of(e, &ConfigError::message) == std::vector<std::string>{
            "t.conf line 2: ignoring bad line starting with '#'",
            "t.conf line 6: ignoring bad line starting with 'bogus'",
            "t.conf line 7: ignoring bad line starting with 'alias'",
            "t.conf: command include is deprecated and not parsed anymore",
            "t.conf line 11: ignoring bad line starting with 'options'",
        });
  CHECK(e[0].line == 2);
  CHECK(e[0].source == ConfSource::modprobe_d);
}

TEST_CASE("modprobe.d: a command or softdep section is a whole token", "[conf]") {
  ConfigModel m;
  std::vector<ConfigError> e;
  parse_modprobe_d_text(&m,
                        "aliasx a b\nAlias a b\nalia a b\nconfigx y\nblacklist x\n"
                        "softdep s pre:x a pre: b post:: c post: d\n",
                        "k.conf", &e);
  CHECK(show_config_string(m) == "blacklist x\nsoftdep s pre: b post:: cpost: d\n");
  CHECK(members_of(e, &ConfigError::message) == std::vector<std::string>{
            "k.conf line 1: ignoring bad line starting with 'aliasx'",
            "k.conf line 2: ignoring bad line starting with 'Alias'",
            "k.conf line 3: ignoring bad line starting with 'alia'",
            "k.conf line 4: ignoring bad line starting with 'configx'",
        });
}

TEST_CASE("modprobe.d: softdep spacing quirk and weakdep (kmod >= 33)", "[conf]") {
  ConfigModel m;
  std::vector<ConfigError> e;
  parse_modprobe_d_text(&m,
                        "softdep foo-bar pre: a-b c post: d-e\nsoftdep x post: y\nsoftdep empty foo\n"
                        "weakdep mod-loop-b mod-loop-a mod-simple\nweakdep w\n",
                        "w.conf", &e);
  // kmod 30 prints "cpost:"; weakdep lines as kmod's testsuite
  // (test-modprobe/weakdep-config/correct.txt) shows them.
  CHECK(show_config_string(m) ==
        "softdep foo_bar pre: a-b cpost: d-e\nsoftdep x post: y\nsoftdep empty \n"
        "weakdep mod_loop_b mod-loop-a mod-simple\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "w.conf line 5: ignoring bad line starting with 'weakdep'");
  REQUIRE(find_softdep(m, "foo_bar"));
  CHECK(find_softdep(m, "foo_bar")->post == std::vector<std::string>{"d-e"});
  CHECK(find_weakdep(m, "mod_loop_b")->deps == std::vector<std::string>{"mod-loop-a", "mod-simple"});
}

TEST_CASE("modprobe.d: lookups follow kmod's matching rules", "[conf]") {
  ConfigModel m;
  parse_modprobe_d_text(&m,
                        "alias eth* e1000\nalias eth0 r8169\ninstall snd* /bin/a\ninstall snd_pcm /bin/b\n"
                        "options m a=1\noptions m b=2\nblacklist bad\nsoftdep m* pre: x\nsoftdep mm pre: y\n",
                        "l.conf", nullptr);
  auto al = match_kmod_aliases(m, "eth0");
  REQUIRE(al.size() == 2);
  CHECK(al[0]->target() == "e1000");
  CHECK(al[1]->target() == "r8169");
  CHECK(find_command(m, CommandKind::install, "snd_pcm")->command == "/bin/a");  // first match
  CHECK(find_command(m, CommandKind::remove, "snd_pcm") == nullptr);
  CHECK(kmod_options(m, "m") == "a=1 b=2");
  CHECK(is_blacklisted(m, "bad"));
  CHECK_FALSE(is_blacklisted(m, "ba"));
  CHECK(find_softdep(m, "mm")->pre == std::vector<std::string>{"x"});
}

TEST_CASE("modprobe.d: random bytes never crash the parser", "[conf]") {
  std::mt19937 rng(2011);
  const char* pieces[] = {"alias ", "options ", "install ", "remove ", "blacklist ", "softdep ", "weakdep ",
                          "pre: ", "post: ", "include ", "\\", "\n", "#", "[", "]", "-", " ", "\t", "x"};
  for (int i = 0; i < 3000; ++i) {
    std::string s = random_config_text(rng, pieces);
    ConfigModel m;
    std::vector<ConfigError> e;
    parse_modprobe_d_text(&m, s, "r.conf", &e);
    show_config_string(m);
    for (const auto& x : e) CHECK(x.message.starts_with("r.conf"));
  }
}
