// SPDX-License-Identifier: GPL-2.0-or-later
// conf_parse_bench [LINES]: times the configuration parsers on generated
// input (default 500000 lines): a legacy modules.conf read whole
// (legacy_read_text, meta-expansion included), the legacy line grammar
// alone (parse_legacy_line + classify_legacy_keyword on every logical
// line; every 20 lines hold two "if" lines), and a modprobe.d file
// (parse_modprobe_d_text).  Prints the best of 5 runs of each, in ms of
// process CPU time (steadier than wall time on a shared machine).
// Build (after `make build/libcore.a`):
//   g++ -O2 -std=c++20 -I. tests/conf_parse_bench.cc build/libcore.a -o build/conf_parse_bench
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "conf/legacy_lexer.h"
#include "conf/legacy_parser.h"
#include "conf/legacy_read.h"
#include "conf/modprobe_d.h"

using namespace mng;

namespace {

// N lines, line I being KINDS[I % COUNT] with its %ld filled by NUMBER(I).
std::string numbered_lines(const char* const* kinds, long count, long n, long (*number)(long)) {
  std::string out;
  char buf[128];
  for (long i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, kinds[i % count], number(i));
    out += buf;
    out += '\n';
  }
  return out;
}

std::string legacy_text(long n) {
  static const char* const kinds[] = {
      "alias eth%ld e1000",
      "options ne%ld io=0x300 irq=5",
      "add options ne%ld debug=1",
      "above snd-pcm%ld snd-timer",
      "below ide-cd%ld ide-core",
      "probeall scsi%ld aic7xxx sym53c8xx",
      "pre-install sound-slot-%ld /sbin/modprobe snd-pcm",
      "if -n %ld > 8",
      "  alias char-major-%ld agpgart",
      "else",
      "  alias block-major-%ld sr_mod",
      "endif",
      "if ! -k",
      "options -k lp%ld parport=auto",
      "endif",
      "# a comment line %ld",
      "alias net-pf-%ld \\",
      "   off",
      "frobnicate %ld",
      "add   probe x%ld a b c",
  };
  return numbered_lines(kinds, 20, n, [](long i) { return (i / 20) % 64; });
}

std::string modprobe_d_text(long n) {
  static const char* const kinds[] = {
      "alias pci:v%08ldd*sv*sd*bc*sc*i* e1000",
      "options snd-hda-intel%ld index=1 model=auto",
      "install foo%ld /sbin/modprobe --ignore-install foo && echo x",
      "remove foo%ld /bin/true",
      "blacklist pcspkr%ld",
      "softdep drm%ld pre: i2c-core post: fb",
      "weakdep a%ld b c",
      "# comment %ld",
      "bogus line %ld",
      "options\tx%ld\ta=1\tb=2",
  };
  return numbered_lines(kinds, 10, n, [](long i) { return i % 1000; });
}

double cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double best_ms(const std::function<void()>& f) {
  double best = 1e300;
  for (int r = 0; r < 5; ++r) {
    double t0 = cpu_ms();
    f();
    double ms = cpu_ms() - t0;
    if (ms < best) best = ms;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 500000;
  const std::string legacy = legacy_text(n);
  const std::string mpd = modprobe_d_text(n);
  static const std::map<std::string, std::string> no_env;
  std::size_t sink = 0;

  double read_ms = best_ms([&] {
    ConfigModel m;
    LegacyReadOptions o;
    o.version = "2.4.20";
    o.environment = &no_env;
    std::vector<ConfigError> errors;
    legacy_read_text(&m, legacy, "bench.conf", o, &errors);
    sink += errors.size() + m.aliases.size();
  });
  const auto lines = legacy_logical_lines(legacy);
  double line_ms = best_ms([&] {
    for (const auto& ll : lines) {
      auto l = parse_legacy_line(ll.text);
      int gen = -1;
      if (l) sink += static_cast<std::size_t>(classify_legacy_keyword(*l, &gen));
    }
  });
  double mpd_ms = best_ms([&] {
    ConfigModel m;
    std::vector<ConfigError> errors;
    parse_modprobe_d_text(&m, mpd, "bench.conf", &errors);
    sink += errors.size() + m.aliases.size();
  });
  std::printf("lines %ld\nlegacy_read_text %.1f ms\nlegacy line grammar %.1f ms\nmodprobe.d %.1f ms\n(%zu)\n", n,
              read_ms, line_ms, mpd_ms, sink);
  return 0;
}
