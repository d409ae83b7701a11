// SPDX-License-Identifier: GPL-2.0-or-later
// Reading modules.cache, and telling that a depmod run has nothing to do: every module file has the
// key the cache holds for it, the same modules in the same order, the same
// output-relevant options and side files (modules.order, modules.builtin,
// modules.builtin.modinfo), and every output file still the one the last
// run published.  Then the outputs already hold exactly what a full run
// would write.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <vector>

#include "depmod/depmod.h"
#include "depmod/module_cache.h"
#include "depmod/scan.h"

namespace mng {

// Reads DIR/modules.cache into *cache and its status into *CACHE_ST.  A
// file that is missing, damaged, of another version or byte order, or (as
// root) writable by a user other than root is not used; -v says why in one
// line.  False when a directory of that name is in the way: no cache can
// be written there either.
bool load_cache(const DepmodOptions& opt, const std::string& dir, ModuleCache* cache, struct stat* cache_st);

// A digest of what, besides the modules' facts, decides the outputs: the
// text OPTIONS (the caller's summary of the options that matter), the
// module paths in MODS in order, and the keys of the side files in DIR.
// 0 (never matched) when modules.order is missing or a side file changed
// too recently for its times to be trusted.
uint64_t inputs_digest(const std::string& options, const std::string& dir, const std::vector<FoundModule>& mods);

// The key of each output file NAMES in the directory DIRFD, as
// RunState::outputs records it; false when one cannot be examined.
bool output_keys(int dirfd, const std::vector<std::string>& names, std::vector<CacheKey>* keys);

// True when the run would write exactly what is there: CACHE (read from
// the directory DIRFD, its status CACHE_ST) was written for INPUTS and holds an
// entry with the current key for each of MODS and no other, no interrupted
// run is pending, and each output NAMES is the file published with the
// cache (same size, inode and modification time, status unchanged since
// the cache was put in place).
bool nothing_changed(const ModuleCache& cache, const struct stat& cache_st, uint64_t inputs,
                     const std::vector<FoundModule>& mods, int dirfd, const std::vector<std::string>& names);

}  // namespace mng
