// SPDX-License-Identifier: GPL-2.0-or-later
// Reading a whole configuration file into memory, and whether root may
// trust it.
#pragma once
#include <sys/stat.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

// Largest configuration file read; anything bigger (or an endless device
// such as /dev/zero named by mistake) is refused rather than exhausting
// memory.
inline constexpr std::size_t kMaxConfigFileSize = 64u << 20;

enum class ConfigRead { ok, unreadable, untrusted };

// Reads `path` into *out.  unreadable: it cannot be opened, is not a
// regular file or /dev/null (a directory, a FIFO, /dev/zero), cannot be
// read, or is larger than kMaxConfigFileSize; *why then says
// "PATH: reason", except for a file that cannot be opened (left empty).  With
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

// kmod's line joiner for modprobe.d and depmod.d files (its
// getline_wrapped): a backslash-newline pair joins the next physical line
// without adding anything; a backslash before any other byte is dropped and
// the byte kept; a backslash as the last byte of the text becomes a 0xFF
// byte (kmod stores the EOF value it read).  A logical line ends at its
// first NUL.  `line` is the number of the LAST physical line the logical
// line took, as kmod's messages give it.  Comments and blank lines are
// left to the caller.
struct KmodLine {
  std::string text;
  unsigned line = 0;
};
std::vector<KmodLine> kmod_logical_lines(std::string_view content);
// The same lines one at a time, without holding them all (a large file
// costs one line of memory, not a copy of itself).
void for_each_kmod_line(std::string_view content, const std::function<void(const KmodLine&)>& fn);

}  // namespace mng
