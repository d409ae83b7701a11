// SPDX-License-Identifier: GPL-2.0-or-later
// Where the ELF parser gets its bytes from: an image already in memory,
// or a file read piecewise with pread (see elf_file_source.cc), and the
// checked section table every reader in common/ starts from.  Internal to
// common/elf_*; other code uses common/elf_module.h and common/elf_image.h.
#pragma once
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/elf_module.h"

namespace mng {

class ElfSource {
 public:
  virtual ~ElfSource() = default;
  uint64_t size() const { return size_; }
  // Bytes [off, off+len), which the caller has checked lie inside size().
  // The view stays valid until the parse ends.  False with *why set on a
  // read error.
  virtual bool fetch(uint64_t off, uint64_t len, std::string_view* out, std::string* why) = 0;
  // A hint listing ranges about to be fetched, so they can be read together.
  virtual bool prefetch(std::vector<std::pair<uint64_t, uint64_t>>& /*ranges*/, std::string* /*why*/) { return true; }

 protected:
  uint64_t size_ = 0;
};

class SpanSource final : public ElfSource {
 public:
  explicit SpanSource(std::span<const uint8_t> s) : p_(s.data()) { size_ = s.size(); }
  bool fetch(uint64_t off, uint64_t len, std::string_view* out, std::string*) override {
    *out = std::string_view(reinterpret_cast<const char*>(p_) + off, len);
    return true;
  }

 private:
  const uint8_t* p_;
};

// Reads integers of the file's byte order out of fetched bytes.
struct Endian {
  bool swap = false;  // file byte order differs from the host's

  template <typename T>
  T get(std::string_view v, size_t off) const {  // caller guarantees off + sizeof(T) <= v.size()
    T x;
    std::memcpy(&x, v.data() + off, sizeof x);
    if (swap) {
      if constexpr (sizeof(T) == 2) x = __builtin_bswap16(x);
      if constexpr (sizeof(T) == 4) x = __builtin_bswap32(x);
      if constexpr (sizeof(T) == 8) x = __builtin_bswap64(x);
    }
    return x;
  }
  uint16_t u16(std::string_view v, size_t off) const { return get<uint16_t>(v, off); }
  uint32_t u32(std::string_view v, size_t off) const { return get<uint32_t>(v, off); }
  uint64_t u64(std::string_view v, size_t off) const { return get<uint64_t>(v, off); }
};

// off + len <= n without overflow.
inline bool fits(uint64_t off, uint64_t len, uint64_t n) { return off <= n && len <= n - off; }

// One section header, decoded.
struct Section {
  uint64_t off = 0;
  uint64_t size = 0;
  uint64_t flags = 0;
  uint64_t header = 0;  // file offset of the header itself
  uint32_t name = 0;
  uint32_t type = 0;
  uint32_t link = 0;
  bool found = false;
};

// The checked ELF header and section header table of an image.  After
// read_section_table succeeds: the table lies inside the file, the name
// table is NUL-terminated, and every section other than 0 has its name
// inside the name table and, unless SHT_NOBITS, its data inside the file.
struct SectionTable {
  std::string_view tab;    // the section headers, fetched
  std::string_view names;  // the section name table, fetched
  Endian e;
  bool is64 = false;
  bool big_endian = false;
  uint16_t machine = 0;
  uint64_t shoff = 0;
  uint32_t count = 0;
  uint32_t entsize = 0;

  Section read(uint32_t i) const;  // i < count (or 0 while counting)
  const char* name(const Section& s) const { return names.data() + s.name; }  // s from read(i), i >= 1
};

// Fills *T from SRC; false with *why set (the reasons depmod prints).
bool read_section_table(ElfSource& src, SectionTable* t, std::string* why);

// The parser behind parse_module_elf and read_module_elf.
bool parse_module_source(ElfSource& src, ModuleElf* out, std::string* why, char sym_prefix);

}  // namespace mng
