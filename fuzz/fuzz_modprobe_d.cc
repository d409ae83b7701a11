// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the modprobe.d language (conf/modprobe_d.h) and the kernel
// command line parser (conf/kcmdline.h) on the same bytes, then
// `modprobe -c` printing of the resulting model.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"
#include "conf/kcmdline.h"
#include "conf/modprobe_d.h"
#include "conf/show_config.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  mng::ConfigModel m;
  std::vector<mng::ConfigError> errors;
  mng::parse_modprobe_d_text(&m, text, "/etc/modprobe.d/fuzz.conf", &errors);
  for (const auto& e : errors) FUZZ_CHECK(!e.message.empty());
  (void)mng::show_config_string(m);

  // Every logical line's first word through normalize_alias().
  for (const auto& l : mng::kmod_logical_lines(text)) {
    std::string_view w = l.text;
    size_t sp = w.find_first_of(" \t");
    (void)mng::normalize_alias(w.substr(0, sp));
  }

  mng::ConfigModel k;
  errors.clear();
  mng::parse_kernel_cmdline(&k, text, &errors);
  (void)mng::show_config_string(k);
  return 0;
}
