// Messages in kmod's style: "<program>: <LEVEL>: <text>" on stderr.
#pragma once
#include <string_view>

namespace mng {

enum class Level { fatal = 2, error = 3, warning = 4, notice = 5, info = 6, debug = 7 };

void set_log_program(const char* name);  // "depmod", "modprobe"
void set_log_verbosity(int max_level);   // messages above this level are dropped
int log_verbosity();
// Catches what was printed, for tests; nullptr restores stderr.
void set_log_sink(void (*sink)(Level, std::string_view text, void* ctx), void* ctx);

// printf-style; a trailing newline is added when the format has none.
void log(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace mng
