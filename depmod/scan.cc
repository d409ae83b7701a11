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

namespace mng {
namespace {
constexpr std::string_view kSuffixes[] = {".ko", ".ko.gz", ".ko.xz", ".ko.zst"};

bool excluded(std::string_view name, const std::vector<std::string>& excludes) {
  if (name == "." || name == ".." || name == "build" || name == "source") return true;
  return std::find(excludes.begin(), excludes.end(), name) != excludes.end();
}

void walk(std::string& path, const std::string& moddir, const std::string& basedir,
          const std::vector<std::string>& excludes, const PreferFn& prefer, ModuleSet* set) {
  DIR* d = opendir(path.c_str());
  if (!d) {
    log(Level::error, "could not open directory %s: %s", path.c_str(), strerror(errno));
    return;
  }
  const size_t base_len = path.size();
  for (;;) {
    errno = 0;
    dirent* de = readdir(d);
    if (!de) {
      // A read error must not look like the end of the directory.
      if (errno) log(Level::error, "could not read directory %s: %s", path.substr(0, base_len).c_str(), strerror(errno));
      break;
    }
    std::string_view name = de->d_name;
    if (excluded(name, excludes)) continue;
    path.resize(base_len);
    path += '/';
    path += name;
    bool is_dir;
    if (de->d_type == DT_DIR) {
      is_dir = true;
    } else if (de->d_type == DT_REG) {
      is_dir = false;
    } else {
      struct stat st;
      if (stat(path.c_str(), &st) < 0) {
        log(Level::error, "fstatat(%s): %s", path.c_str(), strerror(errno));
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        is_dir = true;
      } else if (S_ISREG(st.st_mode)) {
        is_dir = false;
      } else {
        log(Level::error, "unsupported file type %s: %o", path.c_str(), st.st_mode & S_IFMT);
        continue;
      }
    }
    if (is_dir) {
      walk(path, moddir, basedir, excludes, prefer, set);
    } else if (has_module_suffix(name)) {
      set->add(describe_module_file(path, moddir, basedir), prefer);
    }
  }
  path.resize(base_len);
  closedir(d);
}
}  // namespace

bool has_module_suffix(std::string_view name) {
  for (auto suf : kSuffixes)
    if (name.ends_with(suf)) return true;
  return false;
}

std::string uncompressed_relpath(std::string_view relpath) {
  for (auto suf : kSuffixes)
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
  walk(path, moddir, basedir, excludes, prefer, set);
}

}  // namespace mng
