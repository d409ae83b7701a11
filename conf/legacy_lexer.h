// SPDX-License-Identifier: GPL-2.0-or-later
// Physical-to-logical line joining of the legacy modutils configuration
// files (modutils 2.4 fgets_strip), done byte for byte:
//
// - Trailing whitespace (isspace: space \t \n \v \f \r) is stripped.
// - The FIRST '#' anywhere, even inside quotes, starts a comment; it and
//   what follows are dropped and trailing whitespace stripped again.
//   Comments go before continuation: "alias eth0 \   # x" continues.
// - A line ending in '\' whose previous character is not '\' continues: the
//   '\' is removed and the next physical line appended.  The appended
//   line's leading whitespace becomes exactly ONE space if it had any, and
//   nothing if it had none ("a=1\" + "b=2" gives "a=1b=2").
// - A line ending in "\\" loses one '\' and does not continue.
// - Line numbers count physical lines; a logical line reports the number of
//   its last physical line (what modutils prints).
// - A physical line ends at its first NUL byte (fgets + strlen).
// Unlike modutils there is no 3000-byte line limit.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mng {

struct LogicalLine {
  std::string text;   // joined, comment-free, trailing whitespace stripped
  unsigned line = 0;  // last physical line (1-based)
};

std::vector<LogicalLine> legacy_logical_lines(std::string_view content);

}  // namespace mng
