// Reading a whole configuration file into memory, and whether root may
// trust it.
#pragma once
#include <sys/stat.h>

#include <cstddef>
#include <string>

namespace mng {

// Largest configuration file read; anything bigger (or an endless device
// such as /dev/zero named by mistake) is refused rather than exhausting
// memory.
inline constexpr std::size_t kMaxConfigFileSize = 64u << 20;

enum class ConfigRead { ok, unreadable, untrusted };

// Reads `path` into *out.  unreadable: it cannot be opened, is a directory,
// cannot be read, or is larger than kMaxConfigFileSize.  With
// `trusted_only` (the tools set it when running as root), a file that
// config_file_distrust() objects to is not read: untrusted, and *why says
// "PATH is writable by everyone: refusing to read it as root
// (--allow-unsafe-config overrides)".  Checked on the opened file, so a
// rename in between cannot swap it.
ConfigRead read_config_text(const std::string& path, std::string* out, bool trusted_only = false,
                            std::string* why = nullptr);

// Why root should not act on a file with this status, or "" if it may: the
// configuration can run commands and choose what is loaded, so any user
// but root being able to change it would hand them root.  Objects to an
// owner other than root, write permission for everyone, and write
// permission for a group other than root's.  A character device root owns
// (-C /dev/null) is trusted: writing to it does not change what is read.
std::string config_file_distrust(const struct stat& st);

// The refusal message for `path` (see read_config_text).
std::string untrusted_config_message(const std::string& path, const std::string& distrust);

}  // namespace mng
