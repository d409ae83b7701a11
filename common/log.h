// SPDX-License-Identifier: GPL-2.0-or-later
// The one message path of both tools.
//
// The libraries (common/, conf/) never print: what they find goes into a
// Diagnostics collector their caller hands them.  The tool owns a Logger and
// prints through it, in kmod's style:
//   "<program>: <LEVEL>: <text>"   message(): kmod's tools and libkmod
//   "<program>: <text>"            plain(): modutils' error() lines
//   "<text>"                       raw(): texts that carry their own layout
// A Logger knows the program name ("depmod", "modprobe"), the verbosity
// (messages above max_level are dropped), quiet mode (-q: nothing at all,
// except plain() lines asked for even then) and whether messages go to
// syslog (-s) or to a stream.
#pragma once
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

// syslog's numbers: lower is more severe.
enum class Level { fatal = 2, error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

// One thing a library has to say.  When `line` is not 0 the message is
// "<file>:<line>: <text>"; otherwise `text` is the whole message (kmod puts
// the file name in different places) and `file` only says what it is about.
struct Diagnostic {
  Level level = Level::error;
  std::string file;
  unsigned line = 0;
  std::string text;  // no program prefix, no trailing newline

  std::string message() const;
};

// Where a library puts its diagnostics.  Functions take a `Diagnostics*`;
// nullptr drops them.
class Diagnostics {
 public:
  virtual ~Diagnostics() = default;
  virtual void add(Diagnostic d) = 0;
};

// printf-style: adds {level, file, line, text} to `out` (unless nullptr).
void add_diagnostic(Diagnostics* out, Level level, std::string file, unsigned line, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

// Keeps every diagnostic, in order (tests, callers that print later).
class DiagnosticList : public Diagnostics {
 public:
  std::vector<Diagnostic> items;
  void add(Diagnostic d) override { items.push_back(std::move(d)); }
};

class Logger {
 public:
  // Test hook: receives each text that passes the filters (with its
  // trailing newline, without the prefix) instead of the output.
  using Sink = void (*)(Level, std::string_view text, void* ctx);

  std::string program = "modutils-ng";
  int max_level = static_cast<int>(Level::warning);
  bool quiet = false;
  bool syslog = false;               // LOG_DAEMON, at the message's level
  std::ostream* stream = nullptr;    // when set, output goes here ...
  std::FILE* file = stderr;          // ... else here; neither: dropped
  Sink sink = nullptr;
  void* sink_ctx = nullptr;

  bool wants(Level level) const { return !quiet && static_cast<int>(level) <= max_level; }
  // "<program>: LEVEL: text"; a newline is added when text has none.
  void message(Level level, std::string_view text) const;
  // "<program>: text" and a newline, unless quiet (or even then).
  void plain(std::string_view text, bool even_if_quiet = false) const;
  // text as it is (a newline added when it has none), unless quiet.
  void raw(std::string_view text) const;
  // message(d.level, d.message()), cut at 4095 bytes as log() cuts.
  void report(const Diagnostic& d) const;

 private:
  void emit(Level level, int syslog_prio, std::string_view syslog_text, const std::string& line) const;
};

// The process's logger, the one log() writes to.  The tool configures it
// (depmod's main) or installs its own for a while (LoggerScope).
Logger& logger();

// Makes `l` the process's logger until the end of the scope.
class LoggerScope {
 public:
  explicit LoggerScope(const Logger& l);
  ~LoggerScope();
  LoggerScope(const LoggerScope&) = delete;
  LoggerScope& operator=(const LoggerScope&) = delete;

 private:
  Logger saved_;
};

// Hands each diagnostic to a logger as soon as it arrives.
class LogDiagnostics : public Diagnostics {
 public:
  explicit LogDiagnostics(const Logger& l = logger()) : logger_(l) {}
  void add(Diagnostic d) override { logger_.report(d); }

 private:
  const Logger& logger_;
};

// Shorthands on logger().
void set_log_program(const char* name);  // "depmod", "modprobe"
void set_log_verbosity(int max_level);   // messages above this level are dropped
int log_verbosity();
// Catches what was printed, for tests; nullptr restores the output.
void set_log_sink(Logger::Sink sink, void* ctx);

// How many warnings and errors log() was given so far (shown or not).
size_t problems_logged();

// printf-style message on logger(); a trailing newline is added when the
// format has none.
void log(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace mng
