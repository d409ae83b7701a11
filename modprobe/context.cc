#include "modprobe/context.h"

#include <syslog.h>

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

namespace {

const char* level_word(Msg m) {
  switch (m) {
    case Msg::fatal: return "FATAL";
    case Msg::error: return "ERROR";
    case Msg::warning: return "WARNING";
    case Msg::notice: return "NOTICE";
    case Msg::info: return "INFO";
  }
  return "?";
}

int syslog_prio(Msg m) {
  switch (m) {
    case Msg::fatal: return LOG_CRIT;
    case Msg::error: return LOG_ERR;
    case Msg::warning: return LOG_WARNING;
    case Msg::notice: return LOG_NOTICE;
    case Msg::info: return LOG_INFO;
  }
  return LOG_ERR;
}

}  // namespace

void Context::message(Msg level, const std::string& text) const {
  if (static_cast<int>(level) > verbosity()) return;
  if (opts.syslog) {
    ::syslog(LOG_DAEMON | syslog_prio(level), "%s: %s", level_word(level), text.c_str());
    return;
  }
  if (!err) return;
  *err << "modprobe: " << level_word(level) << ": " << text;
  if (text.empty() || text.back() != '\n') *err << '\n';
  err->flush();
}

void Context::legacy_message(const std::string& text, bool even_if_quiet) const {
  if (opts.quiet && !even_if_quiet) return;
  if (opts.syslog) {
    ::syslog(LOG_DAEMON | LOG_ERR, "%s", text.c_str());
    return;
  }
  if (!err) return;
  *err << "modprobe: " << text << '\n';
  err->flush();
}

void Context::raw_error(const std::string& text) const {
  if (opts.quiet || !err) return;
  *err << text;
  if (text.empty() || text.back() != '\n') *err << '\n';
  err->flush();
}

void Context::set_moddir(const std::string& dir) {
  moddir = dir;
  alias_idx = LazyIndex(dir + "/modules.alias.bin");
  symbols_idx = LazyIndex(dir + "/modules.symbols.bin");
  builtin_idx = LazyIndex(dir + "/modules.builtin.bin");
  builtin_alias_idx = LazyIndex(dir + "/modules.builtin.alias.bin");
}

}  // namespace mng
