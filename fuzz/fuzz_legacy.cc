// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: the legacy modutils language (conf.modules/modules.conf):
// line joining, the line grammar, meta-expansion and the reader with its
// conditionals, then `modprobe -c` printing of the model.
//
// The reader may touch the file system (include FILE, glob(3) on values,
// "if -f FILE"); to keep runs fast and repeatable the harness works in an
// empty directory and skips inputs that would include files or glob
// outside it.  Those paths are covered by the conf unit tests.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"
#include "conf/legacy_lexer.h"
#include "conf/legacy_parser.h"
#include "conf/legacy_read.h"
#include "conf/show_config.h"
#include "fuzz/fuzz_util.h"

namespace {
// An include, or a value that globs across directories.
bool touches_outside(std::string_view text) {
  for (const auto& l : mng::legacy_logical_lines(text)) {
    auto p = mng::parse_legacy_line(l.text);
    if (!p) continue;
    int gen = -1;
    if (mng::classify_legacy_keyword(*p, &gen) == mng::LegacyKeyword::include) return true;
    if (p->arg.find_first_of("*?[") != std::string::npos && p->arg.find('/') != std::string::npos) return true;
  }
  return false;
}

void enter_empty_dir() {
  static bool done = false;
  if (done) return;
  done = true;
  char tmpl[] = "/tmp/mng-fuzz-legacy-XXXXXX";
  if (mkdtemp(tmpl) == nullptr || chdir(tmpl) != 0) std::abort();
  // Removed at once: relative names then find nothing, and nothing is left behind.
  rmdir(tmpl);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  enter_empty_dir();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (touches_outside(text)) return -1;  // not worth keeping in the corpus

  // The grammar on its own, line by line.
  for (const auto& l : mng::legacy_logical_lines(text)) {
    FUZZ_CHECK(l.line >= 1);
    if (auto p = mng::parse_legacy_line(l.text)) {
      int gen = -1;
      (void)mng::classify_legacy_keyword(*p, &gen);
      (void)mng::legacy_path_tag(p->keyword);
      (void)mng::split_words(p->arg);
      (void)mng::split_first_word(p->arg);
      auto c = mng::parse_legacy_condition(p->arg);  // as if the line were an "if"
      FUZZ_CHECK(c.test != mng::LegacyCondition::Test::compare || !c.left.empty());
    }
  }

  // The whole reader with a fixed, empty environment.
  static const std::map<std::string, std::string> env;
  mng::LegacyReadOptions o;
  o.version = "2.4.27";
  o.environment = &env;
  mng::ConfigModel m;
  std::vector<mng::ConfigError> errors;
  mng::legacy_begin(&m, o);
  (void)mng::legacy_read_text(&m, text, "/etc/modules.conf", o, &errors);
  mng::legacy_finish(&m, o, &errors);
  for (const auto& e : errors) FUZZ_CHECK(!e.message.empty());
  (void)mng::show_config_string(m);
  return 0;
}
