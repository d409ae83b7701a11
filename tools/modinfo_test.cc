// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "common/text_util.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

struct Result {
  int status;
  std::string out, err;
};

Result modinfo(std::vector<std::string> words) {
  words.insert(words.begin(), "modinfo");
  std::ostringstream out, err;
  int st = run_modinfo(words, out, err);
  return {st, out.str(), err.str()};
}

// ROOT/lib/modules/KVER with mod_a.ko under kernel/ and a text modules.dep.
struct Tree {
  TempDir root;
  std::string kver = "6.0.0-test";
  std::string dir = root / ("lib/modules/" + kver);
  std::string mod_a = dir + "/kernel/mod_a.ko";
  Tree() {
    copy_file(testmod("mod_a.ko"), mod_a);
    write_file(dir + "/modules.dep", "kernel/mod_a.ko:\n");
  }
  std::vector<std::string> at(std::vector<std::string> rest) const {
    rest.insert(rest.begin(), {"-b", root.path, "-k", kver});
    return rest;
  }
};

}  // namespace

TEST_CASE("modinfo by name: the file from modules.dep, then its fields", "[modinfo]") {
  Tree t;
  Result r = modinfo(t.at({"mod_a"}));
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.starts_with("filename:       " + t.mod_a + "\n"));
  CHECK(r.out.find("\nalias:          test-alias-a\n") != std::string::npos);
  CHECK(r.out.find("\nname:           mod_a\n") != std::string::npos);
  CHECK(r.out.ends_with("parm:           level:a number shown under /sys/module/mod_a/parameters (int)\n"));
  CHECK(modinfo(t.at({"-F", "alias", "mod-a"})).out == "test-alias-a\n");
  CHECK(modinfo(t.at({"-m", "-n", "mod_a"})).out == t.mod_a + "\n");
  CHECK(modinfo(t.at({"-p", "-0", "mod_a"})).out ==
        std::string("level:a number shown under /sys/module/mod_a/parameters (int)") + '\0');
}

TEST_CASE("modinfo by path: relative paths are made absolute, not resolved", "[modinfo]") {
  Tree t;
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof cwd));
  REQUIRE(chdir(t.dir.c_str()) == 0);
  Result r = modinfo({"-n", "./kernel/mod_a.ko"});
  REQUIRE(chdir(cwd) == 0);
  CHECK(r.out == t.dir + "/./kernel/mod_a.ko\n");
  CHECK(r.status == 0);
}

TEST_CASE("modinfo: compressed modules show what the module shows", "[modinfo]") {
  Tree t;
  std::string plain = modinfo({t.mod_a}).out;
  for (const char* tool : {"gzip", "xz", "zstd -q"}) {
    std::string ext = tool[0] == 'g' ? ".gz" : tool[0] == 'x' ? ".xz" : ".zst";
    std::string z = t.mod_a + ext;
    REQUIRE(run(std::string(tool) + " -c '" + t.mod_a + "' > '" + z + "'") == 0);
    std::string out = modinfo({z}).out;
    CHECK(out.substr(out.find('\n')) == plain.substr(plain.find('\n')));
  }
}

TEST_CASE("modinfo: kmod's messages and exit statuses", "[modinfo]") {
  Tree t;
  Result r = modinfo(t.at({"no_such_module"}));
  CHECK((r.status == 1 && r.out.empty() && r.err == "modinfo: ERROR: Module no_such_module not found.\n"));
  r = modinfo(t.at({"-m", "test-alias-a"}));
  CHECK(r.err == "modinfo: ERROR: Module name test-alias-a not found.\n");
  r = modinfo({});
  CHECK((r.status == 1 && r.err == "modinfo: ERROR: missing module or filename.\n"));
  r = modinfo({"-x"});
  CHECK((r.status == 1 && r.err == "modinfo: invalid option -- 'x'\n"));
  std::string bad = t.root.write("bad.ko", "not an ELF file at all\n");
  r = modinfo({bad, t.mod_a});
  CHECK(r.status == 1);
  CHECK(r.err == "modinfo: ERROR: could not get modinfo from 'bad': Exec format error\n");
  CHECK(r.out.starts_with("filename:       " + bad + "\nfilename:       " + t.mod_a + "\n"));
  std::string tiny = t.root.write("tiny.ko", "\x7f" "EL");
  CHECK(modinfo({tiny}).err == "modinfo: ERROR: could not get modinfo from 'tiny': Invalid argument\n");
  r = modinfo({"-n", bad});
  CHECK((r.status == 0 && r.out == bad + "\n"));  // -n does not read the file
  r = modinfo({"-F", "no_such_field", t.mod_a});
  CHECK((r.status == 0 && r.out.empty() && r.err.empty()));
}

TEST_CASE("modinfo -h and -V", "[modinfo]") {
  Result r = modinfo({"-h"});
  CHECK(r.status == 0);
  CHECK(r.out.starts_with("Usage:\n\tmodinfo [options]"));
  r = modinfo({"--version"});
  CHECK(r.out.starts_with("modutils-ng modinfo version "));
}

// Debian's kmod as the reference, on every test module ([.kmod]: run by
// tests/check-kmod-reference.sh, which has kmod at hand).
TEST_CASE("modinfo agrees with kmod's on the test modules", "[modinfo][.kmod]") {
  const std::string dir = testmods_dir();
  for (const char* m : {"mod_a", "mod_b", "mod_c", "mod-d", "mod_e", "boot_one", "fail_init"}) {
    std::string path = dir + "/" + m + ".ko";
    for (const char* opt : {"", "-0", "-p", "-F depends"}) {
      std::string want;
      REQUIRE(run(kmod_modinfo_path() + " " + opt + " '" + path + "' 2>/dev/null", &want) == 0);
      std::vector<std::string> words;
      for (const std::string& w : strtok_split_strings(opt)) words.push_back(w);
      words.push_back(path);
      INFO(path << " " << opt);
      CHECK(modinfo(words).out == want);
    }
  }
}
