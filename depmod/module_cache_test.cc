// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/module_cache.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

ModuleElf facts_of(const std::string& module) {
  ModuleElf e;
  std::string why;
  REQUIRE(read_module_elf(testmod(module), &e, &why));
  keep_depmod_facts(&e);
  return e;
}

CacheKey key_of(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return cache_key(st);
}

void require_same(const ModuleElf& a, const ModuleElf& b) {
  REQUIRE(a.exports.size() == b.exports.size());
  for (size_t i = 0; i < a.exports.size(); ++i) {
    CHECK(a.str(a.exports[i].name) == b.str(b.exports[i].name));
    CHECK(a.exports[i].crc == b.exports[i].crc);
  }
  REQUIRE(a.imports.size() == b.imports.size());
  for (size_t i = 0; i < a.imports.size(); ++i) {
    CHECK(a.str(a.imports[i].name) == b.str(b.imports[i].name));
    CHECK(a.imports[i].crc == b.imports[i].crc);
    CHECK(a.imports[i].weak == b.imports[i].weak);
  }
  REQUIRE(a.modinfo.size() == b.modinfo.size());
  for (size_t i = 0; i < a.modinfo.size(); ++i) {
    CHECK(a.str(a.modinfo[i].key) == b.str(b.modinfo[i].key));
    CHECK(a.str(a.modinfo[i].value) == b.str(b.modinfo[i].value));
  }
  CHECK(a.is_64bit == b.is_64bit);
  CHECK(a.big_endian == b.big_endian);
  CHECK(a.machine == b.machine);
}

// A cache of mod_a and mod_b under their real keys.
std::string two_module_cache(char prefix = 0) {
  CacheWriter w(prefix);
  for (const char* m : {"mod_a.ko", "mod_b.ko"}) w.add(testmod(m), key_of(testmod(m)), facts_of(m));
  std::string data = w.finish();
  seal_cache(&data, RunState{});
  return data;
}

}  // namespace

TEST_CASE("keep_depmod_facts keeps exports, imports and the fields depmod writes", "[cache]") {
  ModuleElf full;
  std::string why;
  REQUIRE(read_module_elf(testmod("mod_a.ko"), &full, &why));
  ModuleElf kept = facts_of("mod_a.ko");
  REQUIRE(kept.exports.size() == full.exports.size());
  REQUIRE(kept.imports.size() == full.imports.size());
  size_t wanted = 0;
  for (const ModInfo& mi : full.modinfo) {
    std::string_view k = full.str(mi.key);
    wanted += k == "alias" || k == "softdep" || k == "weakdep";
  }
  REQUIRE(wanted > 0);
  CHECK(kept.modinfo.size() == wanted);
  CHECK(kept.modinfo.size() < full.modinfo.size());
  CHECK(kept.pool.size() < full.pool.size());
  drop_imports(&kept);
  CHECK(kept.imports.empty());
  REQUIRE(!kept.exports.empty());
  CHECK(kept.str(kept.exports[0].name) == full.str(full.exports[0].name));
  CHECK(kept.str(kept.modinfo.back().value) == [&] {
    std::string_view last;
    for (const ModInfo& mi : full.modinfo)
      if (full.str(mi.key) == "alias" || full.str(mi.key) == "softdep" || full.str(mi.key) == "weakdep")
        last = full.str(mi.value);
    return last;
  }());
}

TEST_CASE("a cache gives back what was written, for the same key only", "[cache]") {
  ModuleCache c;
  std::string why;
  REQUIRE(c.load(two_module_cache(), 0, &why));
  CHECK(c.size() == 2);
  for (const char* m : {"mod_a.ko", "mod_b.ko"}) {
    ModuleElf got;
    REQUIRE(c.find(testmod(m), key_of(testmod(m)), &got));
    require_same(got, facts_of(m));
  }
  ModuleElf got;
  CacheKey other = key_of(testmod("mod_a.ko"));
  for (uint64_t CacheKey::*f : {&CacheKey::size, &CacheKey::ino, &CacheKey::mtime_s, &CacheKey::mtime_ns,
                                &CacheKey::ctime_s, &CacheKey::ctime_ns}) {
    CacheKey k = other;
    k.*f += 1;
    CHECK_FALSE(c.find(testmod("mod_a.ko"), k, &got));
  }
  CHECK_FALSE(c.find(testmod("mod_c.ko"), key_of(testmod("mod_c.ko")), &got));
  CHECK_FALSE(c.find(testmods_dir() + "//mod_a.ko", other, &got));
}

TEST_CASE("a damaged, truncated or foreign cache is refused as a whole", "[cache]") {
  const std::string good = two_module_cache();
  std::string why;
  auto refused = [&](std::string data, char prefix = 0) {
    ModuleCache c;
    bool ok = c.load(std::move(data), prefix, &why);
    CHECK(c.size() == 0);
    return !ok && !why.empty();
  };
  CHECK(refused(""));
  CHECK(refused(good.substr(0, 20)));
  CHECK(refused(good.substr(0, good.size() - 1)));
  CHECK(why == "checksum mismatch");
  CHECK(refused(good + "x"));
  CHECK(refused(good, '_'));
  CHECK(why == "written for another -P prefix");
  std::string swapped = good;
  std::swap(swapped[12], swapped[15]);
  std::swap(swapped[13], swapped[14]);
  CHECK(refused(swapped));
  CHECK(why == "written for another byte order");
  std::string reader = good;
  reader[16] ^= 0x40;
  CHECK(refused(reader));
  // Every single flipped byte is caught, wherever it is.
  for (size_t i = 0; i < good.size(); i += 7) {
    std::string bad = good;
    bad[i] ^= 0x10;
    CHECK(refused(bad));
  }
  ModuleCache c;
  CHECK(c.load(two_module_cache('_'), '_', &why));
}

TEST_CASE("a cache with a valid checksum but impossible contents is refused", "[cache]") {
  // Entries claiming more records or strings than the file holds.
  CacheWriter w(0);
  ModuleElf e = facts_of("mod_a.ko");
  w.add("/x", CacheKey{}, e);
  std::string data = w.finish();
  seal_cache(&data, RunState{});
  std::string why;
  ModuleCache ok_cache;
  REQUIRE(ok_cache.load(data, 0, &why));
  // Raise the string count in the header and fix the checksum up.
  std::string bad = data;
  uint64_t n;
  std::memcpy(&n, bad.data() + 24, 8);
  n += 1000;
  std::memcpy(bad.data() + 24, &n, 8);
  uint32_t crc = static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(bad.data()), bad.size() - 4));
  std::memcpy(bad.data() + bad.size() - 4, &crc, 4);
  ModuleCache c;
  CHECK_FALSE(c.load(bad, 0, &why));
  CHECK(why == "damaged");
}

TEST_CASE("the run state is kept and can be replaced without the entries changing", "[cache]") {
  RunState st;
  st.inputs = 0x1234567890abcdefull;
  st.outputs = {CacheKey{10, 20, 30, 40, 0, 0}, CacheKey{1, 2, 3, 4, 0, 0}};
  st.sources = {0xfeedull, 0};
  CacheWriter w(0);
  w.add(testmod("mod_a.ko"), key_of(testmod("mod_a.ko")), facts_of("mod_a.ko"));
  std::string data = w.finish();
  seal_cache(&data, st);
  std::string why;
  ModuleCache c;
  REQUIRE(c.load(data, 0, &why));
  CHECK(c.state().inputs == st.inputs);
  CHECK(c.state().outputs == st.outputs);
  CHECK(c.state().sources == st.sources);
  CHECK(c.has(testmod("mod_a.ko"), key_of(testmod("mod_a.ko"))));
  CHECK_FALSE(c.has(testmod("mod_a.ko"), CacheKey{}));
  CHECK_FALSE(c.has(testmod("mod_b.ko"), key_of(testmod("mod_b.ko"))));
  std::string body = c.take_body();
  CHECK(c.size() == 0);
  RunState other;
  other.inputs = 7;
  seal_cache(&body, other);
  ModuleCache d;
  REQUIRE(d.load(body, 0, &why));
  CHECK(d.state().inputs == 7);
  CHECK(d.state().outputs.empty());
  CHECK(d.size() == 1);
  ModuleElf e;
  CHECK(d.find(testmod("mod_a.ko"), key_of(testmod("mod_a.ko")), &e));
}

TEST_CASE("an entry whose facts do not add up is not used; the others are", "[cache]") {
  CacheWriter w(0);
  w.add("/a", CacheKey{1}, facts_of("mod_a.ko"));
  w.add("/b", CacheKey{2}, facts_of("mod_b.ko"));
  std::string data = w.finish();
  // /b's body starts after its path, its 48-byte key and the body length;
  // its second number is the pool size: one more than its strings hold.
  const std::string entry_start("\x02/b\x02\0\0\0\0\0\0\0", 11);  // path length, path, key size
  size_t at = data.find(entry_start);
  REQUIRE(at != std::string::npos);
  at += 3 + 48;
  for (int var = 0; var < 2; ++var) {  // the body length, the flags
    while (static_cast<uint8_t>(data[at]) & 0x80) ++at;
    ++at;
  }
  data[at] = static_cast<char>(data[at] ^ 1);          // the pool size's low bit
  seal_cache(&data, RunState{});
  ModuleCache c;
  std::string why;
  REQUIRE(c.load(data, 0, &why));
  ModuleElf e;
  CHECK(c.find("/a", CacheKey{1}, &e));
  require_same(e, facts_of("mod_a.ko"));
  CHECK_FALSE(c.find("/b", CacheKey{2}, &e));
  CHECK(e.exports.empty());
  CHECK(e.pool.empty());
}

TEST_CASE("a cache extended by a run counts its stale entries; a fresh one has none", "[cache]") {
  std::string why;
  ModuleCache old;
  REQUIRE(old.load(two_module_cache(), 0, &why));
  CHECK(old.stale() == 0);
  // mod_b kept, mod_a dropped, mod_c added: two entries are stale.
  CacheWriter w(0);
  w.base_on(old);
  REQUIRE(w.copy(old, testmod("mod_b.ko")));
  w.add(testmod("mod_c.ko"), key_of(testmod("mod_c.ko")), facts_of("mod_c.ko"));
  std::string data = w.finish();
  seal_cache(&data, RunState{});
  ModuleCache c;
  REQUIRE(c.load(data, 0, &why));
  CHECK(c.size() == 2);
  CHECK(c.stale() == 2);
  ModuleElf e;
  REQUIRE(c.find(testmod("mod_b.ko"), key_of(testmod("mod_b.ko")), &e));
  require_same(e, facts_of("mod_b.ko"));
  REQUIRE(c.find(testmod("mod_c.ko"), key_of(testmod("mod_c.ko")), &e));
  require_same(e, facts_of("mod_c.ko"));
  CHECK_FALSE(c.find(testmod("mod_a.ko"), key_of(testmod("mod_a.ko")), &e));
}
