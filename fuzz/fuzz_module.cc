// Fuzz target: one module file as depmod and modprobe read it - magic
// sniffing, gzip/xz/zstd decompression, then the ELF parser; and for
// uncompressed input also depmod's way, read_module_elf() on a file
// (pread of the parts it needs), which must agree with the mapped parse.
//
// Invariants checked beyond "no crash, no sanitizer report":
//  - a failure always comes with a reason;
//  - every string reference of a successful parse lies inside the pool;
//  - decompression never returns more than the bound it was given;
//  - read_module_elf and load_module_file + parse_module_elf give the same
//    answer (as common/elf_module.h promises).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/elf_module.h"
#include "common/module_file.h"
#include "fuzz/fuzz_util.h"

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

std::string flatten(const mng::ModuleElf& e) {
  std::string o = std::to_string(e.is_64bit) + std::to_string(e.big_endian) + std::to_string(e.machine) + "\n";
  for (auto& x : e.exports) o += "E " + std::string(e.str(x.name)) + " " + std::to_string(x.crc) + "\n";
  for (auto& x : e.imports) o += "I " + std::string(e.str(x.name)) + " " + std::to_string(x.crc) + (x.weak ? " w\n" : "\n");
  for (auto& x : e.modinfo) o += "M " + std::string(e.str(x.key)) + "=" + std::string(e.str(x.value)) + "\n";
  return o;
}

// The input as a file: an anonymous memory file, opened through /proc.
std::string as_file(std::span<const uint8_t> in) {
  static int fd = -1;
  if (fd < 0) fd = memfd_create("fuzz-module", MFD_CLOEXEC);
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

// depmod's reader against the generic one, on the same file.
void compare_file_readers(std::span<const uint8_t> in) {
  std::string path = as_file(in);
  mng::ModuleElf a, b;
  std::string why_a, why_b;
  bool ok_a = mng::read_module_elf(path, &a, &why_a);
  mng::ModuleBytes bytes;
  bool ok_b = mng::load_module_file(path, &bytes, &why_b) && mng::parse_module_elf(bytes.bytes(), &b, &why_b);
  FUZZ_CHECK(ok_a == ok_b);
  if (ok_a) {
    check_refs(a);
    FUZZ_CHECK(flatten(a) == flatten(b));
  } else {
    FUZZ_CHECK(!why_a.empty());
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  std::span<const uint8_t> in(data, size);
  mng::Compression c = mng::sniff_compression(in);
  FUZZ_CHECK(mng::compression_name(c)[0] != '?');

  std::vector<uint8_t> buf;
  std::string why;
  std::span<const uint8_t> image = in;
  if (c != mng::Compression::none) {
    if (!mng::decompress(in, c, &buf, &why, kFuzzMaxDecompressed)) {
      FUZZ_CHECK(!why.empty());
      FUZZ_CHECK(buf.empty());
      return 0;
    }
    FUZZ_CHECK(buf.size() <= kFuzzMaxDecompressed);
    image = buf;
  }

  mng::ModuleElf elf;
  why.clear();
  if (mng::parse_module_elf(image, &elf, &why)) {
    check_refs(elf);
  } else {
    FUZZ_CHECK(!why.empty());
    FUZZ_CHECK(elf.exports.empty() && elf.imports.empty() && elf.modinfo.empty());
  }
  if (c == mng::Compression::none) compare_file_readers(in);
  // depmod -P: the prefix-stripping paths.
  why.clear();
  if (mng::parse_module_elf(image, &elf, &why, '_')) check_refs(elf);
  else FUZZ_CHECK(!why.empty());
  return 0;
}
