// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/parse_stage.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <thread>
#include <unordered_map>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/log.h"
#include "common/module_file.h"
#include "common/superfast_hash.h"
#include "common/text_util.h"
#include "depmod/kernel_symbols.h"
#include "depmod/module_order.h"

namespace mng {
namespace {

// A file whose status changed this close to the start of the run (or
// later) is not cached: a change within the same clock tick could leave
// its times as they were.
constexpr time_t kFreshSeconds = 2;

struct Parsed {
  ModuleElf elf;
  std::string error;
  CacheKey key;
  bool cacheable = false;
  bool hit = false;  // taken from the cache
};

// One module: from the cache when its key matches, else read and parsed.
// The key is taken before the file is read, so a change while it is read
// gives a key the next run does not find.
void parse_one(const FoundModule& m, const ModuleCache* cache, time_t fresh_from, Parsed* out,
               std::atomic<size_t>* hits) {
  struct stat st;
  bool have_key = stat(m.path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (have_key) {
    out->key = cache_key(st);
    out->cacheable = st.st_ctim.tv_sec < fresh_from;
    if (cache && cache->find(m.path, out->key, &out->elf)) {
      out->hit = true;
      hits->fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  std::string why;
  // Symbol names are kept as the modules spell them (messages show them so,
  // as kmod's do); the -P prefix is dropped where symbols are matched.
  // Only the sections the parser needs are read (pread): mapping every
  // module costs far more in page faults on some machines.
  if (!read_module_elf(m.path, &out->elf, &why, 0)) {
    out->error = why.empty() ? "unreadable module" : why;
    out->cacheable = false;
    return;
  }
  keep_depmod_facts(&out->elf);
}

// Loads and parses every module on THREADS threads.  Messages are kept per
// module and printed in module order, so output does not depend on timing.
// The threads share the memory bound of module reading: each may use its
// part of it, and a module that needs more is read again alone at the end
// with the whole bound.  HELPER, when given, is one of the threads.
void parse_all(const std::vector<FoundModule>& mods, unsigned threads, ParseCache* cache, std::vector<Parsed>* out,
               HelperThread* helper) {
  out->assign(mods.size(), Parsed{});
  const time_t fresh_from = time(nullptr) - kFreshSeconds;
  std::atomic<size_t> next{0}, hits{0};
  threads = std::min<unsigned>(threads, std::max<size_t>(1, mods.size() / 16));
  auto work = [&] {
    ModuleMemoryLimit share(kMaxDecompressedSize / threads);
    for (;;) {
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= mods.size()) return;
      parse_one(mods[i], cache->in, fresh_from, &(*out)[i], &hits);
    }
  };
  auto here = [&] {
    std::vector<std::thread> pool;
    for (unsigned t = 2; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  };
  if (threads > 1) {
    run_beside(helper, work, here);
  } else {
    work();
  }
  for (size_t i = 0; threads > 1 && i < mods.size(); ++i)
    if (is_over_memory_limit((*out)[i].error)) {
      (*out)[i] = Parsed{};
      parse_one(mods[i], cache->in, fresh_from, &(*out)[i], &hits);
    }
  cache->hits = hits;
}

}  // namespace

bool parse_stage(const DepmodOptions& opt, const std::string& dir, ModuleSet* set, DepmodTree* t, bool* skipped,
                 ParseCache* cache, HelperThread* helper) {
  std::vector<Parsed> parsed;
  parse_all(set->modules, run_threads(opt), cache, &parsed, helper);
  std::vector<FoundModule> good;
  std::vector<ModuleElf> good_elf;
  // Nothing changed: the cache read stays as it is.  A few changes:
  // the unchanged entries are copied as they are, after the old strings.
  ModuleCache* in = cache->in;
  const size_t n = set->modules.size();
  bool reuse = in && cache->hits == n && cache->hits == in->size();
  bool extend = in && !reuse && (n - cache->hits) + (in->size() - cache->hits) <= in->size() / 8 &&
                in->stale() <= in->size() / 4;
  CacheWriter writer(opt.sym_prefix);
  if (cache->write && extend) writer.base_on(*in);
  good.reserve(n);
  good_elf.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!parsed[i].error.empty()) {
      log(Level::error, "%s: %s (module skipped)", set->modules[i].path.c_str(), parsed[i].error.c_str());
      *skipped = true;
      continue;
    }
    if (cache->write && !reuse && parsed[i].cacheable &&
        !(extend && parsed[i].hit && writer.copy(*in, set->modules[i].path)))
      writer.add(set->modules[i].path, parsed[i].key, parsed[i].elf);
    good.push_back(std::move(set->modules[i]));
    good_elf.push_back(std::move(parsed[i].elf));
  }
  std::vector<Parsed>().swap(parsed);
  // An unchanged cache keeps its entries as they are; only its record of
  // the outputs is made anew.  A new cache based on the old one copies
  // the old bytes when it is put together; otherwise nothing more is
  // needed from the old cache, and its memory can go now.
  if (cache->write && reuse) cache->out = in->take_body();
  if (cache->write && !reuse) cache->writer.emplace(std::move(writer));
  if (in && !(cache->write && extend)) *in = ModuleCache();
  if (good.size() >= 65535) {
    log(Level::fatal, "too many modules: %zu", good.size());
    return false;
  }
  // `depmod file...` lists the modules in the order of the operands, as modutils did.
  std::vector<uint32_t> order(good.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!opt.files_dep_to_stdout) order = module_order(good, dir);
  t->mods.reserve(order.size());
  t->elf.reserve(order.size());
  for (uint32_t i : order) {
    t->mods.push_back(std::move(good[i]));
    t->elf.push_back(std::move(good_elf[i]));
  }
  return true;
}

}  // namespace mng
