// Line grammar of the legacy modutils configuration language (Boost.Spirit
// X3).  Works on one logical line from legacy_logical_lines().
//
//   line     := ws* ["add" ws*] keyword (end | '=' ws* arg | sep ws* arg)
//   keyword  := run of bytes 0x21..0x7f other than '='
//   sep      := any other byte (space, control, or >= 0x80)
// "add" is removed from ANY keyword starting with it ("addalias" is alias,
// "address=" is "ress="), as modutils does.  A keyword ended by '=' makes
// the line an assignment; "depfile = x" is therefore NOT an assignment.
//
//   word     := ( quoted | non-space byte )+
//   quoted   := '"' ... '"' | "'" ... "'" | '`' ... '`'
// Inside a quoted part whitespace belongs to the word and a backslash
// escapes only the matching quote; an unclosed quote runs to the end.
// Quotes are kept in the word (meta-expansion removes them later).
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

}  // namespace mng
