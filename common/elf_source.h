// Where the ELF parser gets its bytes from: an image already in memory,
// or a file read piecewise with pread (see elf_file_source.cc).  Internal
// to the module reader; other code uses common/elf_module.h.
#pragma once
#include <cstdint>
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

// The parser behind parse_module_elf and read_module_elf.
bool parse_module_source(ElfSource& src, ModuleElf* out, std::string* why, char sym_prefix);

}  // namespace mng
