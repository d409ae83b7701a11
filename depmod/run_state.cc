// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/run_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string_view>

#include "common/file_util.h"
#include "conf/file_text.h"
#include "depmod/output_set.h"

namespace mng {
namespace {

// A side file whose status changed this close to the run may still change
// within the same clock tick without its times showing it.
constexpr time_t kFreshSeconds = 2;

void append_key(std::string* text, const CacheKey& k) {
  for (uint64_t v : {k.size, k.ino, k.mtime_s, k.mtime_ns, k.ctime_s, k.ctime_ns}) {
    text->append(std::to_string(v));
    text->push_back(' ');
  }
}

// Far more than the cache of any real tree (a few MiB); a bigger file is
// refused before anything is read.
constexpr size_t kMaxCacheSize = size_t{64} << 20;

bool same_file(const struct stat& st, const CacheKey& want) {
  CacheKey k = cache_key(st);
  return S_ISREG(st.st_mode) && k.size == want.size && k.ino == want.ino && k.mtime_s == want.mtime_s &&
         k.mtime_ns == want.mtime_ns;
}

// Status changed no later than the cache's (the outputs are renamed before it).
bool not_after(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

}  // namespace

// Reads DIR/modules.cache into *cache (see run_state.h).
bool load_cache(const DepmodOptions& opt, const std::string& dir, ModuleCache* cache, struct stat* cache_st) {
  std::string data, why;
  UniqueFd d(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  UniqueFd fd(d ? openat(d.get(), kModuleCacheName, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW) : -1);
  struct stat st;
  bool writable = true;
  if (!fd || fstat(fd.get(), &st) != 0) {
    why = strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    why = S_ISDIR(st.st_mode) ? "a directory (no cache is written)" : "not a regular file";
    writable = !S_ISDIR(st.st_mode);
  } else if (static_cast<uint64_t>(st.st_size) > kMaxCacheSize) {
    why = "too big";
  } else if (std::string distrust = opt.trusted_only ? config_file_distrust(st) : ""; !distrust.empty()) {
    why = distrust;
  } else if (!read_fd(fd.get(), kModuleCacheName, kMaxCacheSize, &data)) {
    why = strerror(errno);
  } else if (cache->load(std::move(data), opt.sym_prefix, &why)) {
    *cache_st = st;
    return true;
  }
  if (opt.verbose) printf("%s/%s not used: %s\n", dir.c_str(), kModuleCacheName, why.c_str());
  return writable;
}

uint64_t inputs_digest(const std::string& options, const std::string& dir, const std::vector<FoundModule>& mods) {
  const time_t fresh_from = time(nullptr) - kFreshSeconds;
  std::string text = options;
  text.push_back('\0');
  // Looked at relative to the directory, as every other file of the set.
  UniqueFd d(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!d) return 0;
  for (const char* side : {"modules.order", "modules.builtin", "modules.builtin.modinfo"}) {
    struct stat st;
    if (fstatat(d.get(), side, &st, 0) != 0) {
      if (errno != ENOENT || std::string_view(side) == "modules.order") return 0;
      text += "-\n";
      continue;
    }
    if (!S_ISREG(st.st_mode) || st.st_ctim.tv_sec >= fresh_from) return 0;
    append_key(&text, cache_key(st));
    text.push_back('\n');
  }
  for (const FoundModule& m : mods) {
    for (const std::string* s : {&m.path, &m.shown, &m.modname}) text.append(*s).push_back('\0');
    text.push_back('\n');
  }
  uint64_t h = std::hash<std::string_view>()(text);
  return h == 0 ? 1 : h;
}

bool output_keys(int dirfd, const std::vector<std::string>& names, std::vector<CacheKey>* keys) {
  keys->clear();
  for (const std::string& name : names) {
    struct stat st;
    if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return false;
    CacheKey k = cache_key(st);
    k.ctime_s = k.ctime_ns = 0;
    keys->push_back(k);
  }
  return true;
}

bool nothing_changed(const ModuleCache& cache, const struct stat& cache_st, uint64_t inputs,
                     const std::vector<FoundModule>& mods, int dirfd, const std::vector<std::string>& names) {
  const RunState& s = cache.state();
  if (inputs == 0 || s.inputs != inputs || s.outputs.size() != names.size() || cache.size() != mods.size())
    return false;
  struct stat st;
  if (fstatat(dirfd, kOutputJournal, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT) return false;
  for (size_t i = 0; i < names.size(); ++i)
    if (fstatat(dirfd, names[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !same_file(st, s.outputs[i]) ||
        !not_after(st.st_ctim, cache_st.st_ctim))
      return false;
  for (const FoundModule& m : mods)
    if (stat(m.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !cache.has(m.path, cache_key(st))) return false;
  return true;
}

}  // namespace mng
