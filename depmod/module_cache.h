// SPDX-License-Identifier: GPL-2.0-or-later
// depmod's cache of what each module declares (modules.cache): for every
// module file read, the facts depmod uses (exports with CRCs, imports,
// the alias/softdep/weakdep .modinfo fields), under a key that changes
// whenever the file can have changed: path, size, inode, and modification
// and status-change times to the nanosecond.  The file also records the
// cache format, the module reader's version and the -P prefix, and ends
// with a CRC-32 of everything before it; a file that fails any check is
// ignored as a whole, never used in part.
//
// Layout (fixed-size words in host byte order, marked by an endianness
// word; "var" is an unsigned LEB128 number):
//   header   "MNGDEPC\n", u32 format, u32 0x01020304, u32 reader version,
//            u32 -P prefix, u64 string count, u64 entry count, u64 stale
//            count (entries added, replaced or dropped since the strings
//            were last laid out afresh)
//   strings  each: var length, bytes (each string once, but for strings
//            of entries added to an older cache)
//   entries  each: var path length, path, 6 x u64 key (size, inode,
//            mtime s/ns, ctime s/ns), var body length, then the body: var
//            flags (bit 0 ELF64, bit 1 big-endian, e_machine from bit 2),
//            var pool size (the strings' total length), var export,
//            import and field counts; exports (var string, var CRC),
//            fields (var key, var value), imports (var string << 1 |
//            weak, var CRC)
//   state    u64 inputs digest, u64 output count, per output 5 x u64
//            (size, inode, mtime s/ns, sources digest): what the run that
//            wrote the file read besides the modules, and the outputs it
//            published with what each was made from
//   trailer  u32 CRC-32 of all the bytes before it
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/elf_module.h"

namespace mng {

extern const char kModuleCacheName[];  // "modules.cache"

struct CacheKey {
  uint64_t size = 0, ino = 0, mtime_s = 0, mtime_ns = 0, ctime_s = 0, ctime_ns = 0;
  bool operator==(const CacheKey&) const = default;
};
CacheKey cache_key(const struct stat& st);


// Keeps only what depmod uses from a parsed module: the exports, the
// alias, softdep and weakdep fields and the imports, in a pool holding
// just their strings in that order.  Outputs do not change; memory and
// cache size do.
void keep_depmod_facts(ModuleElf* e);
// Once dependencies are known: drops the imports and their strings (the
// end of a pool laid out by keep_depmod_facts).
void drop_imports(ModuleElf* e);

// What a run read besides the modules (a digest; 0 when it is not to be
// trusted), the output files it published (ctime fields unused) and, for
// each, a digest of what it was made from (0: unknown; see
// output_sources).
struct RunState {
  uint64_t inputs = 0;
  std::vector<CacheKey> outputs;
  std::vector<uint64_t> sources;
};
// Completes a cache file body (from CacheWriter::finish or
// ModuleCache::take_body) with STATE and the checksum.
void seal_cache(std::string* body, const RunState& state);
// The same in two steps, for a body written out before STATE is known:
// cache_body_crc(BODY) at any time, then cache_tail(that, STATE), the
// bytes that follow the body in the file.
uint32_t cache_body_crc(std::string_view body);
std::string cache_tail(uint32_t body_crc, const RunState& state);

// A cache file read and checked as a whole.  find() may be called from
// several threads at once.
class ModuleCache {
 public:
  // Takes DATA (the file's bytes).  False with *why set ("truncated",
  // "checksum mismatch", "written for another byte order", ...) when it
  // is not a complete, valid cache for prefix PREFIX; the cache is then
  // empty.
  bool load(std::string data, char prefix, std::string* why);
  // The facts cached for PATH when its key is KEY.
  bool find(std::string_view path, const CacheKey& key, ModuleElf* out) const;
  // Whether PATH has an entry with key KEY (nothing decoded).
  bool has(std::string_view path, const CacheKey& key) const;
  const RunState& state() const { return state_; }
  // The file without its state and checksum, for seal_cache; the cache is
  // empty afterwards.
  std::string take_body();
  size_t size() const { return index_.size(); }
  // Entries added, replaced or dropped since the strings were laid out
  // afresh: a measure of the strings no entry uses any more.
  size_t stale() const { return stale_; }

 private:
  friend class CacheWriter;
  struct Entry {
    size_t begin, end;  // in data_
  };
  bool check(size_t end, uint64_t n_strings, uint64_t n_entries);
  std::string data_;
  std::vector<std::string_view> strings_;
  size_t strings_end_ = 0, stale_ = 0, state_begin_ = 0;
  RunState state_;
  std::unordered_map<std::string_view, Entry> index_;  // by path
};

// Builds a new cache file.
class CacheWriter {
 public:
  explicit CacheWriter(char prefix) : prefix_(prefix) {}
  // Starts from OLD's strings, so that its entries can be copied as they
  // are.  OLD must stay as it is until finish().
  void base_on(const ModuleCache& old);
  // OLD's entry for PATH, unchanged (after base_on(OLD)).  False if none.
  bool copy(const ModuleCache& old, std::string_view path);
  void add(std::string_view path, const CacheKey& key, const ModuleElf& e);
  // The file without its state and checksum (see seal_cache); the writer
  // is empty afterwards.
  std::string finish();

 private:
  uint64_t id(std::string_view s);
  char prefix_;
  std::deque<std::string> owned_;  // the strings not from base_on's cache
  std::unordered_map<std::string_view, uint64_t> ids_;
  std::string strings_, entries_, body_;
  uint64_t count_ = 0, next_ = 0, stale_ = 0;  // entries; the next string's number; see ModuleCache::stale
  const ModuleCache* base_ = nullptr;            // see base_on
  std::vector<std::pair<size_t, size_t>> copied_;  // base_'s entries to copy, as [begin, end) in its data
};

}  // namespace mng
