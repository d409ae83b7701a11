// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/module_dir.h"

#include <sys/stat.h>

#ifndef MNG_MODULE_DIR
#define MNG_MODULE_DIR "/lib/modules"
#endif

namespace mng {
namespace {

bool is_dir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string tree(const std::string& root, const std::string& dir, const std::string& kver) {
  std::string r = root;
  while (!r.empty() && r.back() == '/') r.pop_back();
  return r + dir + "/" + kver;
}

}  // namespace

const char* configured_module_dir() { return MNG_MODULE_DIR; }

std::string module_dir_for(const std::string& root, const std::string& kver) {
  return module_dir_for(root, kver, configured_module_dir());
}

std::string module_dir_for(const std::string& root, const std::string& kver, const std::string& configured) {
  std::string dir = configured;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (kver.empty() || is_dir(tree(root, dir, kver))) return dir;
  const char* other = dir == "/lib/modules" ? "/usr/lib/modules" : dir == "/usr/lib/modules" ? "/lib/modules" : nullptr;
  if (other && is_dir(tree(root, other, kver))) return other;
  return dir;
}

}  // namespace mng
