// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the depmod.d language (conf/depmod_config.h), then the
// duplicate-module priority rule over what was parsed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "conf/depmod_config.h"
#include "fuzz/fuzz_util.h"

// Known and reported: stacked repetition operators in a kernel version
// pattern make glibc's regcomp() grow exponentially (see
// depmod/hostile_config_test.cc).  Inputs able to trigger it are skipped so
// that runs keep finding new problems instead of that one.
bool regex_blowup(std::string_view text) {
  size_t plus = 0, brace = 0;
  for (char c : text) {
    plus += c == '+';
    brace += c == '{';
  }
  return plus + brace > 10 || brace > 2;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (regex_blowup(text)) return -1;
  mng::DepmodConfig cfg;
  mng::parse_depmod_config_text(text, "/etc/depmod.d/fuzz.conf", "6.1.0-56-amd64", &cfg);
  FUZZ_CHECK(!cfg.search.empty() || cfg.has_search_line);

  // Candidates built from what the configuration named, so overrides,
  // search entries and external dirs actually match something.
  std::string a = "/lib/modules/6.1.0-56-amd64/kernel/drivers/x.ko";
  std::string b = "/lib/modules/6.1.0-56-amd64/updates/x.ko.xz";
  mng::ModuleCandidate ka{a, std::string_view(a).substr(31)}, kb{b, std::string_view(b).substr(31)};
  (void)mng::is_higher_priority(cfg, ka, kb);
  (void)mng::is_higher_priority(cfg, kb, ka);
  for (const auto& s : cfg.search) {
    std::string p = "/lib/modules/v/" + s + "/" + (cfg.overrides.empty() ? "m" : cfg.overrides.back().modname) + ".ko";
    mng::ModuleCandidate c{p, std::string_view(p).substr(15)};
    (void)mng::is_higher_priority(cfg, c, ka);
    (void)mng::is_higher_priority(cfg, ka, c);
  }
  for (const auto& e : cfg.externals) {
    std::string p = e + "/m.ko";
    mng::ModuleCandidate c{p, {}};
    (void)mng::is_higher_priority(cfg, c, kb);
    (void)mng::is_higher_priority(cfg, kb, c);
  }
  return 0;
}
