// SPDX-License-Identifier: GPL-2.0-or-later
// Grammars of the legacy modutils configuration language, as Boost.Spirit
// X3 rules (conf/legacy_parser.cc), and its keyword sets as x3::symbols.
// Works on one logical line from legacy_logical_lines().
//
// The line:
//   line     := ws* ["add" ws*] keyword (end | '=' ws* arg | sep ws* arg)
//   keyword  := run of bytes 0x21..0x7f other than '='
//   sep      := any other byte (space, control, or >= 0x80)
//   arg      := the rest of the line
// A line that is only ws* ["add" ws*] has nothing in it.  "add" is removed
// from ANY keyword starting with it ("addalias" is alias, "address=" is
// "ress="), as modutils does.  A keyword ended by '=' makes the line an
// assignment; "depfile = x" is therefore NOT an assignment.
//
// Words:
//   word     := ( quoted | non-space byte )+
//   quoted   := '"' ... '"' | "'" ... "'" | '`' ... '`'
// Inside a quoted part whitespace belongs to the word and a backslash
// escapes only the matching quote; an unclosed quote runs to the end.
// Quotes are kept in the word (meta-expansion removes them later).
//
// The condition of an if/elseif line (its arg):
//   expr       := ['!' word ws*] test
//   test       := "-k" any*                            autoclean
//               | "-f" word ws* file                   readable
//               | ["-n" word ws*] ws* (binary | single)
//   binary     := word ws* op ws* rest                 compare
//   single     := [word] ws* end                       truth
//   op         := ("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") &(ws | end)
//               | word                                 (an unknown op: false)
// As modutils: '!' skips the whole first word ("!x y" tests "y") and is
// not repeated ("! ! x" negates the test "! x"); "-k", "-f" and "-n" are
// matched as prefixes ("-kx" is -k); of `rest` and `file` only the first
// expanded word counts (conf/legacy_read.h has what the tests mean).
//
// Keyword sets (x3::symbols): the keywords that must not be assignments
// (keep include define elseif else endif prune alias options above below
// probe probeall and the six install/remove commands), the ones that must be
// (persistdir insmod_opt depfile and the seven *mapfile/generic_stringfile
// names; any keyword starting with "path"), "if" with or without '=', and
// the comparison operators.
//
// Cost of X3, measured when the hand parsers were replaced (g++ 12, the
// Makefile's flags, a shared 2-core machine).  Compile: CPU seconds
// (user+sys) of `g++ ... -c`, the least of 4-5 runs; an unchanged unit
// (depmod_config.cc) varied between 2.7 and 3.6 s over the same runs.
//                                  hand parsers   X3 rules
//   conf/legacy_parser.cc              2.1          4.4    (the rules live here)
//   conf/legacy_read.cc                5.0          3.2    (no X3 left in it)
//   conf/modprobe_d.cc                 4.2          4.3    (command symbols)
//   whole build                                    +0.6 s CPU
// Run time: CPU ms, best of 5, tests/conf_parse_bench.cc on 500,000
// generated lines (50,000 of them "if" lines):
//   legacy_read_text, whole reader     120          109
//   line rule + keyword symbols only   26.6         17.2
//   modprobe.d (parse_modprobe_d_text) 138          128
// Nothing here argues for keeping a hand parser.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mng {

struct LegacyLine {
  bool adding = false;      // "add" prefix seen
  bool assignment = false;  // keyword ended by '='
  std::string keyword;      // without "add"
  std::string arg;          // rest of the line, leading whitespace skipped
  std::string head;         // line text up to the end of the keyword (for messages)
};

// nullopt for a line with nothing in it (empty, or only "add").
std::optional<LegacyLine> parse_legacy_line(std::string_view text);

// Splits off the first word; returns {word, rest with leading whitespace skipped}.
std::pair<std::string, std::string> split_first_word(std::string_view text);
// All words of `text`.
std::vector<std::string> split_words(std::string_view text);

enum class LegacyKeyword {
  unknown,
  keep, path, include, define, if_, elseif, else_, endif, prune, persistdir, insmod_opt,
  gen_file,  // generic_stringfile=, pcimapfile=, ..., depfile=
  alias, options, above, below, probe, probeall,
  pre_install, install, post_install, pre_remove, remove, post_remove,
};
// Classifies a keyword with modutils' rules (which keywords need '=' and
// which must not have it; any keyword starting with "path" is a path).
// For gen_file, *gen_index receives the GenFile index.
LegacyKeyword classify_legacy_keyword(const LegacyLine& l, int* gen_index);

// Tag of a path keyword: "path[TAG]" gives TAG (may be empty), anything
// else ("path", "pathfoo", "path[x]y") gives "misc".
std::string legacy_path_tag(std::string_view keyword);

// The parsed condition of an if/elseif line; words are raw (unexpanded).
enum class LegacyCmp { unknown, eq, ne, lt, le, gt, ge };
struct LegacyCondition {
  enum class Test { autoclean, readable, compare, truth };
  bool negate = false;
  bool numeric = false;  // "-n": compare strtol() values
  Test test = Test::truth;
  std::string left;      // compare: the first word; truth: the word (may be empty); readable: the file text
  LegacyCmp op = LegacyCmp::unknown;
  std::string right;     // compare: the text after the operator
};
LegacyCondition parse_legacy_condition(std::string_view arg);

}  // namespace mng
