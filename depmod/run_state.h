// SPDX-License-Identifier: GPL-2.0-or-later
// Reading modules.cache, and telling that a depmod run has nothing to do: every module file has the
// key the cache holds for it, the same modules in the same order, the same
// output-relevant options and side files (modules.order, modules.builtin,
// modules.builtin.modinfo), and every output file still the one the last
// run published.  Then the outputs already hold exactly what a full run
// would write.
#pragma once
#include <sys/stat.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "depmod/depmod.h"
#include "depmod/module_cache.h"
#include "depmod/outputs.h"
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
// too recently for its times to be trusted.  *BASE, when given, is the
// digest of the options and side files alone (0 likewise).
uint64_t inputs_digest(const std::string& options, const std::string& dir, const std::vector<FoundModule>& mods,
                       uint64_t* base = nullptr);

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

// The file name of ROW (DEPFILE_NAME for modules.dep), and of every row in
// kOutputs' order.
std::string output_name(const OutputRow& row, const std::string& depfile_name);
std::vector<std::string> output_names(const std::string& depfile_name);

// Outputs a run can leave as they are.  For each output, a digest of
// everything its bytes and its messages are made from: BASE (the options
// and side files, from inputs_digest; all 0 when it is 0), then for
// modules.dep and .dep.bin the modules' paths, names and dependency lines;
// for modules.alias, .alias.bin and .devname the alias fields with their
// modules' numbers and names (likewise the softdep fields for
// modules.softdep, the weakdep ones for modules.weakdep); for
// modules.symbols and .symbols.bin the symbols with their owners; the
// built-in indexes depend on BASE alone.
std::array<uint64_t, kOutCount> output_sources(uint64_t base, const DepmodTree& t,
                                               const std::vector<std::string>& dep_lines);
// Which outputs NAMES (in kOutputs' order) in the directory DIRFD are
// still what a run would write: the last run (LAST, its cache put in
// place at LAST_CTIME) printed nothing, made the output from the same
// SOURCES, and the file there is the one it published (same size, inode
// and modification time, status unchanged since).
std::array<bool, kOutCount> kept_outputs(const RunState& last, const struct timespec& last_ctime,
                                         const std::array<uint64_t, kOutCount>& sources, int dirfd,
                                         const std::vector<std::string>& names);

}  // namespace mng
