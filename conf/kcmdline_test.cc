// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel command line options and blacklist (doc/compat.md, modprobe.d and the kernel command line).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <random>

#include "tests/test_util.h"
#include "conf/kcmdline.h"

using namespace mng;
using namespace mng::testing;

namespace {

std::string parse(const std::string& cmdline, std::string* messages = nullptr) {
  ConfigModel m;
  std::vector<ConfigError> e;
  parse_kernel_cmdline(&m, cmdline, &e);
  if (messages)
    for (const auto& x : e) *messages += x.message + "\n";
  return show_config_string(m);
}

// Lines of kmod's own testsuite (rootfs-pristine/test-modprobe/
// module-param-kcmdline7 and 8): proc/cmdline and correct.txt.
struct KmodSuiteCase {
  const char* cmdline;
  const char* expected;
};
const KmodSuiteCase kKmodSuite[] = {
    {"psmouse.foo parport.dyndbg=\"file drivers/parport/ieee1284_ops.c +mpf\" quiet rw\n",
     "options psmouse foo\noptions parport dyndbg=\"file drivers/parport/ieee1284_ops.c +mpf\"\n"},
    {"psmouse.foo \"parport.dyndbg=file drivers/parport/ieee1284_ops.c +mpf\" quiet rw\n",
     "options psmouse foo\noptions parport dyndbg=\"file drivers/parport/ieee1284_ops.c +mpf\"\n"},
};

// Command lines compared live with kmod 30 (also the expectations checked
// when they were written).
struct Case {
  const char* cmdline;
  const char* expected;
};
const Case kCases[] = {
    {"foo.bar=1 \"parport.dyndbg=file x +p\" modprobe.blacklist=a-b,c x.y=\"q r\" =z.a a=b.c m-n.o-p=1-2 nodot "
     "noval.x quote\"d.x=1 z.w\n",
     "blacklist a-b\nblacklist c\noptions foo bar=1\noptions parport dyndbg=\"file x +p\"\noptions x y=\"q r\"\n"
     "options m_n o-p=1-2\noptions noval x\n"},
    {"a.b=1\tc.d=2 \"e.f=g h\" \"i.j\" k.\"l=m\" n.o=\"p q\"r s.t=\" u\" \"v.w x.y=z\n",
     "options a b=1\noptions c d=2\noptions e f=\"g h\"\noptions n o=\"p q\"r\noptions s t=\" u\"\n"},
    {"modprobe.blacklist= modprobe.blacklist=,x, modprobe.blacklistx=1\n",
     "blacklist \nblacklist \nblacklist x\nblacklist \noptions modprobe blacklistx=1\n"},
    {"a.b.c=1 d.e=f.g h=i.j", "options d e=f.g\n"},
    {"", ""},
};

bool can_fake_proc_cmdline() {
  return geteuid() == 0 && have_kmod_modprobe() && system("unshare -m true >/dev/null 2>&1") == 0;
}

}  // namespace

TEST_CASE("kcmdline: kmod testsuite cases", "[conf]") {
  for (const auto& c : kKmodSuite) {
    INFO(c.cmdline);
    CHECK(parse(c.cmdline) == c.expected);
  }
}

TEST_CASE("kcmdline: quoting + ignored tokens + blacklist", "[conf]") {
  for (const auto& c : kCases) {
    INFO(c.cmdline);
    CHECK(parse(c.cmdline) == c.expected);
  }
  std::string msgs;
  CHECK(parse("a]b.x=1 c[-d.y=2 e-f.z\n", &msgs) == "options e_f z\n");
  CHECK(msgs ==
        "Ignoring bad option on kernel command line while parsing module name: 'a]b'\n"
        "Ignoring bad option on kernel command line while parsing module name: 'c[-d'\n");
}

TEST_CASE("kcmdline: same result as kmod 30 reading a faked /proc/cmdline", "[conf][.kmod]") {
  if (!can_fake_proc_cmdline()) {
    WARN("needs root, unshare and kmod's modprobe; live comparison skipped");
    return;
  }
  TempDir d;
  for (const auto& c : kCases) {
    INFO(c.cmdline);
    std::string file = d.write("cmdline", c.cmdline);
    std::string out = run_capture("unshare -m sh -c 'mount --bind " + file + " /proc/cmdline && " + kmod_modprobe() +
                                  " -c -d /nonexistent -S 0.0 -C /dev/null 2>/dev/null'");
    std::size_t end = out.find("\n# End of configuration files");
    REQUIRE(end != std::string::npos);
    CHECK(parse(c.cmdline) == out.substr(0, end));
  }
}

TEST_CASE("kcmdline: random text never crashes", "[conf]") {
  std::mt19937 rng(29);
  const char pieces[] = " .=\"\t\nab-[],";
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) s += rng() % 4 ? pieces[rng() % (sizeof pieces - 1)] : static_cast<char>(rng() % 256);
    ConfigModel m;
    parse_kernel_cmdline(&m, s, nullptr);
    CHECK(m.options.size() + m.blacklist.size() <= s.size());
  }
}
