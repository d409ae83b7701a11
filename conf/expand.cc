// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/expand.h"

#include <glob.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "common/file_util.h"
#include "common/text_util.h"

namespace mng {
namespace {

constexpr const char* kShellMeta = "&();|<>$`\"'\\!{}[]~=+:?*";

bool has_any(std::string_view s, const char* set) {
  return s.find_first_of(set) != std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Step 1: `uname -r` and `kernelversion`.
std::string substitute_builtins(std::string_view text, std::string_view version) {
  std::string s(text);
  std::size_t p = s.find('`');
  while (p != std::string::npos) {
    std::size_t q = p + 1;
    while (q < s.size() && is_space(s[q])) ++q;
    std::string replacement;
    if (s.compare(q, 8, "uname -r") == 0) replacement = std::string(version);
    else if (s.compare(q, 13, "kernelversion") == 0) replacement = kernelversion_of(version);
    else break;
    std::size_t close = s.find('`', q);
    if (close == std::string::npos) break;  // unclosed: left for step 6 to reject
    s.replace(p, close - p + 1, replacement);
    p = s.find('`', p + replacement.size());
  }
  return s;
}

// Step 2: strtok(" \t\n").
std::vector<std::string> split_plain(std::string_view s) { return strtok_split_strings(s, " \t\n"); }

// modutils split_line: whitespace-separated words; a '"' or '\'' opens a
// quoted part (a backslash before the matching quote keeps both); with
// strip_quotes the quotes and any backslash outside quotes are dropped.
std::vector<std::string> split_line(std::string_view s, bool strip_quotes) {
  std::vector<std::string> out;
  std::size_t e = 0;
  while (e < s.size()) {
    while (e < s.size() && is_space(s[e])) ++e;
    std::string word;
    for (; e < s.size() && !is_space(s[e]); ++e) {
      char c = s[e];
      if (c == '\\') {
        if (!strip_quotes) word += c;
      } else if (c == '"' || c == '\'') {
        if (!strip_quotes) word += c;
        for (++e; e < s.size() && s[e] != c; ++e) {
          word += s[e];
          if (s[e] == '\\' && e + 1 < s.size() && s[e + 1] == c) word += s[++e];
        }
        if (e >= s.size()) break;  // unclosed quote: the word ends with the text
        if (!strip_quotes) word += c;
      } else {
        word += c;
      }
    }
    if (!word.empty()) out.push_back(std::move(word));
  }
  return out;
}

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string lookup_variable(const std::string& name, const ExpandEnv& env) {
  if (env.defines) {
    for (auto it = env.defines->rbegin(); it != env.defines->rend(); ++it)
      if (it->first == name) return it->second;
  }
  return env_value(name, env.environment).value_or(std::string());
}

// Step 6: what `/bin/echo "TEXT"` printed, computed without a shell.  Inside
// those double quotes only $ and ` were special (modutils escaped " and \).
bool shell_echo(std::string_view s, const ExpandEnv& env, std::string* out, std::string* error) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '`') {
      std::size_t close = s.find('`', i + 1);
      std::string_view cmd = s.substr(i, close == std::string_view::npos ? std::string_view::npos : close - i + 1);
      *error = "unsupported shell command " + std::string(cmd) + " (not executed)";
      return false;
    }
    if (c != '$' || i + 1 >= s.size()) {
      *out += c;
      continue;
    }
    char n = s[i + 1];
    if (is_name_start(n)) {
      std::size_t j = i + 1;
      while (j < s.size() && is_name_char(s[j])) ++j;
      *out += lookup_variable(std::string(s.substr(i + 1, j - i - 1)), env);
      i = j - 1;
    } else if (n == '{') {
      std::size_t close = s.find('}', i + 2);
      std::string_view inner = s.substr(i + 2, close == std::string_view::npos ? std::string_view::npos : close - i - 2);
      bool simple = close != std::string_view::npos && !inner.empty() && is_name_start(inner[0]);
      for (char ch : inner) simple = simple && is_name_char(ch);
      if (!simple) {
        *error = "unsupported shell expansion ${" + std::string(inner) + (close == std::string_view::npos ? "" : "}") +
                 " (not executed)";
        return false;
      }
      *out += lookup_variable(std::string(inner), env);
      i = close;
    } else if (n == '(') {
      *error = "unsupported shell command substitution $(...) (not executed)";
      return false;
    } else if (std::isdigit(static_cast<unsigned char>(n)) || std::strchr("?$#*@-!", n)) {
      *error = std::string("unsupported shell special parameter $") + n;
      return false;
    } else {
      *out += c;  // a lone '$' stays literal, as in the shell
    }
  }
  return true;
}

void glob_word(const std::string& pattern, std::vector<std::string>* out) {
  glob_t g;
  std::memset(&g, 0, sizeof g);
  int rc = glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g);
  // Like modutils, a result that still holds meta characters is not trusted.
  if (rc == 0 && g.gl_pathc > 0 && std::strpbrk(g.gl_pathv[0], kShellMeta) == nullptr) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out->emplace_back(g.gl_pathv[i]);
  } else {
    out->push_back(pattern);  // no match: the word stays as written
  }
  globfree(&g);
}

}  // namespace

std::string kernelversion_of(std::string_view release) {
  std::size_t first = release.find('.');
  if (first == std::string_view::npos) return std::string(release);
  std::size_t second = release.find('.', first + 1);
  return std::string(release.substr(0, second));
}

ExpandResult meta_expand(std::string_view text, const ExpandEnv& env, std::string_view root) {
  ExpandResult r;
  std::string s = substitute_builtins(text, env.version);
  auto rooted = [&](std::vector<std::string> words) {
    if (!root.empty())
      for (auto& w : words) w.insert(0, root);
    return words;
  };

  if (!has_any(s, kShellMeta)) {
    r.words = rooted(split_plain(s));
    return r;
  }
  if (!has_any(s, "&();|<>$`!{}[]~=+:?*")) {  // only quotes
    r.words = rooted(split_line(s, true));
    return r;
  }
  if (!has_any(s, "&();|<>$`\"'\\!{}~+:[]?*")) {  // only '='
    r.words = rooted(split_line(s, false));
    return r;
  }
  if (!has_any(s, "&();|<>$`\"'\\!{}~=+:")) {  // only glob characters
    for (const auto& w : split_plain(s)) glob_word(std::string(root) + w, &r.words);
    return r;
  }
  std::string echoed;
  if (!shell_echo(s, env, &echoed, &r.error)) return r;
  r.words = rooted(split_line(echoed, true));
  return r;
}

}  // namespace mng
