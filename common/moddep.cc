// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/moddep.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "common/elf_module.h"
#include "common/file_util.h"

namespace mng {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// A modules.dep of every module Debian ships is a few hundred KiB.
constexpr size_t kMaxDepText = size_t{256} << 20;

bool read_whole(const std::string& path, std::string* out, std::string* err) {
  return read_file(path, kMaxDepText, out, err);
}

// One logical line of a text modules.dep with the number of its first
// physical line.
struct RawLine {
  std::string text;
  unsigned line;
};

// Joins backslash-newline continuations and drops comments (a '#' at the
// start of a word, as in modutils' files) and blank lines.
std::vector<RawLine> logical_lines(std::string_view text) {
  std::vector<RawLine> out;
  std::string cur;
  unsigned lineno = 0, start = 0;
  bool continuing = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view phys = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    if (!continuing) {
      cur.clear();
      start = lineno;
    }
    // Comment: '#' at the start or after white space.
    for (size_t i = 0; i < phys.size(); ++i) {
      if (phys[i] == '#' && (i == 0 || is_space(phys[i - 1]))) {
        phys = phys.substr(0, i);
        break;
      }
    }
    while (!phys.empty() && (phys.back() == '\r' || phys.back() == ' ' || phys.back() == '\t')) phys.remove_suffix(1);
    if (!phys.empty() && phys.back() == '\\') {
      phys.remove_suffix(1);
      cur.append(phys);
      cur.push_back(' ');
      continuing = true;
      continue;
    }
    cur.append(phys);
    continuing = false;
    if (!trim(cur).empty()) out.push_back({std::move(cur), start});
    cur.clear();
  }
  if (continuing && !trim(cur).empty()) out.push_back({std::move(cur), start});
  return out;
}

}  // namespace

bool split_dep_line(std::string_view line, std::string_view* lhs, std::vector<std::string_view>* deps) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  *lhs = trim(line.substr(0, colon));
  if (lhs->empty()) return false;
  deps->clear();
  std::string_view rest = line.substr(colon + 1);
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && is_space(rest[i])) ++i;
    size_t j = i;
    while (j < rest.size() && !is_space(rest[j])) ++j;
    if (j > i) deps->push_back(rest.substr(i, j - i));
    i = j;
  }
  return true;
}

DepEntry ModDep::make_entry(std::string_view lhs, std::string_view rest) const {
  auto resolve = [&](std::string_view p) {
    if (!p.empty() && p.front() == '/') {
      // Written relative to the image root (depmod -b): put it back, once
      // ("/" or "ROOT/" count as "" and "ROOT").
      std::string_view root = src_.root;
      while (!root.empty() && root.back() == '/') root.remove_suffix(1);
      if (!root.empty() && !(p.starts_with(root) && p.size() > root.size() && p[root.size()] == '/'))
        return std::string(root) + std::string(p);
      return std::string(p);
    }
    return src_.moddir + "/" + std::string(p);
  };
  DepEntry e;
  e.name = modname_from_path(lhs);
  e.path = resolve(lhs);
  std::string_view l2;
  std::vector<std::string_view> deps;
  std::string line = std::string(lhs) + ":" + std::string(rest);
  if (split_dep_line(line, &l2, &deps))
    for (auto d : deps) e.deps.push_back(resolve(d));
  return e;
}

void ModDep::parse_text(std::string_view text, const std::string& name, const DepSource& src) {
  src_ = src;
  text_loaded_ = true;
  entries_.clear();
  by_name_.clear();
  struct Split {
    std::string text;
    size_t colon;
  };
  std::vector<Split> good;
  bool all_absolute = true;
  std::vector<std::string_view> deps;
  for (auto& l : logical_lines(text)) {
    std::string_view lhs;
    if (!split_dep_line(l.text, &lhs, &deps)) {
      problems_.push_back(name + ":" + std::to_string(l.line) + ": invalid dependency line (expected \"PATH: DEPENDENCIES\")");
      continue;
    }
    if (deps.size() > kMaxDependencies) {
      problems_.push_back(name + ":" + std::to_string(l.line) + ": more than " + std::to_string(kMaxDependencies) +
                          " dependencies (no module tree has that many modules): line ignored");
      continue;
    }
    if (lhs.front() != '/') all_absolute = false;
    size_t colon = l.text.find(':');
    good.push_back({std::move(l.text), colon});
  }
  layout_ = all_absolute && !good.empty() ? DepLayout::modutils : DepLayout::kmod;
  entries_.reserve(good.size());
  for (const auto& g : good) {
    std::string_view t = g.text;
    DepEntry e = make_entry(trim(t.substr(0, g.colon)), t.substr(g.colon + 1));
    by_name_[e.name].push_back(entries_.size());
    entries_.push_back(std::move(e));
  }
}

bool ModDep::open_text(const std::string& file, const DepSource& src, std::string* err) {
  std::string text;
  if (!read_whole(file, &text, err)) return false;
  file_ = file;
  text_file_ = file;
  bin_.reset();
  parse_text(text, file, src);
  return true;
}

bool ModDep::open_dir(const std::string& dir, std::string* err, const std::string& root) {
  src_ = {dir, root};
  text_file_ = dir + "/modules.dep";
  auto idx = std::make_shared<IndexFile>();
  std::string why;
  int e = 0;
  if (idx->open(dir + "/modules.dep.bin", &why, &e)) {
    bin_ = std::move(idx);
    file_ = dir + "/modules.dep.bin";
    text_loaded_ = false;
    return true;
  }
  if (e != ENOENT) {
    // A broken index is reported; the text file may still serve.
    problems_.push_back(why);
  }
  return open_text(text_file_, src_, err);
}

bool ModDep::ensure_text(std::string* err) const {
  if (text_loaded_) return true;
  std::string text;
  if (!read_whole(text_file_, &text, err)) return false;
  const_cast<ModDep*>(this)->parse_text(text, text_file_, src_);
  return true;
}

bool ModDep::lookup(std::string_view name, DepEntry* out, std::string* err) const {
  std::string key = normalize_modname(name);
  if (bin_) {
    IndexValue v;
    bool found = false;
    std::string why;
    if (!bin_->lookup(key, &v, &found, &why)) {
      if (err) *err = why;
      return false;
    }
    if (!found) return false;
    size_t colon = v.value.find(':');
    if (colon == std::string_view::npos) {
      if (err) *err = bin_->path() + ": bad value for " + key;
      return false;
    }
    *out = make_entry(trim(v.value.substr(0, colon)), v.value.substr(colon + 1));
    return true;
  }
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return false;
  *out = entries_[it->second.front()];
  return true;
}

std::vector<DepEntry> ModDep::lookup_all(std::string_view name) const {
  std::vector<DepEntry> out;
  if (bin_ && !file_exists(text_file_)) {
    DepEntry e;
    if (lookup(name, &e)) out.push_back(std::move(e));
    return out;
  }
  if (!ensure_text(nullptr)) return out;
  auto it = by_name_.find(normalize_modname(name));
  if (it != by_name_.end())
    for (size_t i : it->second) out.push_back(entries_[i]);
  return out;
}

bool ModDep::all(std::vector<DepEntry>* out, std::string* err) const {
  out->clear();
  if (bin_ && !file_exists(text_file_)) {
    std::vector<IndexEntry> dump;
    if (!bin_->dump(&dump, err)) return false;
    for (const auto& d : dump) {
      size_t colon = d.value.find(':');
      if (colon == std::string::npos) continue;
      std::string_view v = d.value;
      out->push_back(make_entry(trim(v.substr(0, colon)), v.substr(colon + 1)));
    }
    return true;
  }
  if (!ensure_text(err)) return false;
  *out = entries_;
  return true;
}

std::vector<DepEntry> ModDep::load_order(const DepEntry& e) const {
  std::vector<DepEntry> out;
  std::set<std::string> seen{e.path};
  // Depth-first, post-order over the listed dependencies taken in reverse
  // (the line lists the deepest last): a closure line written by kmod comes
  // out unchanged, a direct-only line of modutils gets its depth filled in.
  auto visit = [&](auto&& self, const std::string& path, int depth) -> void {
    if (!seen.insert(path).second) return;
    DepEntry d;
    std::string name = modname_from_path(path);
    bool found = false;
    // Pick the entry for exactly this file among those of its name.
    if (depth < 256) {
      DepEntry cand;
      if (lookup(name, &cand) && cand.path == path) {
        d = std::move(cand);
        found = true;
      } else {
        for (auto& c : lookup_all(name))
          if (c.path == path) {
            d = std::move(c);
            found = true;
            break;
          }
      }
    }
    if (!found) {
      d.name = name;
      d.path = path;
    }
    for (auto it = d.deps.rbegin(); it != d.deps.rend(); ++it) self(self, *it, depth + 1);
    out.push_back(std::move(d));
  };
  for (auto it = e.deps.rbegin(); it != e.deps.rend(); ++it) visit(visit, *it, 0);
  return out;
}

}  // namespace mng
