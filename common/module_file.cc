// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/module_file.h"

#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "common/file_util.h"

namespace mng {

Compression sniff_compression(std::span<const uint8_t> h) {
  if (h.size() >= 4 && h[0] == 0x28 && h[1] == 0xB5 && h[2] == 0x2F && h[3] == 0xFD) return Compression::zstd;
  if (h.size() >= 6 && h[0] == 0xFD && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' && h[5] == 0)
    return Compression::xz;
  if (h.size() >= 2 && h[0] == 0x1F && h[1] == 0x8B) return Compression::gzip;
  return Compression::none;
}

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::xz: return "xz";
    case Compression::zstd: return "zstd";
  }
  return "?";
}

// ---- ModuleBytes ----------------------------------------------------------

ModuleBytes::ModuleBytes(ModuleBytes&& o) noexcept { *this = std::move(o); }

ModuleBytes& ModuleBytes::operator=(ModuleBytes&& o) noexcept {
  if (this == &o) return *this;
  compression_ = o.compression_;
  size_ = o.size_;
  // A moved vector or string keeps its heap buffer; a string short enough
  // to live inside the object does not, so the pointer is taken afresh.
  bool in_text = !o.text_.empty();
  buf_ = std::move(o.buf_);
  text_ = std::move(o.text_);
  data_ = in_text ? reinterpret_cast<const uint8_t*>(text_.data()) : buf_.data();
  o.reset();
  return *this;
}

void ModuleBytes::reset() {
  data_ = nullptr;
  size_ = 0;
  buf_ = {};
  text_ = {};
  compression_ = Compression::none;
}

ModuleBytes ModuleBytes::owned(std::string text) {
  ModuleBytes b;
  b.text_ = std::move(text);
  b.data_ = reinterpret_cast<const uint8_t*>(b.text_.data());
  b.size_ = b.text_.size();
  return b;
}

ModuleBytes ModuleBytes::owned(std::vector<uint8_t> buf, Compression c) {
  ModuleBytes b;
  b.buf_ = std::move(buf);
  b.data_ = b.buf_.data();
  b.size_ = b.buf_.size();
  b.compression_ = c;
  return b;
}

// ---- decompression --------------------------------------------------------
namespace {

// Output buffer that grows geometrically up to a hard bound.  One byte
// beyond the bound is allowed so that "exactly max bytes" and "more than
// max bytes" can be told apart.
struct OutBuf {
  std::vector<uint8_t>* v;
  size_t max;
  size_t used = 0;

  // HINT comes from the compressed data, which may lie: never trust it
  // beyond a ratio real modules don't reach (they shrink 3-5x).
  void start(size_t hint, size_t in_size) {
    hint = std::min(hint, in_size * 64);
    hint = std::clamp<size_t>(hint, 64 * 1024, max + 1);
    v->resize(hint);
  }
  // Makes room; false once the bound has been passed.
  bool grow() {
    if (v->size() > max) return false;
    size_t n = v->size() > (max + 1) / 2 ? max + 1 : v->size() * 2;
    v->resize(n);
    return true;
  }
  bool over() const { return used > max; }
  void finish() { v->resize(used); }
};

bool gunzip(std::span<const uint8_t> in, OutBuf& ob, std::string* why) {
  // The gzip trailer holds the size modulo 2^32: a good first guess.
  size_t hint = in.size() * 4;
  if (in.size() >= 18) {
    const uint8_t* t = in.data() + in.size() - 4;
    hint = std::max<size_t>(hint, uint32_t(t[0]) | uint32_t(t[1]) << 8 | uint32_t(t[2]) << 16 | uint32_t(t[3]) << 24);
  }
  ob.start(hint, in.size());
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    *why = "gzip: cannot initialise decoder";
    return false;
  }
  size_t in_pos = 0;  // input handed to zlib so far (avail_in is only 32 bits)
  bool ok = false;
  for (;;) {
    if (zs.avail_in == 0 && in_pos < in.size()) {
      size_t n = std::min<size_t>(in.size() - in_pos, 1u << 30);
      zs.next_in = const_cast<Bytef*>(in.data() + in_pos);
      zs.avail_in = static_cast<uInt>(n);
      in_pos += n;
    }
    if (ob.used == ob.v->size() && !ob.grow()) {
      *why = over_memory_limit(ob.max);
      break;
    }
    size_t room = std::min<size_t>(ob.v->size() - ob.used, 1u << 30);
    zs.next_out = ob.v->data() + ob.used;
    zs.avail_out = static_cast<uInt>(room);
    int r = inflate(&zs, Z_NO_FLUSH);
    ob.used += room - zs.avail_out;
    if (ob.over()) {
      *why = over_memory_limit(ob.max);
      break;
    }
    if (r == Z_STREAM_END) {
      // Another gzip member may follow (like gzip -d and zlib's gzread);
      // anything else after a complete member is ignored, as gzread does.
      size_t left = zs.avail_in + (in.size() - in_pos);
      const uint8_t* next = in.data() + in.size() - left;
      if (left >= 2 && next[0] == 0x1F && next[1] == 0x8B) {
        inflateReset(&zs);
        continue;
      }
      ok = true;
      break;
    }
    if (r == Z_OK) continue;
    if (r == Z_BUF_ERROR) {
      if (zs.avail_out == 0) continue;  // only needed more room
      *why = "truncated gzip stream";
      break;
    }
    if (r == Z_DATA_ERROR || r == Z_NEED_DICT) {
      *why = std::string("gzip: corrupt data") + (zs.msg ? std::string(" (") + zs.msg + ")" : "");
    } else if (r == Z_MEM_ERROR) {
      *why = "gzip: out of memory";
    } else {
      *why = "gzip: decoder error " + std::to_string(r);
    }
    break;
  }
  inflateEnd(&zs);
  return ok;
}

bool unxz(std::span<const uint8_t> in, OutBuf& ob, std::string* why) {
  ob.start(in.size() * 4, in.size());
  lzma_stream s = LZMA_STREAM_INIT;
  // Concatenated streams are accepted, like xz -d.
  if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    *why = "xz: cannot initialise decoder";
    return false;
  }
  s.next_in = in.data();
  s.avail_in = in.size();
  bool ok = false;
  for (;;) {
    if (ob.used == ob.v->size() && !ob.grow()) {
      *why = over_memory_limit(ob.max);
      break;
    }
    size_t room = ob.v->size() - ob.used;
    s.next_out = ob.v->data() + ob.used;
    s.avail_out = room;
    // All input is present from the start, so LZMA_FINISH throughout.
    lzma_ret r = lzma_code(&s, LZMA_FINISH);
    ob.used += room - s.avail_out;
    if (ob.over()) {
      *why = over_memory_limit(ob.max);
      break;
    }
    if (r == LZMA_STREAM_END) {
      ok = true;
      break;
    }
    if (r == LZMA_OK) continue;
    if (r == LZMA_BUF_ERROR && s.avail_out == 0) continue;
    switch (r) {
      case LZMA_BUF_ERROR: *why = "truncated xz stream"; break;
      case LZMA_DATA_ERROR: *why = "xz: corrupt data"; break;
      case LZMA_FORMAT_ERROR: *why = "xz: not in xz format"; break;
      case LZMA_OPTIONS_ERROR: *why = "xz: unsupported options"; break;
      case LZMA_MEM_ERROR: *why = "xz: out of memory"; break;
      case LZMA_MEMLIMIT_ERROR: *why = "xz: memory limit reached"; break;
      default: *why = "xz: decoder error " + std::to_string(int(r)); break;
    }
    break;
  }
  lzma_end(&s);
  return ok;
}

bool unzstd(std::span<const uint8_t> in, OutBuf& ob, std::string* why) {
  size_t hint = in.size() * 4;
  unsigned long long fcs = ZSTD_getFrameContentSize(in.data(), in.size());
  if (fcs != ZSTD_CONTENTSIZE_UNKNOWN && fcs != ZSTD_CONTENTSIZE_ERROR)
    hint = fcs < ob.max ? size_t(fcs) + 1 : ob.max + 1;  // +1: room to see the end without growing
  ob.start(hint, in.size());
  // One context per thread: creating one per file costs an allocation of
  // the decoder's tables every time.
  struct Ctx {
    ZSTD_DCtx* p = ZSTD_createDCtx();
    ~Ctx() { ZSTD_freeDCtx(p); }
  };
  thread_local Ctx ctx;
  if (!ctx.p) {
    *why = "zstd: cannot initialise decoder";
    return false;
  }
  ZSTD_DCtx_reset(ctx.p, ZSTD_reset_session_only);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  size_t last = 1;  // ZSTD_decompressStream's answer: 0 when a frame is complete
  for (;;) {
    if (ob.used == ob.v->size() && !ob.grow()) {
      *why = over_memory_limit(ob.max);
      return false;
    }
    ZSTD_outBuffer obuf{ob.v->data(), ob.v->size(), ob.used};
    last = ZSTD_decompressStream(ctx.p, &obuf, &ib);
    ob.used = obuf.pos;
    if (ob.over()) {
      *why = over_memory_limit(ob.max);
      return false;
    }
    if (ZSTD_isError(last)) {
      *why = std::string("zstd: ") + ZSTD_getErrorName(last);
      return false;
    }
    if (ib.pos == ib.size) {
      if (last == 0) return true;                    // every frame complete
      if (obuf.pos < obuf.size) {                    // not held back by lack of room
        *why = "truncated zstd stream";
        return false;
      }
    }
  }
}

}  // namespace

bool decompress(std::span<const uint8_t> in, Compression c, std::vector<uint8_t>* out, std::string* why,
                size_t max_size) {
  out->clear();
  if (c == Compression::none) {
    if (in.size() > max_size) {
      *why = over_memory_limit(max_size);
      return false;
    }
    out->assign(in.begin(), in.end());
    return true;
  }
  OutBuf ob{out, max_size};
  bool ok = c == Compression::gzip ? gunzip(in, ob, why) : c == Compression::xz ? unxz(in, ob, why) : unzstd(in, ob, why);
  if (!ok) {
    out->clear();
    return false;
  }
  ob.finish();
  return true;
}

bool decompress(std::span<const uint8_t> in, Compression c, std::vector<uint8_t>* out, std::string* why) {
  return decompress(in, c, out, why, module_memory_limit());
}

namespace {
thread_local size_t memory_limit = kMaxDecompressedSize;
constexpr std::string_view kOverLimit = "decompressed size exceeds ";
constexpr std::string_view kReadOverLimit = "reading it needs more than ";
}  // namespace

size_t module_memory_limit() { return memory_limit; }

ModuleMemoryLimit::ModuleMemoryLimit(size_t bytes) : saved_(memory_limit) { memory_limit = std::min(bytes, saved_); }
ModuleMemoryLimit::~ModuleMemoryLimit() { memory_limit = saved_; }

std::string over_memory_limit(size_t max, bool decompressing) {
  std::string s(decompressing ? kOverLimit : kReadOverLimit);
  if (max % (size_t{1} << 20) == 0) return s + std::to_string(max >> 20) + " MiB";
  return s + std::to_string(max) + " bytes";
}

bool is_over_memory_limit(std::string_view why) { return why.starts_with(kOverLimit) || why.starts_with(kReadOverLimit); }

// ---- loading --------------------------------------------------------------

bool load_module_file(const std::string& path, ModuleBytes* out, std::string* why) {
  *out = ModuleBytes();
  // Read, not mapped: a file truncated in place while it is read (`cp` over
  // a module during a run) then comes out short and fails to parse, where
  // a mapping would kill the tool with SIGBUS.
  UniqueFd fd = open_read(path);
  std::string raw;
  size_t limit = module_memory_limit();
  if (!fd || !read_fd(fd.get(), path, limit, &raw)) {
    int e = errno;
    *why = e == EFBIG ? over_memory_limit(limit, false) : read_error_text(e);
    return false;
  }
  fd.reset();
  if (raw.empty()) {
    *why = "empty file";
    return false;
  }
  std::span<const uint8_t> in(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
  Compression c = sniff_compression(in);
  if (c == Compression::none) {
    *out = ModuleBytes::owned(std::move(raw));
    return true;
  }
  std::vector<uint8_t> buf;
  if (!decompress(in, c, &buf, why)) return false;
  if (buf.empty()) {
    *why = std::string("empty ") + compression_name(c) + " stream";
    return false;
  }
  *out = ModuleBytes::owned(std::move(buf), c);
  return true;
}

}  // namespace mng
