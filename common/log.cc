// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/log.h"

#include <atomic>

#include <syslog.h>

#include <cstdarg>
#include <string>

namespace mng {
namespace {

Logger& process_logger() {
  static Logger l;
  return l;
}

const char* level_name(Level l) {
  switch (l) {
    case Level::fatal: return "FATAL";
    case Level::error: return "ERROR";
    case Level::warning: return "WARNING";
    case Level::notice: return "NOTICE";
    case Level::info: return "INFO";
    case Level::debug: return "DEBUG";
  }
  return "?";
}

int syslog_priority(Level l) {
  switch (l) {
    case Level::fatal: return LOG_CRIT;
    case Level::error: return LOG_ERR;
    case Level::warning: return LOG_WARNING;
    case Level::notice: return LOG_NOTICE;
    case Level::info: return LOG_INFO;
    case Level::debug: return LOG_DEBUG;
  }
  return LOG_ERR;
}

constexpr size_t kMaxText = 4095;

// vsnprintf into a 4 KiB buffer: longer texts are cut to kMaxText bytes.
std::string format(const char* fmt, va_list ap) {
  char buf[kMaxText + 1];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  return std::string(buf, n < 0 ? 0 : (n >= static_cast<int>(sizeof buf) ? sizeof buf - 1 : n));
}

void end_line(std::string* s) {
  if (s->empty() || s->back() != '\n') *s += '\n';
}

}  // namespace

std::string Diagnostic::message() const {
  if (line == 0) return text;
  return file + ":" + std::to_string(line) + ": " + text;
}

void add_diagnostic(Diagnostics* out, Level level, std::string file, unsigned line, const char* fmt, ...) {
  if (out == nullptr) return;
  va_list ap;
  va_start(ap, fmt);
  std::string text = format(fmt, ap);
  va_end(ap);
  out->add(Diagnostic{level, std::move(file), line, std::move(text)});
}

void Logger::emit(Level level, int syslog_prio, std::string_view syslog_text, const std::string& line) const {
  if (syslog) {
    ::syslog(LOG_DAEMON | syslog_prio, "%.*s", static_cast<int>(syslog_text.size()), syslog_text.data());
    return;
  }
  if (stream) {
    *stream << line;
    stream->flush();
  } else if (file) {
    fwrite(line.data(), 1, line.size(), file);
  }
}

void Logger::message(Level level, std::string_view text) const {
  if (!wants(level)) return;
  std::string body(text);
  end_line(&body);
  if (sink) {
    sink(level, body, sink_ctx);
    return;
  }
  std::string tagged = std::string(level_name(level)) + ": " + std::string(text);
  emit(level, syslog_priority(level), tagged, program + ": " + level_name(level) + ": " + body);
}

void Logger::plain(std::string_view text, bool even_if_quiet) const {
  if (quiet && !even_if_quiet) return;
  std::string body = std::string(text) + '\n';
  if (sink) {
    sink(Level::error, body, sink_ctx);
    return;
  }
  emit(Level::error, LOG_ERR, text, program + ": " + body);
}

void Logger::raw(std::string_view text) const {
  if (quiet) return;
  std::string body(text);
  end_line(&body);
  if (sink) {
    sink(Level::warning, body, sink_ctx);
    return;
  }
  emit(Level::warning, LOG_WARNING, text, body);
}

void Logger::report(const Diagnostic& d) const {
  if (!wants(d.level)) return;
  std::string text = d.message();
  if (text.size() > kMaxText) text.resize(kMaxText);
  message(d.level, text);
}

Logger& logger() { return process_logger(); }

LoggerScope::LoggerScope(const Logger& l) : saved_(process_logger()) { process_logger() = l; }
LoggerScope::~LoggerScope() { process_logger() = saved_; }

void set_log_program(const char* name) { logger().program = name; }
void set_log_verbosity(int max_level) { logger().max_level = max_level; }
int log_verbosity() { return logger().max_level; }
void set_log_sink(Logger::Sink sink, void* ctx) {
  logger().sink = sink;
  logger().sink_ctx = ctx;
}

namespace {
std::atomic<size_t> problems{0};
}  // namespace

size_t problems_logged() { return problems.load(); }

void log(Level level, const char* fmt, ...) {
  if (level <= Level::warning) problems.fetch_add(1, std::memory_order_relaxed);
  const Logger& l = logger();
  if (!l.wants(level)) return;
  va_list ap;
  va_start(ap, fmt);
  std::string text = format(fmt, ap);
  va_end(ap);
  l.message(level, text);
}

}  // namespace mng
