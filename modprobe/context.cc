// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/context.h"

#include <cerrno>

namespace mng {

const IndexFile* LazyIndex::get(std::string* err) {
  if (!tried_) {
    tried_ = true;
    int e = 0;
    if (!file_.open(path_, &error_, &e) && e == ENOENT) error_.clear();
  }
  if (!file_.is_open()) {
    if (err && !error_.empty()) {
      *err = error_;
      error_.clear();  // reported once
    }
    return nullptr;
  }
  return &file_;
}

int Context::verbosity() const {
  if (opts.quiet) return 0;
  return static_cast<int>(Msg::warning) + opts.verbose;
}

Logger Context::logger() const {
  Logger l;
  l.program = program;
  l.max_level = verbosity();
  l.quiet = opts.quiet;
  l.syslog = opts.syslog;
  l.stream = err;
  l.file = nullptr;
  return l;
}

void Context::message(Msg level, const std::string& text) const {
  logger().message(level, text);
}

void Context::legacy_message(const std::string& text, bool even_if_quiet) const {
  logger().plain(text, even_if_quiet);
}

void Context::raw_error(const std::string& text) const { logger().raw(text); }

void Context::set_moddir(const std::string& dir) {
  moddir = dir;
  alias_idx = LazyIndex(dir + "/modules.alias.bin");
  symbols_idx = LazyIndex(dir + "/modules.symbols.bin");
  builtin_idx = LazyIndex(dir + "/modules.builtin.bin");
  builtin_alias_idx = LazyIndex(dir + "/modules.builtin.alias.bin");
}

}  // namespace mng
