// SPDX-License-Identifier: GPL-2.0-or-later
// Meta-expansion of legacy values (doc/compat.md, modutils: meta-expansion), never via a shell.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "tests/test_util.h"
#include "conf/expand.h"

using namespace mng;
using mng::testing::TempDir;

namespace {
const std::map<std::string, std::string> kEnv = {{"HOME", "/root"}, {"ARCH", "i386"}};

ExpandResult expand(const std::string& text, const std::string& version = "2.4.20-8smp",
                    const std::vector<std::pair<std::string, std::string>>* defines = nullptr,
                    const std::string& root = "") {
  ExpandEnv env{version, defines, &kEnv};
  return meta_expand(text, env, root);
}
using W = std::vector<std::string>;
}  // namespace

TEST_CASE("expand: built-in uname -r and kernelversion", "[conf]") {
  CHECK(kernelversion_of("2.4.20-8smp") == "2.4");
  CHECK(kernelversion_of("2.4") == "2.4");
  CHECK(kernelversion_of("2") == "2");
  CHECK(expand("/lib/modules/`kernelversion`/x").words == W{"/lib/modules/2.4/x"});
  CHECK(expand("/lib/modules/`uname -r`/y").words == W{"/lib/modules/2.4.20-8smp/y"});
  CHECK(expand("`  uname -r`").words == W{"2.4.20-8smp"});
  CHECK(expand("`uname -rX`-`kernelversion`").words == W{"2.4.20-8smp-2.4"});  // prefix match
  CHECK(expand("a `uname -r` b", "1.3.99").words == W{"a", "1.3.99", "b"});
}

TEST_CASE("expand: plain + quotes + options", "[conf]") {
  CHECK(expand("  a  b\tc ").words == W{"a", "b", "c"});
  CHECK(expand("\"a b\" 'c  d' e").words == W{"a b", "c  d", "e"});
  CHECK(expand("io=0x300 irq=5").words == W{"io=0x300", "irq=5"});
  // '=' and quotes together went through the shell: quotes are stripped by
  // the word split afterwards.
  CHECK(expand("x=\"a b\" y").words == W{"x=a b", "y"});
  CHECK(expand("").words.empty());
  CHECK(expand("/x", "2.4.20", nullptr, "/img").words == W{"/img/x"});
  CHECK(expand("/x /y", "2.4.20", nullptr, "/img").words == W{"/img/x", "/img/y"});
}

TEST_CASE("expand: variables from define and the environment", "[conf]") {
  std::vector<std::pair<std::string, std::string>> defines = {{"FOO", "1"}, {"BAR", "a b"}, {"FOO", "2"}};
  CHECK(expand("$FOO", "2.4.20", &defines).words == W{"2"});  // the later define wins
  CHECK(expand("x${FOO}y", "2.4.20", &defines).words == W{"x2y"});
  CHECK(expand("$BAR", "2.4.20", &defines).words == W{"a", "b"});
  CHECK(expand("$HOME/$ARCH", "2.4.20", &defines).words == W{"/root/i386"});
  CHECK(expand("$UNSET_THING").words.empty());
  CHECK(expand("a$").words == W{"a$"});
  CHECK(expand("cost $5").error.find("$5") != std::string::npos);
}

TEST_CASE("expand: unsupported shell constructs are reported + never run", "[conf]") {
  TempDir d;
  std::string marker = d.path + "/ran";
  for (const std::string& text : std::vector<std::string>{"`touch " + marker + "`", "$(touch " + marker + ")", "$((1+1))",
                           "${X:-$(touch " + marker + ")}", "a `uname -r` `touch " + marker + "`", "$?", "$$"}) {
    INFO(text);
    ExpandResult r = expand(text);
    CHECK_FALSE(r.ok());
    CHECK(r.words.empty());
  }
  CHECK(access(marker.c_str(), F_OK) != 0);
  CHECK(expand("`touch x`").error == "unsupported shell command `touch x` (not executed)");
}

TEST_CASE("expand: globs use glob(3) + unmatched globs stay literal", "[conf]") {
  TempDir d;
  for (const char* f : {"a.o", "b.o", "c.txt"}) d.write(std::string("mods/") + f, "");
  ExpandResult r = expand(d.path + "/mods/*.o");
  REQUIRE(r.ok());
  CHECK(std::set<std::string>(r.words.begin(), r.words.end()) ==
        std::set<std::string>{d.path + "/mods/a.o", d.path + "/mods/b.o"});
  CHECK(expand(d.path + "/mods/?.txt").words == W{d.path + "/mods/c.txt"});
  CHECK(expand(d.path + "/none/*").words == W{d.path + "/none/*"});
  // With a root, the glob is matched inside it and results keep the root.
  r = expand("/mods/[ab].o", "2.4.20", nullptr, d.path);
  CHECK(std::set<std::string>(r.words.begin(), r.words.end()) ==
        std::set<std::string>{d.path + "/mods/a.o", d.path + "/mods/b.o"});
}
