// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/module_cache.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace mng {

const char kModuleCacheName[] = "modules.cache";

namespace {

constexpr char kMagic[8] = {'M', 'N', 'G', 'D', 'E', 'P', 'C', '\n'};
constexpr uint32_t kFormat = 6;
constexpr uint32_t kByteOrderMark = 0x01020304;
constexpr size_t kHeaderSize = 8 + 4 * 4 + 3 * 8;
constexpr size_t kCountsAt = 8 + 4 * 4;
constexpr size_t kKeySize = 6 * 8;

uint32_t crc_of(std::string_view data) {
  return static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

template <typename T>
void put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_var(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

template <typename T>
T get(std::string_view data, size_t off) {
  T v;
  std::memcpy(&v, data.data() + off, sizeof v);
  return v;
}

// Reads a byte range front to back; any read past the end clears ok.
struct In {
  const char* p;
  const char* end;
  bool ok = true;

  uint64_t var() {
    // Most numbers (string numbers, counts) take one byte.
    if (p < end && !(*p & 0x80)) return static_cast<uint8_t>(*p++);
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64 && p < end; shift += 7) {
      uint8_t b = static_cast<uint8_t>(*p++);
      v |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
    ok = false;
    return 0;
  }
  std::string_view bytes(uint64_t n) {
    if (n > static_cast<uint64_t>(end - p)) {
      ok = false;
      return {};
    }
    std::string_view s(p, n);
    p += n;
    return s;
  }
  uint64_t u64() {
    std::string_view s = bytes(8);
    return ok ? get<uint64_t>(s, 0) : 0;
  }
};

CacheKey read_key(In& in) {
  CacheKey k;
  for (uint64_t* f : {&k.size, &k.ino, &k.mtime_s, &k.mtime_ns, &k.ctime_s, &k.ctime_ns}) *f = in.u64();
  return k;
}

// The facts of an entry (its body).  Every count, length and string
// number is checked against what the body and the string table hold, so
// a damaged entry is refused (and the module read again) instead of
// being read past its end.
bool read_facts(In& in, const std::vector<std::string_view>& strings, ModuleElf* out) {
  const uint64_t flags = in.var(), pool_len = in.var(), n_exports = in.var(), n_imports = in.var(),
                 n_fields = in.var();
  // Each record takes at least two bytes.
  const uint64_t room = static_cast<uint64_t>(in.end - in.p) / 2;
  if (!in.ok || n_exports > room || n_imports > room || n_fields > room || n_exports + n_imports + n_fields > room ||
      pool_len > 0xffffffffu)
    return false;
  // The pool is filled in place: POOL_LEN is what the strings add up to.
  out->pool.resize(pool_len);
  size_t used = 0;
  auto str = [&](uint64_t id) {
    if (id >= strings.size() || strings[id].size() > pool_len - used) {
      in.ok = false;
      return StrRef{};
    }
    StrRef r{static_cast<uint32_t>(used), static_cast<uint32_t>(strings[id].size())};
    std::memcpy(out->pool.data() + used, strings[id].data(), r.len);
    used += r.len;
    return r;
  };
  out->exports.resize(n_exports);
  out->imports.resize(n_imports);
  out->modinfo.resize(n_fields);
  out->is_64bit = flags & 1;
  out->big_endian = flags & 2;
  out->machine = static_cast<uint16_t>(flags >> 2);
  for (uint64_t i = 0; i < n_exports && in.ok; ++i) {
    ExportedSymbol& ex = out->exports[i];
    ex.name = str(in.var());
    ex.crc = in.var();
  }
  for (uint64_t i = 0; i < n_fields && in.ok; ++i) {
    ModInfo& mi = out->modinfo[i];
    mi.key = str(in.var());
    mi.value = str(in.var());
  }
  for (uint64_t i = 0; i < n_imports && in.ok; ++i) {
    ImportedSymbol& im = out->imports[i];
    uint64_t v = in.var();
    im.name = str(v >> 1);
    im.weak = v & 1;
    im.crc = in.var();
  }
  return in.ok && used == pool_len && in.p == in.end;
}

}  // namespace

void keep_depmod_facts(ModuleElf* e) {
  std::string pool;
  pool.reserve(e->pool.size());
  auto keep = [&](StrRef r) {
    StrRef n{static_cast<uint32_t>(pool.size()), r.len};
    pool.append(e->pool, r.off, r.len);
    return n;
  };
  for (auto& ex : e->exports) ex.name = keep(ex.name);
  size_t kept = 0;
  for (const ModInfo& mi : e->modinfo) {
    std::string_view k = e->str(mi.key);
    if (k != "alias" && k != "softdep" && k != "weakdep") continue;
    e->modinfo[kept++] = {keep(mi.key), keep(mi.value)};
  }
  e->modinfo.resize(kept);
  e->modinfo.shrink_to_fit();
  e->modinfo_section = {};  // the whole section is modinfo's, not depmod's
  for (auto& im : e->imports) im.name = keep(im.name);
  pool.shrink_to_fit();
  e->pool = std::move(pool);
}

void drop_imports(ModuleElf* e) {
  if (e->imports.empty()) return;
  size_t end = 0;
  for (const auto& ex : e->exports) end = std::max<size_t>(end, size_t{ex.name.off} + ex.name.len);
  for (const auto& mi : e->modinfo) end = std::max<size_t>(end, size_t{mi.value.off} + mi.value.len);
  std::vector<ImportedSymbol>().swap(e->imports);
  e->pool.resize(end);
  e->pool.shrink_to_fit();
}

CacheKey cache_key(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_size),         static_cast<uint64_t>(st.st_ino),
          static_cast<uint64_t>(st.st_mtim.tv_sec),  static_cast<uint64_t>(st.st_mtim.tv_nsec),
          static_cast<uint64_t>(st.st_ctim.tv_sec),  static_cast<uint64_t>(st.st_ctim.tv_nsec)};
}

bool ModuleCache::load(std::string data, char prefix, std::string* why) {
  index_.clear();
  strings_.clear();
  data_ = std::move(data);
  auto fail = [&](const char* reason) {
    *why = reason;
    data_.clear();
    strings_.clear();
    index_.clear();
    return false;
  };
  if (data_.size() < kHeaderSize + 4) return fail("truncated");
  if (std::memcmp(data_.data(), kMagic, sizeof kMagic) != 0) return fail("not a depmod cache");
  if (get<uint32_t>(data_, 12) != kByteOrderMark) return fail("written for another byte order");
  if (get<uint32_t>(data_, 8) != kFormat) return fail("another cache format");
  if (get<uint32_t>(data_, 16) != kModuleReaderVersion) return fail("written by another module reader");
  if (get<uint32_t>(data_, 20) != static_cast<unsigned char>(prefix)) return fail("written for another -P prefix");
  const size_t end = data_.size() - 4;
  if (crc_of(std::string_view(data_).substr(0, end)) != get<uint32_t>(data_, end)) return fail("checksum mismatch");
  stale_ = get<uint64_t>(data_, kCountsAt + 16);
  if (!check(end, get<uint64_t>(data_, kCountsAt), get<uint64_t>(data_, kCountsAt + 8))) return fail("damaged");
  return true;
}

// The strings, the entries' paths, keys and lengths and the state are
// checked here; an entry's facts when find() reads them (read_facts).
bool ModuleCache::check(size_t end, uint64_t n_strings, uint64_t n_entries) {
  In in{data_.data() + kHeaderSize, data_.data() + end};
  if (n_strings > end || n_entries > end) return false;
  strings_.reserve(n_strings);
  for (uint64_t i = 0; i < n_strings && in.ok; ++i) strings_.push_back(in.bytes(in.var()));
  strings_end_ = static_cast<size_t>(in.p - data_.data());
  index_.reserve(n_entries);
  for (uint64_t i = 0; i < n_entries && in.ok; ++i) {
    size_t at = static_cast<size_t>(in.p - data_.data());
    std::string_view path = in.bytes(in.var());
    in.bytes(kKeySize);
    in.bytes(in.var());
    if (!in.ok) return false;
    if (!index_.emplace(path, Entry{at, static_cast<size_t>(in.p - data_.data())}).second) return false;
  }
  state_begin_ = static_cast<size_t>(in.p - data_.data());
  if (static_cast<size_t>(in.end - in.p) < 16) return false;
  state_.inputs = get<uint64_t>(data_, state_begin_);
  uint64_t n_out = get<uint64_t>(data_, state_begin_ + 8);
  if (n_out > 64 || static_cast<size_t>(in.end - in.p) != 16 + n_out * 40) return false;
  state_.outputs.resize(n_out);
  state_.sources.resize(n_out);
  for (uint64_t i = 0; i < n_out; ++i) {
    CacheKey& k = state_.outputs[i];
    size_t at = state_begin_ + 16 + i * 40;
    k.size = get<uint64_t>(data_, at), k.ino = get<uint64_t>(data_, at + 8);
    k.mtime_s = get<uint64_t>(data_, at + 16), k.mtime_ns = get<uint64_t>(data_, at + 24);
    state_.sources[i] = get<uint64_t>(data_, at + 32);
  }
  return in.ok;
}

bool ModuleCache::find(std::string_view path, const CacheKey& key, ModuleElf* out) const {
  auto it = index_.find(path);
  if (it == index_.end()) return false;
  In in{data_.data() + it->second.begin, data_.data() + it->second.end};
  in.bytes(in.var());
  if (!(read_key(in) == key)) return false;
  in.var();  // the body's length: the entry ends with it
  if (read_facts(in, strings_, out)) return true;
  clear_module_elf(out);
  return false;
}

bool ModuleCache::has(std::string_view path, const CacheKey& key) const {
  auto it = index_.find(path);
  if (it == index_.end()) return false;
  In in{data_.data() + it->second.begin, data_.data() + it->second.end};
  in.bytes(in.var());
  return read_key(in) == key;
}

std::string ModuleCache::take_body() {
  std::string body = std::move(data_);
  body.resize(state_begin_);
  *this = ModuleCache();
  return body;
}

void seal_cache(std::string* body, const RunState& state) {
  *body += cache_tail(cache_body_crc(*body), state);
}

uint32_t cache_body_crc(std::string_view body) { return crc_of(body); }

std::string cache_tail(uint32_t body_crc, const RunState& state) {
  std::string tail;
  put<uint64_t>(&tail, state.inputs);
  put<uint64_t>(&tail, state.outputs.size());
  for (size_t i = 0; i < state.outputs.size(); ++i) {
    const CacheKey& k = state.outputs[i];
    for (uint64_t v : {k.size, k.ino, k.mtime_s, k.mtime_ns}) put(&tail, v);
    put<uint64_t>(&tail, i < state.sources.size() ? state.sources[i] : 0);
  }
  // CRC-32 continues over the tail as if body and tail were one string.
  put<uint32_t>(&tail, static_cast<uint32_t>(
                           crc32_z(body_crc, reinterpret_cast<const Bytef*>(tail.data()), tail.size())));
  return tail;
}

uint64_t CacheWriter::id(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  put_var(&strings_, s.size());
  strings_.append(s);
  owned_.emplace_back(s);
  return ids_.emplace(owned_.back(), next_++).first->second;
}

// The old strings are taken as they are, without numbering them for
// reuse: a new entry's strings are added after them (once each among the
// new ones).  The stale count grows by the entries added, dropped or
// replaced, and past a limit the caller writes a fresh cache.  Nothing is
// copied before finish(): the old file's bytes go to the new one there,
// off the run's critical path.
void CacheWriter::base_on(const ModuleCache& old) {
  base_ = &old;
  next_ = old.strings_.size();
  stale_ = old.stale_ + old.size();
}

bool CacheWriter::copy(const ModuleCache& old, std::string_view path) {
  auto it = old.index_.find(path);
  if (&old != base_ || it == old.index_.end()) return false;
  copied_.push_back({it->second.begin, it->second.end});
  ++count_;
  --stale_;
  return true;
}

void CacheWriter::add(std::string_view path, const CacheKey& key, const ModuleElf& e) {
  put_var(&entries_, path.size());
  entries_.append(path);
  for (uint64_t v : {key.size, key.ino, key.mtime_s, key.mtime_ns, key.ctime_s, key.ctime_ns}) put(&entries_, v);
  std::string& o = body_;
  o.clear();
  put_var(&o, uint64_t{e.is_64bit} | uint64_t{e.big_endian} << 1 | uint64_t{e.machine} << 2);
  put_var(&o, e.pool.size());
  for (size_t n : {e.exports.size(), e.imports.size(), e.modinfo.size()}) put_var(&o, n);
  for (const auto& ex : e.exports) put_var(&o, id(e.str(ex.name))), put_var(&o, ex.crc);
  for (const auto& mi : e.modinfo) put_var(&o, id(e.str(mi.key))), put_var(&o, id(e.str(mi.value)));
  for (const auto& im : e.imports) put_var(&o, id(e.str(im.name)) << 1 | im.weak), put_var(&o, im.crc);
  put_var(&entries_, o.size());
  entries_ += o;
  ++count_;
  if (base_) ++stale_;  // a fresh cache (not based on an old one) has none
}

std::string CacheWriter::finish() {
  // The string numbers are no longer needed; each part is freed once copied.
  decltype(ids_)().swap(ids_);
  decltype(owned_)().swap(owned_);
  std::string out;
  size_t size = kHeaderSize + strings_.size() + entries_.size() + 16 + 40 * 16 + 4;
  if (base_) size += base_->strings_end_ - kHeaderSize;
  for (const auto& [begin, end] : copied_) size += end - begin;
  out.reserve(size);
  out.append(kMagic, sizeof kMagic);
  for (uint32_t v : {kFormat, kByteOrderMark, kModuleReaderVersion, uint32_t{static_cast<unsigned char>(prefix_)}})
    put(&out, v);
  put<uint64_t>(&out, next_);
  put<uint64_t>(&out, count_);
  put<uint64_t>(&out, stale_);
  if (base_) out.append(base_->data_, kHeaderSize, base_->strings_end_ - kHeaderSize);
  out += strings_;
  std::string().swap(strings_);
  for (const auto& [begin, end] : copied_) out.append(base_->data_, begin, end - begin);
  decltype(copied_)().swap(copied_);
  out += entries_;
  std::string().swap(entries_);
  count_ = next_ = stale_ = 0;
  base_ = nullptr;
  return out;
}

}  // namespace mng
