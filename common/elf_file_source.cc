// SPDX-License-Identifier: GPL-2.0-or-later
// read_module_elf: parsing a module file without mapping it.  The parser
// asks for a handful of byte ranges (ELF header, section headers, name
// table, symbol table, strings, .modinfo, __versions); they are read with
// pread into buffers reused from one module to the next.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/elf_module.h"
#include "common/elf_source.h"
#include "common/file_util.h"
#include "common/module_file.h"

namespace mng {
namespace {

// Files up to this size are read whole in one call: cheaper than several.
constexpr uint64_t kReadWhole = 16 * 1024;
// The first read: ELF header plus, in small modules, the early sections.
constexpr uint64_t kHead = 4096;
// Ranges closer than this are read together.
constexpr uint64_t kMergeGap = 16 * 1024;
// A range read on demand also takes this much before it: the section
// name table sits just before the section headers in modules.
constexpr uint64_t kLookBehind = 2048;
// Past this many reads, or once the reads add up to the file's size, the
// rest of the parse is served from one read of the whole file: a hostile
// section table can make the parser ask for many overlapping ranges (CRC
// sections, say), and reading each would cost memory and time quadratic
// in the file size where the mapped parse costs nothing.
constexpr size_t kMaxReads = 64;

bool pread_all(int fd, char* buf, uint64_t len, uint64_t off, std::string* why) {
  while (len > 0) {
    ssize_t r = pread(fd, buf, len, static_cast<off_t>(off));
    if (r < 0) {
      if (errno == EINTR) continue;
      *why = std::string("read: ") + strerror(errno);
      return false;
    }
    if (r == 0) {
      *why = "file shrank while being read";
      return false;
    }
    buf += r;
    len -= static_cast<uint64_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}

class FileSource final : public ElfSource {
 public:
  FileSource(int fd, uint64_t size) : fd_(fd) {
    size_ = size;
    arena().used = 0;
  }

  bool fetch(uint64_t off, uint64_t len, std::string_view* out, std::string* why) override {
    if (find(off, len, out)) return true;
    if (!load(off, len, kLookBehind, why)) return false;
    return find(off, len, out);
  }

  bool prefetch(std::vector<std::pair<uint64_t, uint64_t>>& ranges, std::string* why) override {
    std::sort(ranges.begin(), ranges.end());
    size_t i = 0;
    while (i < ranges.size()) {
      uint64_t lo = ranges[i].first, hi = ranges[i].first + ranges[i].second;
      for (++i; i < ranges.size() && ranges[i].first <= hi + kMergeGap; ++i)
        hi = std::max(hi, ranges[i].first + ranges[i].second);
      std::string_view v;
      if (!find(lo, hi - lo, &v) && !load(lo, hi - lo, 0, why)) return false;
    }
    return true;
  }

  // Everything read for one module stays under the thread's memory bound.
  bool read(uint64_t off, uint64_t len, std::string* why) {
    if (total_ + len > module_memory_limit()) {
      *why = over_memory_limit(module_memory_limit(), false);
      return false;
    }
    Arena& a = arena();
    if (a.used == a.chunks.size()) a.chunks.push_back(std::make_unique<Chunk>());
    Chunk& c = *a.chunks[a.used];
    c.buf.resize(len);
    if (!pread_all(fd_, c.buf.data(), len, off, why)) return false;
    c.off = off;
    ++a.used;
    total_ += len;
    return true;
  }

 private:
  struct Chunk {
    uint64_t off = 0;
    std::string buf;
  };
  // Buffers kept per thread: one parse uses a few, the next reuses them.
  struct Arena {
    std::vector<std::unique_ptr<Chunk>> chunks;
    size_t used = 0;
  };
  static Arena& arena() {
    thread_local Arena a;
    return a;
  }

  // [off, off+len) with up to BEHIND bytes before it, or the whole file.
  bool load(uint64_t off, uint64_t len, uint64_t behind, std::string* why) {
    behind = std::min(off, behind);
    if (arena().used < kMaxReads && total_ + behind + len <= size_) return read(off - behind, len + behind, why);
    return read(0, size_, why);
  }

  // Newest first: once the whole file has been read, it answers at once.
  bool find(uint64_t off, uint64_t len, std::string_view* out) const {
    Arena& a = arena();
    for (size_t i = a.used; i-- > 0;) {
      const Chunk& c = *a.chunks[i];
      if (off >= c.off && off - c.off <= c.buf.size() && len <= c.buf.size() - (off - c.off)) {
        *out = std::string_view(c.buf).substr(off - c.off, len);
        return true;
      }
    }
    return false;
  }

  int fd_;
  uint64_t total_ = 0;  // bytes read so far
};

}  // namespace

bool read_module_elf(const std::string& path, ModuleElf* out, std::string* why, char sym_prefix) {
  clear_module_elf(out);
  UniqueFd f = open_read(path);
  if (!f) {
    *why = strerror(errno);
    return false;
  }
  struct stat st;
  if (int e = regular_file_error(f.get(), &st)) {
    *why = read_error_text(e);
    return false;
  }
  if (st.st_size == 0) {
    *why = "empty file";
    return false;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  FileSource src(f.get(), size);
  if (!src.read(0, size <= kReadWhole ? size : kHead, why)) return false;
  std::string_view head;
  src.fetch(0, std::min<uint64_t>(size, 8), &head, why);
  Compression c = sniff_compression({reinterpret_cast<const uint8_t*>(head.data()), head.size()});
  if (c == Compression::none) return parse_module_source(src, out, why, sym_prefix);

  // Compressed: the decoder needs every byte anyway.
  std::string_view all;
  if (!src.fetch(0, size, &all, why)) return false;
  std::vector<uint8_t> plain;
  if (!decompress({reinterpret_cast<const uint8_t*>(all.data()), all.size()}, c, &plain, why)) return false;
  if (plain.empty()) {
    *why = std::string("empty ") + compression_name(c) + " stream";
    return false;
  }
  return parse_module_elf(plain, out, why, sym_prefix);
}

}  // namespace mng
