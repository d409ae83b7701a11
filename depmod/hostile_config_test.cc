// SPDX-License-Identifier: GPL-2.0-or-later
// Hostile depmod.d configuration found while fuzzing
// (fuzz/fuzz_depmod_config.cc).
#include <catch2/catch.hpp>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "conf/depmod_config.h"

namespace {
// Runs FN in a child process whose address space is capped at LIMIT_MB and
// returns the child's peak resident size in MB, or -1 if it did not exit
// normally.  The cap keeps a runaway allocation from hurting the machine.
template <typename F>
long peak_rss_mb_in_child(F fn, long limit_mb) {
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit rl{static_cast<rlim_t>(limit_mb) << 20, static_cast<rlim_t>(limit_mb) << 20};
    setrlimit(RLIMIT_AS, &rl);
    fn();
    struct rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    long mb = ru.ru_maxrss / 1024;  // ru_maxrss is in KB
    _exit(mb > 250 ? 250 : static_cast<int>(mb));
  }
  int st = 0;
  if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
  return WEXITSTATUS(st);
}
}  // namespace

// The kernel version pattern of "external" and "override" lines goes to
// glibc's regcomp(), which copies the pattern tree once per stacked
// repetition operator: "^6" followed by 40 '+' asks for 2^40 nodes and
// takes all memory (Debian's kmod 30 does so).  kver_pattern_too_complex
// refuses such patterns before regcomp sees them.
TEST_CASE("a kernel version pattern with stacked repetitions stays small", "[hostile]") {
#if defined(__SANITIZE_ADDRESS__)
  // The address-space cap below would break the sanitizer's own mappings.
  WARN("not run under AddressSanitizer");
#else
  const std::string pattern = "^6" + std::string(40, '+');
  long mb = peak_rss_mb_in_child([&] { (void)mng::depmod_kver_matches(pattern, "6.1.0-56-amd64"); }, 768);
  INFO("peak resident size of the child: " << mb << " MB");
  CHECK(mb >= 0);
  CHECK(mb < 64);

  mng::DepmodConfig cfg;
  const std::string text = "external " + pattern + " /opt/x\nsearch updates\n";
  mb = peak_rss_mb_in_child([&] { mng::parse_depmod_config_text(text, "hostile.conf", "6.1.0-56-amd64", &cfg); }, 768);
  INFO("peak resident size of the child: " << mb << " MB");
  CHECK(mb >= 0);
  CHECK(mb < 64);

  // The input fuzz_depmod_config found (libFuzzer: out-of-memory).
  static const char found[] =
      "# d\n"
      "external \xa6^3\\.[0-9]\x0b\\..*amd64$ extra-modulesrra-modules\n"
      "external ^4\\.[0-9]\x0b\\..*amd64$ d\0\0\0\0\0\0\0\0\0\0\0\0\0xtra-modules\n"
      "external ^6"
      "++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++"  // 64
      "+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++"     // + 61
      "\\.[0-e9]+\\..*am+\\..*amd63$ /iles\n";
  const std::string input(found, sizeof found - 1);
  REQUIRE(input.size() == 286);
  mb = peak_rss_mb_in_child([&] { mng::parse_depmod_config_text(input, "fuzz.conf", "6.1.0-56-amd64", &cfg); }, 768);
  INFO("peak resident size of the child: " << mb << " MB");
  CHECK(mb >= 0);
  CHECK(mb < 64);
#endif
}

// Repeating what already matches the empty string makes regcomp's time,
// not its memory, grow: each "5**" after "^" doubles it.  The two inputs
// fuzz_depmod_config found (libFuzzer: a 22 s unit, then a timeout).
TEST_CASE("a kernel version pattern repeating the empty match is refused", "[hostile]") {
  const std::string slow = "seaeates\noverride mod_a. (dr/lib" + std::string(17, '?') + "\xc7" + std::string(7, '?') + ">" +
                           std::string(5, '?') + "~" + std::string(14, '?') + "*" + std::string(3, '?') + "):" + std::string(67, '?') + ">" +
                           std::string(5, '?') + "~" + std::string(14, '?') + "*" + std::string(3, '?') + "): cextra-h'modufes\nexs";
  const std::string timeout = "senal ^5^.{08\xd4\x82\xd3\xdf\x9a\xcf\xca\x91" "es\nexternal ^5" + std::string(119, '*') +
                              "^.{07,},,,-nal ^,\tbeule#r,,,-nal ^,\tbeule#r,";
  // A later run's timeout: an interval copying what matches nothing.
  const std::string interval = "\noverride \xff (:29?I?{9498,})" + std::string(4, '?') + "): l";
  REQUIRE(slow.size() == 199);
  REQUIRE(timeout.size() == 198);
  REQUIRE(interval.size() == 35);
  for (const std::string* input : {&slow, &timeout, &interval}) {
    mng::DepmodConfig cfg;
    mng::DiagnosticList diags;
    mng::parse_depmod_config_text(*input, "fuzz.conf", "6.1.0-56-amd64", &cfg, &diags);
    bool refused = false;
    for (const auto& d : diags.items) refused |= d.line == 2 && d.text == "kernel version pattern too complex, ignoring the line";
    CHECK(refused);
    CHECK(cfg.overrides.empty());
    CHECK(cfg.externals.empty());
  }
}

TEST_CASE("the guard counts repetitions of what may match nothing", "[hostile]") {
  using mng::kver_pattern_too_complex;
  auto times = [](const std::string& s, int n) {
    std::string r;
    for (int i = 0; i < n; ++i) r += s;
    return r;
  };
  CHECK(kver_pattern_too_complex("^" + times("5**", 20)));
  CHECK(kver_pattern_too_complex("^" + times("(5*)*", 20)));
  CHECK(kver_pattern_too_complex("^" + times("(5|)*", 20)));
  CHECK(kver_pattern_too_complex("^" + times("5{0,1}*", 20)));
  CHECK(kver_pattern_too_complex("^" + times("5?*", 20)));
  CHECK(kver_pattern_too_complex("^(5**){20}"));                // copies count too
  CHECK(kver_pattern_too_complex("^(\\b*)" + times("x\\<*", 5)));  // word anchors match nothing
  CHECK(kver_pattern_too_complex("a" + std::string(6, '?')));
  // Each copy an interval makes of what may match nothing counts
  // (fuzz_depmod_config: this line took regcomp minutes).
  CHECK(kver_pattern_too_complex("(:29?I?{9498,})" + std::string(4, '?') + "):"));
  CHECK(kver_pattern_too_complex("I?{100}"));
  CHECK(kver_pattern_too_complex("(I?{8}){8}"));
  CHECK_FALSE(kver_pattern_too_complex("^6\\.[0-9]{1,3}(\\.[0-9]+){0,3}$"));
  CHECK_FALSE(kver_pattern_too_complex("I{9498}"));
  CHECK_FALSE(kver_pattern_too_complex("^" + times("5**", 4)));
  CHECK_FALSE(kver_pattern_too_complex("^" + times("5*", 400)));  // one repetition each is cheap
  CHECK_FALSE(kver_pattern_too_complex("^" + times("(5+)*", 20)));
  CHECK_FALSE(kver_pattern_too_complex("^" + times("(5*6)*", 20)));
  CHECK_FALSE(kver_pattern_too_complex("^" + times("(5|6)*", 20)));
  CHECK_FALSE(kver_pattern_too_complex("^6\\.1\\..*?amd64$"));   // a lazy quantifier out of habit
  CHECK_FALSE(kver_pattern_too_complex("^([0-9]+\\.)*[0-9]+(-[a-z0-9]+)*$"));
}

TEST_CASE("the complexity guard counts copies, not characters", "[hostile]") {
  using mng::kver_pattern_too_complex;
  CHECK(kver_pattern_too_complex("^6" + std::string(40, '+')));
  CHECK(kver_pattern_too_complex("^6" + std::string(14, '+')));  // 16384 copies
  CHECK_FALSE(kver_pattern_too_complex("^6" + std::string(8, '+')));
  CHECK(kver_pattern_too_complex("(a{100}){100}"));
  CHECK(kver_pattern_too_complex("((a{30}){30}){30}"));
  CHECK(kver_pattern_too_complex("a{100000}"));
  CHECK(kver_pattern_too_complex("a{1,99999999999999999999}"));
  CHECK_FALSE(kver_pattern_too_complex("(a{10}){10}"));
  CHECK_FALSE(kver_pattern_too_complex("[{]{2}"));           // a bracket is one atom
  CHECK_FALSE(kver_pattern_too_complex("x{"));                // a literal brace
  CHECK_FALSE(kver_pattern_too_complex("(((((((("));          // unbalanced: regcomp's problem
  CHECK(kver_pattern_too_complex(std::string(5000, 'a')));
  CHECK_FALSE(mng::depmod_kver_matches("6" + std::string(40, '+'), "6.1.0"));
}

// The same guard must not reject what real configurations use.
TEST_CASE("ordinary kernel version patterns still match", "[hostile]") {
  CHECK(mng::depmod_kver_matches("^6\\.1\\..*amd64$", "6.1.0-56-amd64"));
  CHECK(mng::depmod_kver_matches("[0-9]+\\.[0-9]+\\.[0-9]+", "6.1.0-56-amd64"));
  CHECK(mng::depmod_kver_matches("^6\\.[0-9]{1,2}\\.", "6.1.0-56-amd64"));
  CHECK_FALSE(mng::depmod_kver_matches("^5\\.", "6.1.0-56-amd64"));
  CHECK(mng::depmod_kver_matches("^6\\.(0|1|2)[.-]([0-9]+-)?[a-z0-9]+$", "6.1.0-56"));
  CHECK(mng::depmod_kver_matches("^[[:digit:]]+\\.[[:digit:]]{1,3}", "6.1.0-56-amd64"));
}
