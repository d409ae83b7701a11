// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/depmod_config.h"

#include <regex.h>

#include <boost/spirit/home/x3.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "common/file_util.h"
#include "common/log.h"
#include "common/text_util.h"
#include "conf/config_dirs.h"
#include "conf/file_text.h"

namespace mng {
namespace {

namespace x3 = boost::spirit::x3;

enum class Command { search, override_, external, exclude, not_implemented };

struct CommandTable : x3::symbols<Command> {
  CommandTable() {
    add("search", Command::search)("override", Command::override_)(
        "external", Command::external)("exclude", Command::exclude)(
        "include", Command::not_implemented)("make_map_files", Command::not_implemented);
  }
};
const CommandTable command_table;

// Tokens: runs of anything but space and tab (kmod's strtok "\t ").
std::vector<std::string> split_tokens(const std::string& line) { return strtok_split_strings(line, " \t"); }

// The whole token must be a keyword: "searchx" is not "search".
bool lookup_command(const std::string& word, Command* cmd) {
  auto first = word.begin();
  return x3::parse(first, word.end(), command_table >> x3::eoi, *cmd);
}

void add_search_entry(DepmodConfig* cfg, std::string entry) {
  if (!cfg->has_search_line) {
    cfg->search.clear();  // drop the implicit "updates"
    cfg->has_search_line = true;
  }
  cfg->search.push_back(std::move(entry));
}

// Relative path with the file name cut at its first '.'; kmod compares
// overrides and search entries against this.
std::string_view strip_extension(std::string_view relpath) {
  size_t base = relpath.rfind('/');
  base = base == std::string_view::npos ? 0 : base + 1;
  size_t dot = relpath.find('.', base);
  return dot == std::string_view::npos ? relpath : relpath.substr(0, dot);
}

bool under_subdir(std::string_view rel_noext, std::string_view subdir) {
  return rel_noext.size() > subdir.size() && rel_noext[subdir.size()] == '/' &&
         rel_noext.substr(0, subdir.size()) == subdir;
}

bool inside_dir(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && path[dir.size()] == '/' && path.substr(0, dir.size()) == dir;
}

}  // namespace

// glibc's regcomp copies the subtree under "+" (a+ is aa*) and "{n,m}" (m
// copies), so stacked or nested repetitions multiply: "6+++...+" with 40
// pluses asks for 2^40 nodes.  Estimate the node count of the expanded
// tree without building it; real kernel version patterns come to a few
// dozen.  A repetition of something that already matches the empty
// string ("5**", "(5|)*", "5?*") costs regcomp's epsilon closures time
// that doubles with each one ("^" followed by 20 "5**" takes a second, 30
// take minutes), so few of those are allowed; real patterns have none.
namespace {

constexpr unsigned long long kCostLimit = 10000;
constexpr unsigned long long kNullableRepeats = 4;

unsigned long long capped_mul(unsigned long long a, unsigned long long b) {
  return a != 0 && b > kCostLimit * 16 / a ? kCostLimit * 16 : a * b;
}

// The estimate, one frame per open group.
struct PatternCost {
  struct Frame {
    unsigned long long sum = 0;        // nodes of this group so far
    unsigned long long last = 0;       // nodes of its last atom (what a repetition copies)
    unsigned long long reps = 0;       // repetitions of empty-matching items in the group
    unsigned long long last_reps = 0;  // those in its last atom
    bool has_last = false;             // an atom a repetition applies to
    bool last_empty = false;           // the last atom matches the empty string
    bool before_empty = true;          // the alternative before the last atom does
    bool alt_empty = false;            // an earlier alternative does
    bool empty() const { return alt_empty || (before_empty && (last_empty || !has_last)); }
  };
  std::vector<Frame> stack = std::vector<Frame>(1);

  void atom(unsigned long long n, bool empty = false, unsigned long long reps = 0) {
    Frame& f = stack.back();
    f.sum = std::min(f.sum + n, kCostLimit * 16);
    f.last = n;
    f.before_empty = f.before_empty && (f.last_empty || !f.has_last);
    f.has_last = true;
    f.last_empty = empty;
    f.reps = std::min(f.reps + reps, kCostLimit);
    f.last_reps = reps;
  }
  void repeat(unsigned long long copies, bool may_be_empty) {
    Frame& f = stack.back();
    unsigned long long grown = capped_mul(f.last, copies == 0 ? 1 : copies);
    f.sum = std::min(f.sum - f.last + grown, kCostLimit * 16);
    f.last = grown;
    if (!f.has_last) return;
    // Each copy of an atom that may match the empty string is one more
    // such repetition: "I?{9498,}" is 9499 of them (regcomp's time grows
    // with the cube of their number), not one.
    unsigned long long reps = std::min(capped_mul(f.last_reps + f.last_empty, copies == 0 ? 1 : copies), kCostLimit);
    f.reps = std::min(f.reps - f.last_reps + reps, kCostLimit);
    f.last_reps = reps;
    f.last_empty = f.last_empty || may_be_empty;
  }
  void close_group() {
    if (stack.size() < 2) return atom(1);  // an unmatched ')' is a literal
    Frame inner = stack.back();
    stack.pop_back();
    atom(inner.sum + 1, inner.empty(), inner.reps);
  }
  void alternative() {
    Frame& f = stack.back();
    f.alt_empty = f.empty();
    f.has_last = f.last_empty = false;
    f.before_empty = true;
    f.last = f.last_reps = 0;
  }
  bool too_much() const {
    unsigned long long total = 0, reps = 0;
    for (const Frame& f : stack) total += f.sum, reps += f.reps;
    return total > kCostLimit || reps > kNullableRepeats;
  }
};

// Where the bracket expression opened at I ends (its ']').
size_t bracket_end(std::string_view p, size_t i) {
  size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size() && p[j] == ']') ++j;  // a leading ']' is a member
  while (j < p.size() && p[j] != ']') {
    if (p[j] == '[' && j + 1 < p.size() && (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
      size_t close = p.find(std::string{p[j + 1], ']'}, j + 2);
      j = close == std::string_view::npos ? p.size() : close + 2;
    } else {
      ++j;
    }
  }
  return j;
}

// The interval "{lo}", "{lo,}" or "{lo,hi}" opened at I: its end ('}'),
// the copies regcomp makes and whether it allows none.  False when it is
// not an interval (a literal '{').
bool interval_at(std::string_view p, size_t i, size_t* end, unsigned long long* copies, bool* may_be_empty) {
  size_t j = i + 1;
  unsigned long long lo = 0, hi = 0;
  bool comma = false, digits = false;
  for (; j < p.size() && (std::isdigit(static_cast<unsigned char>(p[j])) || p[j] == ','); ++j) {
    if (p[j] == ',') {
      comma = true;
    } else {
      digits = true;
      unsigned long long& n = comma ? hi : lo;
      n = std::min(n * 10 + static_cast<unsigned>(p[j] - '0'), kCostLimit * 16);
    }
  }
  if (j >= p.size() || p[j] != '}' || !digits) return false;
  *end = j;
  *copies = comma ? (hi ? std::max(lo, hi) : lo + 1) : lo;
  *may_be_empty = lo == 0;
  return true;
}

}  // namespace

bool kver_pattern_too_complex(std::string_view p) {
  PatternCost cost;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    size_t end;
    unsigned long long copies;
    bool may_be_empty;
    if (c == '\\') {
      ++i;
      // Word anchors and back references may match the empty string.
      cost.atom(1, i < p.size() && std::strchr("bB<>`'123456789", p[i]) != nullptr && p[i] != '\0');
    } else if (c == '[') {
      i = bracket_end(p, i);
      cost.atom(1);
    } else if (c == '(') {
      cost.stack.emplace_back();
    } else if (c == ')') {
      cost.close_group();
    } else if (c == '|') {
      cost.alternative();
    } else if (c == '+') {
      cost.repeat(2, false);
    } else if (c == '*' || c == '?') {
      cost.repeat(1, true);
    } else if (c == '{' && interval_at(p, i, &end, &copies, &may_be_empty)) {
      cost.repeat(copies, may_be_empty);
      i = end;
    } else if (c != '^' && c != '$') {
      cost.atom(1);  // also a '{' that is no interval
    }
  }
  return p.size() > 4096 || cost.too_much();
}

namespace {
// The regex match itself; callers have refused too complex patterns.
bool kver_regex_matches(std::string_view kver_pattern, std::string_view kver) {
  if (kver_pattern == "*") return true;
  regex_t re;
  std::string pattern(kver_pattern);
  if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return false;
  std::string subject(kver);
  bool match = regexec(&re, subject.c_str(), 0, nullptr, 0) == 0;
  regfree(&re);
  return match;
}
}  // namespace

bool depmod_kver_matches(std::string_view kver_pattern, std::string_view kver) {
  return !kver_pattern_too_complex(kver_pattern) && kver_regex_matches(kver_pattern, kver);
}

void parse_depmod_config_text(std::string_view text, std::string_view filename,
                              std::string_view kver, DepmodConfig* cfg, Diagnostics* diags) {
  const std::string file(filename);
  unsigned linenum = 0;
  // Whether a line's kernel version pattern applies; says why when not.
  auto kver_applies = [&](const std::string& pattern, const char* what) {
    if (kver_pattern_too_complex(pattern)) {
      add_diagnostic(diags, Level::error, file, linenum, "kernel version pattern too complex, ignoring the line");
      return false;
    }
    if (!kver_regex_matches(pattern, kver)) {
      add_diagnostic(diags, Level::info, file, linenum, "%s did not match %s", what, pattern.c_str());
      return false;
    }
    return true;
  };
  for (const KmodLine& ll : kmod_logical_lines(text)) {
    linenum = ll.line;
    const std::string& line = ll.text;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> tok = split_tokens(line);
    if (tok.empty()) continue;
    const char* name = tok[0].c_str();
    Command cmd;
    bool ok = lookup_command(tok[0], &cmd);
    if (ok) {
      switch (cmd) {
        case Command::search:
          for (size_t i = 1; i < tok.size(); i++) add_search_entry(cfg, tok[i]);
          break;
        case Command::override_:
          if (tok.size() < 4) {
            ok = false;
          } else if (kver_applies(tok[2], "override kernel")) {
            cfg->overrides.push_back(DepmodOverride{tok[1], tok[3]});
          }
          break;
        case Command::external:
          if (tok.size() < 3) {
            ok = false;
          } else if (kver_applies(tok[1], "external directory")) {
            cfg->externals.push_back(tok[2]);
          }
          break;
        case Command::exclude:
          for (size_t i = 1; i < tok.size(); i++) cfg->excludes.push_back(tok[i]);
          break;
        case Command::not_implemented:
          add_diagnostic(diags, Level::info, file, linenum, "command %s not implemented yet", name);
          break;
      }
    }
    if (!ok) add_diagnostic(diags, Level::error, file, linenum, "ignoring bad line starting with '%s'", name);
  }
}

bool load_depmod_config(const std::vector<std::string>& paths, std::string_view kver,
                        DepmodConfig* out, std::string_view root, bool trusted_only, Diagnostics* diags) {
  bool all_read = true;
  for (const ConfigFile& f : list_config_files(paths, root, {}, {}, diags)) {
    // One reader for every configuration file: non-blocking (kmod 30 waits
    // on a FIFO), /dev/null read as empty (a masked name), size capped.
    std::string text, why;
    ConfigRead r = read_config_text(f.path, &text, trusted_only, &why);
    if (r == ConfigRead::untrusted) {
      add_diagnostic(diags, Level::error, f.path, 0, "%s", why.c_str());
      out->untrusted_files.push_back(f.path);
      all_read = false;
      continue;
    }
    if (r == ConfigRead::unreadable) {
      if (why.empty()) why = f.path + ": " + strerror(errno);
      add_diagnostic(diags, Level::error, f.path, 0, "file parse %s", why.c_str());
      all_read = false;
      continue;
    }
    parse_depmod_config_text(text, f.path, kver, out, diags);
  }
  return all_read;
}

bool is_higher_priority(const DepmodConfig& cfg, const ModuleCandidate& found,
                        const ModuleCandidate& kept) {
  std::string_view new_rel = strip_extension(found.relpath);
  std::string_view old_rel = strip_extension(kept.relpath);

  for (auto ov = cfg.overrides.rbegin(); ov != cfg.overrides.rend(); ++ov) {
    std::string target = ov->subdir + "/" + ov->modname;
    if (!new_rel.empty() && new_rel == target) return true;
    if (!old_rel.empty() && old_rel == target) return false;
  }

  // kmod keeps the search list newest-first and gives each entry its index
  // (the external entry one index per external dir, plus one); a higher
  // index wins, which makes the first-listed entry the strongest.  Walk our
  // config-ordered list backwards to reproduce the same numbers.
  int index = 0, builtin = -1, new_prio = -1, old_prio = -1;
  for (auto se = cfg.search.rbegin(); se != cfg.search.rend(); ++se, ++index) {
    if (*se == "built-in") {
      builtin = index;
    } else if (*se == "external") {
      for (auto ext = cfg.externals.rbegin(); ext != cfg.externals.rend(); ++ext, ++index) {
        if (inside_dir(found.path, *ext)) new_prio = index;
        if (inside_dir(kept.path, *ext)) old_prio = index;
      }
    } else if (under_subdir(new_rel, *se)) {
      new_prio = index;
    } else if (under_subdir(old_rel, *se)) {  // not tested when the newcomer matched
      old_prio = index;
    }
  }
  if (new_prio < 0) new_prio = builtin;
  if (old_prio < 0) old_prio = builtin;
  return new_prio > old_prio;
}

}  // namespace mng
