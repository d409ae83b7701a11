// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/scan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/modname.h"

namespace mng {
namespace {
bool excluded(std::string_view name, const std::vector<std::string>& excludes) {
  if (name == "." || name == ".." || name == "build" || name == "source") return true;
  return std::find(excludes.begin(), excludes.end(), name) != excludes.end();
}

// The directories being walked, outermost first: device, inode and the
// length of the path that names each; and a buffer of entries for each
// depth (a directory's entries stay in its buffer while its
// subdirectories are walked).
struct Ancestor {
  dev_t dev;
  ino_t ino;
  size_t path_len;
};
struct WalkState {
  std::vector<Ancestor> ancestors;
  std::vector<std::vector<char>> bufs;
};

// True (after a warning) when the directory ST is one of ANCESTORS: a
// symbolic link leading back up, which would loop.
bool entered_before(const struct stat& st, const std::string& path, const std::vector<Ancestor>& ancestors) {
  for (const Ancestor& a : ancestors)
    if (a.dev == st.st_dev && a.ino == st.st_ino) {
      log(Level::warning, "directory loop: %s is %s again (skipped)", path.c_str(), path.substr(0, a.path_len).c_str());
      return true;
    }
  return false;
}

// Whether the entry DE of the directory FD is a directory (else a regular
// file); false with a message for any other type.
bool entry_kind(int fd, const struct dirent64* de, const std::string& path, bool* is_dir) {
  if (de->d_type == DT_DIR || de->d_type == DT_REG) {
    *is_dir = de->d_type == DT_DIR;
    return true;
  }
  struct stat st;
  if (fstatat(fd, de->d_name, &st, 0) < 0) {
    log(Level::error, "fstatat(%s): %s", path.c_str(), strerror(errno));
    return false;
  }
  *is_dir = S_ISDIR(st.st_mode);
  if (*is_dir || S_ISREG(st.st_mode)) return true;
  log(Level::error, "unsupported file type %s: %o", path.c_str(), st.st_mode & S_IFMT);
  return false;
}

// Walks the directory open as FD (whose path is PATH), taking ownership
// of FD.  Subdirectories are opened relative to their parent.  The
// entries are read with getdents64 directly: a DIR stream costs three
// more system calls per directory (fdopendir's fstat and two fcntl).
void walk(int fd, std::string& path, const std::string& moddir, const std::string& basedir,
          const std::vector<std::string>& excludes, const PreferFn& prefer, ModuleSet* set, WalkState& w) {
  UniqueFd dir(fd);
  struct stat self;
  if (!dir || fstat(fd, &self) != 0) {
    log(Level::error, "could not open directory %s: %s", path.c_str(), strerror(errno));
    return;
  }
  if (entered_before(self, path, w.ancestors)) return;
  w.ancestors.push_back({self.st_dev, self.st_ino, path.size()});
  const size_t depth = w.ancestors.size(), base_len = path.size();
  if (w.bufs.size() < depth) w.bufs.resize(depth);
  w.bufs[depth - 1].resize(32 * 1024);
  // The buffer's bytes stay where they are when a subdirectory's walk
  // grows w.bufs (its vector object moves): only they are kept.
  char* const buf = w.bufs[depth - 1].data();
  const size_t buf_size = w.bufs[depth - 1].size();
  for (;;) {
    ssize_t n = getdents64(fd, buf, buf_size);
    if (n <= 0) {
      // A read error must not look like the end of the directory.
      if (n < 0) log(Level::error, "could not read directory %s: %s", path.substr(0, base_len).c_str(), strerror(errno));
      break;
    }
    for (ssize_t off = 0; off < n;) {
      const auto* de = reinterpret_cast<const struct dirent64*>(buf + off);
      off += de->d_reclen;
      std::string_view name = de->d_name;
      if (excluded(name, excludes)) continue;
      path.resize(base_len);
      path += '/';
      path += name;
      bool is_dir;
      if (!entry_kind(fd, de, path, &is_dir)) continue;
      if (is_dir) {
        walk(openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), path, moddir, basedir, excludes, prefer, set, w);
      } else if (has_module_suffix(name)) {
        set->add(describe_module_file(path, moddir, basedir), prefer);
      }
    }
  }
  path.resize(base_len);
  w.ancestors.pop_back();
}

// True when a module file under the directory FD (taken over) has a
// modification time after REF.
bool newer_module_in(int fd, const timespec& ref) {
  DIR* d = fd < 0 ? nullptr : fdopendir(fd);
  if (!d) {
    if (fd >= 0) close(fd);
    return false;
  }
  bool found = false;
  while (!found) {
    dirent* de = readdir(d);
    if (!de) break;
    std::string_view name = de->d_name;
    if (name == "." || name == ".." || name == "build" || name == "source") continue;
    struct stat st;
    if (fstatat(dirfd(d), de->d_name, &st, 0) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      found = newer_module_in(openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ref);
    } else if (S_ISREG(st.st_mode) && has_module_suffix(name)) {
      found = st.st_mtim.tv_sec > ref.tv_sec || (st.st_mtim.tv_sec == ref.tv_sec && st.st_mtim.tv_nsec > ref.tv_nsec);
    }
  }
  closedir(d);
  return found;
}
}  // namespace

std::string uncompressed_relpath(std::string_view relpath) {
  for (auto suf : kModuleSuffixes)
    if (suf != ".ko" && relpath.ends_with(suf))
      return std::string(relpath.substr(0, relpath.size() - suf.size())) + ".ko";
  return std::string(relpath);
}

FoundModule describe_module_file(const std::string& path, const std::string& moddir, const std::string& basedir) {
  FoundModule m;
  m.path = path;
  if (path.size() > moddir.size() + 1 && path.starts_with(moddir) && path[moddir.size()] == '/')
    m.relpath = path.substr(moddir.size() + 1);
  if (!m.relpath.empty()) {
    m.shown = m.relpath;
  } else if (!basedir.empty() && path.starts_with(basedir) && path.size() > basedir.size() &&
             path[basedir.size()] == '/') {
    m.shown = path.substr(basedir.size());
  } else {
    m.shown = path;
  }
  std::string_view base = base_name(path);
  m.stem = std::string(base.substr(0, base.find('.')));
  m.modname = normalize_modname(m.stem);
  return m;
}

bool outputs_up_to_date(const std::string& moddir, const std::string& depdir) {
  struct stat st;
  int dfd = open(depdir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int rc = dfd < 0 ? -1 : fstatat(dfd, "modules.dep", &st, 0);
  int err = errno;
  if (dfd >= 0) close(dfd);
  if (rc != 0) {
    log(Level::error, "could not fstatat(%s, modules.dep): %s", depdir.c_str(), strerror(err));
    return false;
  }
  return !newer_module_in(open(moddir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), st.st_mtim);
}

bool read_in_dir(const std::string& dir, const char* name, size_t cap, std::string* out) {
  out->clear();
  UniqueFd d(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d) return false;
  UniqueFd fd(openat(d.get(), name, O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  return fd && read_fd(fd.get(), name, cap, out);
}

void ModuleSet::add(FoundModule m, const PreferFn& prefer) {
  auto [it, inserted] = index_.try_emplace(m.modname, modules.size());
  if (inserted) {
    modules.push_back(std::move(m));
  } else if (prefer(m, modules[it->second])) {
    modules[it->second] = std::move(m);
  }
}

void scan_directory(const std::string& dir, const std::string& moddir, const std::string& basedir,
                    const std::vector<std::string>& excludes, const PreferFn& prefer, ModuleSet* set) {
  std::string path = dir;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  WalkState w;
  walk(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC), path, moddir, basedir, excludes, prefer, set, w);
}

}  // namespace mng
