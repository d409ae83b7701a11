#include "common/log.h"

#include <cstdarg>
#include <cstdio>
#include <string>

namespace mng {
namespace {
const char* program = "modutils-ng";
int verbosity = static_cast<int>(Level::warning);
void (*sink_fn)(Level, std::string_view, void*) = nullptr;
void* sink_ctx = nullptr;

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
}  // namespace

void set_log_program(const char* name) { program = name; }
void set_log_verbosity(int max_level) { verbosity = max_level; }
int log_verbosity() { return verbosity; }
void set_log_sink(void (*sink)(Level, std::string_view, void*), void* ctx) {
  sink_fn = sink;
  sink_ctx = ctx;
}

void log(Level level, const char* fmt, ...) {
  if (static_cast<int>(level) > verbosity) return;
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::string text(buf, n < 0 ? 0 : (n >= static_cast<int>(sizeof buf) ? sizeof buf - 1 : n));
  if (text.empty() || text.back() != '\n') text += '\n';
  if (sink_fn) {
    sink_fn(level, text, sink_ctx);
    return;
  }
  std::string line = std::string(program) + ": " + level_name(level) + ": " + text;
  fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mng
