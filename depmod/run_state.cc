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

uint64_t nonzero(uint64_t h) { return h == 0 ? 1 : h; }

// Status changed no later than the cache's (the outputs are renamed before it).
bool not_after(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

// NAME in DIRFD is the output recorded as KEY, published with a cache put
// in place at CACHE_CTIME: same file, status unchanged since.
bool still_published(int dirfd, const std::string& name, const CacheKey& key, const struct timespec& cache_ctime) {
  struct stat st;
  return fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && same_file(st, key) &&
         not_after(st.st_ctim, cache_ctime);
}

// A running digest of strings, each followed by its length (so that "ab",
// "c" and "a", "bc" differ), eight bytes at a time: a multiply and an xor
// per word, inline, since the outputs' sources are a few MiB in some
// 100,000 short strings.  It only has to tell a change from none.
struct Digest {
  uint64_t h;
  void word(uint64_t w) { h = (h ^ w) * 0x9e3779b97f4a7c15ull; h ^= h >> 29; }
  void add(std::string_view s) {
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      word(w);
    }
    uint64_t w = 0;
    if (i < s.size()) std::memcpy(&w, s.data() + i, s.size() - i);
    word(w);
    word(s.size());
  }
  void add(uint32_t n) { word(n); }
};

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

uint64_t inputs_digest(const std::string& options, const std::string& dir, const std::vector<FoundModule>& mods,
                       uint64_t* base) {
  const time_t fresh_from = time(nullptr) - kFreshSeconds;
  if (base) *base = 0;
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
  if (base) *base = nonzero(std::hash<std::string_view>()(text));
  for (const FoundModule& m : mods) {
    for (const std::string* s : {&m.path, &m.shown, &m.modname}) text.append(*s).push_back('\0');
    text.push_back('\n');
  }
  return nonzero(std::hash<std::string_view>()(text));
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
    if (!still_published(dirfd, names[i], s.outputs[i], cache_st.st_ctim)) return false;
  for (const FoundModule& m : mods)
    if (stat(m.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || !cache.has(m.path, cache_key(st))) return false;
  return true;
}

std::string output_name(const OutputRow& row, const std::string& depfile_name) {
  return row.id == kDep ? depfile_name : row.name;
}

std::vector<std::string> output_names(const std::string& depfile_name) {
  std::vector<std::string> names;
  for (const OutputRow& row : kOutputs) names.push_back(output_name(row, depfile_name));
  return names;
}

std::array<uint64_t, kOutCount> output_sources(uint64_t base, const DepmodTree& t,
                                               const std::vector<std::string>& dep_lines) {
  std::array<uint64_t, kOutCount> src{};
  if (base == 0) return src;
  // The indexes' priorities are module numbers, so each entry records its
  // module's number as well as its name.
  Digest dep{base}, alias{base}, softdep{base}, weakdep{base}, sym{base};
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    const FoundModule& m = t.mods[i];
    for (std::string_view s : {std::string_view(m.path), std::string_view(m.shown), std::string_view(m.modname),
                               std::string_view(dep_lines[i])})
      dep.add(s);
    const ModuleElf& e = t.elf[i];
    for (const ModInfo& mi : e.modinfo) {
      std::string_view key = e.str(mi.key);
      Digest* d = key == "alias" ? &alias : key == "softdep" ? &softdep : key == "weakdep" ? &weakdep : nullptr;
      if (!d) continue;
      d->add(i);
      d->add(m.modname);
      d->add(e.str(mi.value));
    }
  }
  for (const auto& [name, owner] : t.symbols) {
    sym.add(name);
    sym.add(owner);
    sym.add(t.mods[owner].modname);
  }
  for (const OutputRow& row : kOutputs) {
    Digest d{0};
    switch (row.id) {
      case kDep: case kDepBin: d.h = dep.h; break;
      case kAlias: case kAliasBin: case kDevname: d.h = alias.h; break;
      case kSoftdep: d.h = softdep.h; break;
      case kWeakdep: d.h = weakdep.h; break;
      case kSymbols: case kSymbolsBin: d.h = sym.h; break;
      case kBuiltinBin: case kBuiltinAliasBin: case kOutCount: d.h = base; break;
    }
    d.add(row.name);
    src[row.id] = nonzero(d.h);
  }
  return src;
}

std::array<bool, kOutCount> kept_outputs(const RunState& last, const struct timespec& last_ctime,
                                         const std::array<uint64_t, kOutCount>& sources, int dirfd,
                                         const std::vector<std::string>& names) {
  std::array<bool, kOutCount> keep{};
  if (last.inputs == 0 || last.outputs.size() != kOutCount || last.sources.size() != kOutCount ||
      names.size() != kOutCount)
    return keep;
  for (size_t i = 0; i < kOutCount; ++i)
    keep[i] = sources[i] != 0 && last.sources[i] == sources[i] &&
              still_published(dirfd, names[i], last.outputs[i], last_ctime);
  // The two built-in indexes are made together, or not at all.
  keep[kBuiltinBin] = keep[kBuiltinAliasBin] = keep[kBuiltinBin] && keep[kBuiltinAliasBin];
  return keep;
}

}  // namespace mng
