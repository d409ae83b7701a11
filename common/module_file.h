// SPDX-License-Identifier: GPL-2.0-or-later
// Reading a module file into memory: uncompressed files are read whole,
// gzip/xz/zstd files are decompressed into a heap buffer.
// The compression is recognised by magic bytes, never by the file name.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

enum class Compression { none, gzip, xz, zstd };

// Looks at the first bytes only.
Compression sniff_compression(std::span<const uint8_t> head);
const char* compression_name(Compression c);  // "none", "gzip", "xz", "zstd"

// The bytes of one module, in a buffer it owns.  Move-only.
class ModuleBytes {
 public:
  ModuleBytes() = default;
  ModuleBytes(ModuleBytes&& o) noexcept;
  ModuleBytes& operator=(ModuleBytes&& o) noexcept;
  ModuleBytes(const ModuleBytes&) = delete;
  ModuleBytes& operator=(const ModuleBytes&) = delete;

  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  Compression compression() const { return compression_; }

  // Internal constructors used by the loader: a file as read, or what
  // decompressing it gave.
  static ModuleBytes owned(std::string text);
  static ModuleBytes owned(std::vector<uint8_t> buf, Compression c);

 private:
  void reset();
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::vector<uint8_t> buf_;
  std::string text_;
  Compression compression_ = Compression::none;
};

// Loads PATH.  On failure returns false and sets *why to a short reason
// without the path ("empty file", "truncated xz stream", "No such file or
// directory", ...); callers prefix the file name.
bool load_module_file(const std::string& path, ModuleBytes* out, std::string* why);

// Decompresses a whole in-memory image (used for files and by tests).
bool decompress(std::span<const uint8_t> in, Compression c, std::vector<uint8_t>* out, std::string* why);

// Upper bound on what one module may take in memory: its decompressed
// image, or the parts of an uncompressed file read to parse it.  A small
// hostile file cannot exhaust memory; exceeding it is reported as an
// error ("decompressed size exceeds 96 MiB").  Real modules stay far
// below (Debian 12's largest, amdgpu, is 19 MiB).  While a buffer grows
// it briefly holds 1.5 times its size, and a compressed file is read
// whole first, so one module costs at most 2.5 times the bound: 240 MiB.
inline constexpr size_t kMaxDecompressedSize = size_t{96} << 20;
// Same as above with an explicit bound (tests use a small one).
bool decompress(std::span<const uint8_t> in, Compression c, std::vector<uint8_t>* out, std::string* why,
                size_t max_size);

// The bound load_module_file, read_module_elf and decompress (without an
// explicit bound) apply on the calling thread: kMaxDecompressedSize,
// unless a ModuleMemoryLimit in force on that thread says less.  Parallel
// readers split the bound between their threads this way, so that all of
// them together stay under it too.
size_t module_memory_limit();
class ModuleMemoryLimit {
 public:
  explicit ModuleMemoryLimit(size_t bytes);
  ~ModuleMemoryLimit();
  ModuleMemoryLimit(const ModuleMemoryLimit&) = delete;
  ModuleMemoryLimit& operator=(const ModuleMemoryLimit&) = delete;

 private:
  size_t saved_;
};
// The reason a read over the bound MAX fails with ("decompressed size
// exceeds 96 MiB"; not DECOMPRESSING: "reading it needs more than 96
// MiB"), and whether WHY is one of these.
std::string over_memory_limit(size_t max, bool decompressing = true);
bool is_over_memory_limit(std::string_view why);

}  // namespace mng
