// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/legacy_walk.h"

#include <dirent.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include "common/file_util.h"
#include "conf/legacy_defaults.h"

namespace mng {

namespace {

bool is_type_name(std::string_view n) {
  for (auto t : legacy_path_types())
    if (t == n) return true;
  return false;
}

// A path[] directory as modutils walks it: resolved only when the entry
// itself is a symbolic link, so a directory reached through a symlinked
// parent (/lib -> usr/lib) keeps the name the configuration gives it.
std::string walk_root(const std::string& dir) {
  struct stat st;
  if (::lstat(dir.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) return real_path(dir);
  return dir;
}

struct Walker {
  const std::vector<std::string>& prune;
  std::set<std::string> seen;
  std::vector<WalkedFile>* out;
  std::string tag;

  // `top` is the path[] directory itself: only there is the type 1 rule
  // (prune list, type directories first) applied; everything below comes
  // in strcmp order, subdirectories walked where they stand, nothing pruned.
  void walk(const std::string& dir, int depth, bool top) {
    if (depth > 64) return;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n == "." || n == "..") continue;
      names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());

    struct Entry {
      std::string name, path;
      bool dir, link;
    };
    std::vector<Entry> entries;
    bool type1 = false;
    for (const auto& n : names) {
      std::string p = dir + "/" + n;
      struct stat st;
      if (::lstat(p.c_str(), &st) != 0) continue;
      bool is_dir = S_ISDIR(st.st_mode);
      bool link = S_ISLNK(st.st_mode);
      if (link) {
        struct stat tst;
        if (::stat(p.c_str(), &tst) != 0) continue;  // dangling
        if (S_ISDIR(tst.st_mode)) continue;           // not followed
        if (!S_ISREG(tst.st_mode)) continue;
      } else if (!is_dir && !S_ISREG(st.st_mode)) {
        continue;
      }
      if (top && is_dir && is_type_name(n)) type1 = true;
      entries.push_back({n, p, is_dir, link});
    }
    if (dir.ends_with("/kernel")) type1 = false;

    auto file = [&](const Entry& e) {
      if (!is_module_file_name(e.name)) return;
      // A symlinked file is listed by its real path.
      std::string listed = e.link ? real_path(e.path) : e.path;
      if (seen.insert(listed).second) out->push_back({listed, tag});
    };
    if (!type1) {
      for (const auto& e : entries) {
        if (e.dir) walk(e.path, depth + 1, false);
        else file(e);
      }
      return;
    }
    auto pruned = [&](const std::string& n) { return std::find(prune.begin(), prune.end(), n) != prune.end(); };
    for (const auto& e : entries)
      if (e.dir && is_type_name(e.name) && !pruned(e.name)) walk(e.path, depth + 1, false);
    for (const auto& e : entries)
      if (e.dir && !is_type_name(e.name) && !pruned(e.name)) walk(e.path, depth + 1, false);
    for (const auto& e : entries)
      if (!e.dir && !pruned(e.name)) file(e);
  }
};

}  // namespace

bool is_module_file_name(std::string_view n) {
  for (auto suf : {".o", ".o.gz", ".mod", ".ko", ".ko.gz", ".ko.xz", ".ko.zst"})
    if (n.ends_with(suf) && n.size() > std::string_view(suf).size()) return true;
  return false;
}

std::string module_stem(std::string_view path) {
  std::string_view b = base_name(path);
  for (auto suf : {".ko.gz", ".ko.xz", ".ko.zst", ".ko", ".o.gz", ".o", ".mod"})
    if (b.ends_with(suf)) return std::string(b.substr(0, b.size() - std::string_view(suf).size()));
  return std::string(b);
}

std::vector<WalkedFile> walk_module_paths(const std::vector<SearchPath>& paths, const std::vector<std::string>& prune) {
  std::vector<WalkedFile> out;
  Walker w{prune, {}, &out, ""};
  for (const auto& p : paths) {
    struct stat st;
    if (::stat(p.dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    w.tag = p.tag;
    w.walk(walk_root(p.dir), 0, true);
  }
  return out;
}

bool file_has_tag(const WalkedFile& f, const std::string& tag, const std::vector<SearchPath>& paths,
                  const std::string& root) {
  if (f.tag == tag) return true;
  for (const auto& p : paths) {
    if (p.tag != tag) continue;
    std::string d = walk_root(p.dir);
    if (f.path.size() > d.size() && f.path.starts_with(d) && f.path[d.size()] == '/') return true;
  }
  std::string_view rel = f.path;
  if (!root.empty() && rel.substr(0, root.size()) == root) rel.remove_prefix(root.size());
  return rel.find("/" + tag + "/") != std::string_view::npos;
}

std::vector<WalkedFile> match_operand(const std::vector<WalkedFile>& files, const std::string& pattern) {
  std::vector<WalkedFile> out;
  if (pattern.find('/') != std::string::npos) {
    std::string real = real_path(pattern);
    for (const auto& f : files)
      if (f.path == pattern || real_path(f.path) == real) out.push_back(f);
    if (out.empty()) {
      struct stat st;
      if (::stat(pattern.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.push_back({real, ""});
    }
    return out;
  }
  auto strip_comp = [](std::string_view b) {
    for (auto suf : {".gz", ".xz", ".zst"})
      if (b.ends_with(suf)) return std::string(b.substr(0, b.size() - std::string_view(suf).size()));
    return std::string(b);
  };
  // modutils' order of attempts, with the 2.6 name added.
  const std::string tries[] = {pattern + ".o", pattern + ".o.gz", pattern + ".ko", pattern};
  for (int i = 0; i < 4; ++i) {
    for (const auto& f : files) {
      std::string b(base_name(f.path));
      std::string subject = i == 2 ? strip_comp(b) : b;
      if (i == 2 && !subject.ends_with(".ko")) continue;
      if (fnmatch(tries[i].c_str(), subject.c_str(), 0) == 0) out.push_back(f);
    }
    if (!out.empty()) break;
  }
  // Each base name once, the first found kept.
  std::vector<WalkedFile> uniq;
  std::set<std::string> names;
  for (auto& f : out)
    if (names.insert(std::string(base_name(f.path))).second) uniq.push_back(std::move(f));
  return uniq;
}

}  // namespace mng
