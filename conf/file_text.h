// Reading a whole configuration file into memory.
#pragma once
#include <cstddef>
#include <string>

namespace mng {

// Largest configuration file read; anything bigger (or an endless device
// such as /dev/zero named by mistake) is refused rather than exhausting
// memory.
inline constexpr std::size_t kMaxConfigFileSize = 64u << 20;

// false if `path` cannot be opened, is a directory, cannot be read, or is
// larger than kMaxConfigFileSize.
bool read_config_text(const std::string& path, std::string* out);

}  // namespace mng
