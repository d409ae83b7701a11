// SPDX-License-Identifier: GPL-2.0-or-later
// Meta-expansion of legacy configuration values (modutils meta_expand),
// done entirely in-process: NO shell is ever started.
//
// Steps, as modutils 2.4 does them:
//  1. Built-in commands: every `uname -r` becomes the kernel version and
//     every `kernelversion` the version cut before its second '.'
//     ("2.4.20-8smp" -> "2.4").  Spaces after the opening backquote are
//     allowed and the match is a prefix match (`uname -rX` counts).  The
//     first backquote that starts neither stops this step.
//  2. No shell meta character (&();|<>$`"'\!{}[]~=+:?*) left: split on
//     space/tab/newline.
//  3. Only quote characters (" ' \) besides plain text: split, removing one
//     level of quotes (whitespace inside quotes stays in the word).
//  4. Only '=' (typical options): split on whitespace.
//  5. Only glob characters ([ ] ~ ? *): each word is expanded with glob(3)
//     and GLOB_NOSORT (readdir order, NOT sorted); a word matching nothing
//     stays as written.
//  6. Anything else went through "/bin/echo \"TEXT\"" in modutils.  Here the
//     same result is computed internally: $NAME and ${NAME} are replaced by
//     the value from `define` (latest wins) or else the environment (empty
//     if unset); every other backquoted command, $(...), $((...)), ${...}
//     with operators and special parameters ($1 $? $$ ...) are reported as
//     unsupported and NOT executed.  The result is split removing one level
//     of quotes.
// Deviations, chosen for safety or sanity: no shell; globbing is per word
// (modutils globbed the whole value as one pattern); with a root, every
// resulting word is prefixed (modutils prefixed only the start of the
// value, and not at all on the glob path).
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mng {

struct ExpandEnv {
  std::string_view version;  // what `uname -r` gives
  // `define` values, in definition order (the last one of a name wins).
  const std::vector<std::pair<std::string, std::string>>* defines = nullptr;
  // Environment for $NAME; nullptr = the process environment.
  const std::map<std::string, std::string>* environment = nullptr;
};

struct ExpandResult {
  std::vector<std::string> words;
  std::string error;  // non-empty: an unsupported construct (nothing was run)
  bool ok() const { return error.empty(); }
};

// `root` (may be empty) is prefixed to every word: used for path= and the
// generated file names, the values depmod -b / modprobe -d relocate.
ExpandResult meta_expand(std::string_view text, const ExpandEnv& env, std::string_view root = "");

// "2.4.20-8smp" -> "2.4"; a version with fewer than two dots is returned whole.
std::string kernelversion_of(std::string_view release);

}  // namespace mng
