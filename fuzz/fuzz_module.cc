// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: one module file as depmod and modprobe read it - magic
// sniffing, gzip/xz/zstd decompression, then the ELF parser - and a
// differential oracle between the ways of reading a module file:
//   (a) load_module_file (map or decompress the whole file) +
//       parse_module_elf, as modprobe does;
//   (b) read_module_elf, which preads only the sections it needs, as
//       depmod does;
//   (c) the independent reader on libelf (tests/libelf_module.h), on the
//       bytes (elf_memory) and, uncompressed, on the file (ELF_C_READ).
// They run on the input written to a memfd (and, uncompressed, again with
// zeros appended so that (b) reads piecewise), with and without depmod -P.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - a failure always comes with a reason and leaves no half-filled result;
//  - every string reference of a successful parse lies inside the pool;
//  - decompression never returns more than the bound it was given;
//  - (a) and (b) agree: same success, same reason for a failure, and on
//    success the same class, byte order, machine, exports with CRCs,
//    imports with CRCs and weakness, and modinfo (aliases, softdeps,
//    weakdeps, depends, ...) in the same order;
//  - whatever libelf accepts, (a) accepts too, with the same fields (libelf
//    may reject more: it has rules of its own).
// A disagreement traps.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "common/elf_module.h"
#include "common/module_file.h"
#include "fuzz/fuzz_util.h"
#include "tests/libelf_module.h"

// The readers disagree: say where, then trap (libFuzzer keeps the input).
#define DIFF_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: readers disagree: %s\n", __FILE__, __LINE__, #cond); \
      __builtin_trap();                                                                \
    }                                                                                  \
  } while (0)

namespace {
// Small enough to keep each run fast, far above any real module's ratio.
constexpr size_t kFuzzMaxDecompressed = size_t{16} << 20;

void check_refs(const mng::ModuleElf& m) {
  auto inside = [&](mng::StrRef r) { return uint64_t(r.off) + r.len <= m.pool.size(); };
  for (const auto& e : m.exports) FUZZ_CHECK(inside(e.name));
  for (const auto& i : m.imports) FUZZ_CHECK(inside(i.name));
  for (const auto& i : m.modinfo) FUZZ_CHECK(inside(i.key) && inside(i.value));
  // Reading every string through the public accessor, so ASan sees it.
  size_t sum = 0;
  for (const auto& e : m.exports) sum += m.str(e.name).size();
  for (const auto& i : m.imports) sum += m.str(i.name).size();
  for (const auto& i : m.modinfo) sum += m.str(i.key).size() + m.str(i.value).size();
  FUZZ_CHECK(sum <= m.pool.size() * 2 + 1);
}

void check_failed(const mng::ModuleElf& m, const std::string& why) {
  FUZZ_CHECK(!why.empty());
  FUZZ_CHECK(m.exports.empty() && m.imports.empty() && m.modinfo.empty());
}

// Every field of two successful parses, compared by value (the pools may
// be laid out differently; only the strings they hold matter).
void check_same(const mng::ModuleElf& a, const mng::ModuleElf& b) {
  std::string d = mng::libelf::first_difference(a, b);
  if (!d.empty()) std::fprintf(stderr, "first difference: %s\n", d.c_str());
  DIFF_CHECK(d.empty());
}

// The libelf reader's result RES (true: it accepted) against REF, the
// parse of the same bytes by ours (OK_REF).
void check_libelf(bool res, const mng::ModuleElf& elf, const std::string& why, bool ok_ref,
                  const mng::ModuleElf& ref) {
  if (!res) {
    check_failed(elf, why);
    return;
  }
  check_refs(elf);
  DIFF_CHECK(ok_ref);
  check_same(elf, ref);
}

// The input as a file: one anonymous memory file for the whole run,
// emptied and rewritten for each input, opened through /proc.
std::string as_file(std::span<const uint8_t> in) {
  static int fd = memfd_create("fuzz-module", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  FUZZ_CHECK(ftruncate(fd, 0) == 0);
  size_t done = 0;
  while (done < in.size()) {
    ssize_t n = pwrite(fd, in.data() + done, in.size() - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0);
    done += static_cast<size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

// Both file readers on PATH against each other and against REF, the parse
// of the (decompressed) bytes.  A's result is kept from one input to the
// next, so state left over from an earlier read would show up as a
// difference.
void compare_file_readers(const std::string& path, char prefix, bool ok_ref, const mng::ModuleElf& ref,
                          const std::string& why_ref) {
  static mng::ModuleElf a;
  mng::ModuleElf b;
  std::string why_a, why_b;
  bool ok_a = mng::read_module_elf(path, &a, &why_a, prefix);
  mng::ModuleBytes bytes;
  bool ok_b = mng::load_module_file(path, &bytes, &why_b) && mng::parse_module_elf(bytes.bytes(), &b, &why_b, prefix);
  if (!ok_a) check_failed(a, why_a);
  if (!ok_b) check_failed(b, why_b);
  DIFF_CHECK(ok_a == ok_b);
  DIFF_CHECK(ok_a == ok_ref);
  if (ok_a) {
    check_refs(a);
    check_same(a, b);
    check_same(a, ref);
  } else {
    DIFF_CHECK(why_a == why_b);
    // Unless the loader refused the file itself (empty file, empty
    // decompressed stream), the reason is the parser's.
    if (!bytes.bytes().empty()) DIFF_CHECK(why_a == why_ref);
  }
}

// The checks on one file and its (decompressed) contents.
void check_readers(std::span<const uint8_t> file, std::span<const uint8_t> image) {
  std::string path = as_file(file);
  for (char prefix : {'\0', '_'}) {  // '_': depmod -P, the prefix-stripping paths
    mng::ModuleElf elf;
    std::string why;
    bool ok = mng::parse_module_elf(image, &elf, &why, prefix);
    if (ok) check_refs(elf);
    else check_failed(elf, why);
    compare_file_readers(path, prefix, ok, elf, why);

    mng::ModuleElf lib;
    std::string why_lib;
    check_libelf(mng::libelf::parse_module(image, &lib, &why_lib, prefix), lib, why_lib, ok, elf);
    if (file.data() == image.data()) {  // uncompressed: libelf reads the file itself
      check_libelf(mng::libelf::read_module(path, &lib, &why_lib, prefix), lib, why_lib, ok, elf);
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::span<const uint8_t> in(data, size);
  mng::Compression c = mng::sniff_compression(in);
  FUZZ_CHECK(mng::compression_name(c)[0] != '?');

  if (c == mng::Compression::none) {
    check_readers(in, in);
    // read_module_elf reads a file of up to 16 KiB in one go (most inputs
    // are smaller; real-size seeds are read piecewise already).  Followed
    // by zeros (more than that plus the prefetch merge gap) the same input
    // is read piecewise: header first, then the ranges the parser asks
    // for, with look-behind and merged prefetches.
    std::vector<uint8_t> padded(in.begin(), in.end());
    padded.resize(size + 40000);
    check_readers(padded, padded);
    return 0;
  }

  std::vector<uint8_t> buf;
  std::string why;
  if (!mng::decompress(in, c, &buf, &why, kFuzzMaxDecompressed)) {
    FUZZ_CHECK(!why.empty());
    FUZZ_CHECK(buf.empty());
    // The file readers are not run: they decompress up to 96 MiB, which
    // a small input can ask for, and they share this decoder anyway.
    return 0;
  }
  FUZZ_CHECK(buf.size() <= kFuzzMaxDecompressed);
  check_readers(in, buf);
  return 0;
}
