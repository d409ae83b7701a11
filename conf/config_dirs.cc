// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/config_dirs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/file_util.h"
#include "common/log.h"

namespace mng {
namespace {

std::vector<std::string> dirs_named(const char* leaf) {
  std::vector<std::string> out;
  for (const char* base : {"/etc", "/run", "/usr/local/lib", "/usr/lib", "/lib"})
    out.push_back(std::string(base) + "/" + leaf);
  return out;
}

// Keeps `files` sorted by basename; the first file seen with a basename wins.
void insert_sorted(std::vector<ConfigFile>* files, ConfigFile f) {
  auto it = std::lower_bound(files->begin(), files->end(), f.basename,
                             [](const ConfigFile& a, const std::string& b) { return a.basename < b; });
  if (it != files->end() && it->basename == f.basename) return;  // shadowed
  files->insert(it, std::move(f));
}

bool name_accepted(std::string_view name, const ConfigListOptions& opt) {
  if (name.size() < 6) return false;  // kmod's fixed minimum, ".conf" plus one
  for (const auto& suffix : opt.suffixes)
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
      return true;
  return false;
}

void list_directory(const std::string& dir, const ConfigListOptions& opt,
                    std::vector<ConfigFile>* files, Diagnostics* diags) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    add_diagnostic(diags, Level::error, dir, 0, "files list %s: %s", dir.c_str(), strerror(errno));
    return;
  }
  // Messages come in readdir order, as kmod's do.
  while (const dirent* ent = readdir(d)) {
    std::string_view name = ent->d_name;
    if (name.empty() || name[0] == '.') continue;
    std::string path = dir + "/" + std::string(name);
    if (!name_accepted(name, opt)) {
      if (opt.report_skipped) add_diagnostic(diags, Level::info, path, 0, "All cfg files need .conf: %s", path.c_str());
      continue;
    }
    struct stat st;
    if (fstatat(dirfd(d), ent->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
      add_diagnostic(diags, Level::error, path, 0, "Directories inside directories are not supported: %s",
                     path.c_str());
      continue;
    }
    insert_sorted(files, ConfigFile{std::move(path), std::string(name)});
  }
  closedir(d);
}

}  // namespace

std::vector<std::string> default_depmod_dirs() { return dirs_named("depmod.d"); }
std::vector<std::string> default_modprobe_dirs() { return dirs_named("modprobe.d"); }

std::vector<ConfigFile> list_config_files(const std::vector<std::string>& paths,
                                          std::string_view root,
                                          const std::vector<ConfigFile>& injected,
                                          const ConfigListOptions& options, Diagnostics* diags) {
  std::vector<ConfigFile> files;
  for (const auto& f : injected) insert_sorted(&files, f);
  for (const auto& p : paths) {
    std::string full = std::string(root) + p;
    struct stat st;
    if (full.empty() || stat(full.c_str(), &st) != 0) continue;  // missing: not an error
    if (S_ISREG(st.st_mode)) {
      size_t slash = full.rfind('/');
      std::string base = slash == std::string::npos ? full : full.substr(slash + 1);
      insert_sorted(&files, ConfigFile{full, std::move(base)});
    } else if (S_ISDIR(st.st_mode)) {
      list_directory(full, options, &files, diags);
    } else if (!is_null_device(st)) {
      // A FIFO, a socket or a device other than /dev/null (which means "no
      // configuration") is never read: it could block or never end.
      add_diagnostic(diags, Level::error, full, 0, "%s: not a regular file (ignored)", full.c_str());
    }
  }
  return files;
}

}  // namespace mng
