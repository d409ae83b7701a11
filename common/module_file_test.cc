// SPDX-License-Identifier: GPL-2.0-or-later
// Loading module files: mapping, gzip/xz/zstd decoding and its failures.
// Compressed inputs are made from a real test module with the gzip, xz and
// zstd programs, so the decoders are checked against the real formats.
#include "common/module_file.h"

#include "common/elf_module.h"
#include "tests/test_util.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {
using namespace mng;
using mng::testing::read_bytes;
using mng::testing::testmod;
using mng::testing::TempDir;

void spit(const std::string& path, std::span<const uint8_t> b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  REQUIRE(f.good());
}

void run(const std::string& cmd) {
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

// Compressed copies of mod_a made by the real tools.  zstd reads stdin so
// that the frame carries no content size (the decoder must cope).
struct Copies {
  TempDir dir;
  std::string plain, gz, xz, zst;
  std::vector<uint8_t> original;
  Copies() {
    plain = testmod("mod_a.ko");
    original = read_bytes(plain);
    gz = dir.path + "/mod_a.ko.gz";
    xz = dir.path + "/mod_a.ko.xz";
    zst = dir.path + "/mod_a.ko.zst";
    run("gzip -n -9 -c '" + plain + "' > '" + gz + "'");
    run("xz -c --check=crc32 '" + plain + "' > '" + xz + "'");
    run("zstd -q -c < '" + plain + "' > '" + zst + "'");
  }
};

bool load(const std::string& path, ModuleBytes* b, std::string* why) { return load_module_file(path, b, why); }

}  // namespace

TEST_CASE("compression is recognised by magic bytes", "[reader]") {
  const uint8_t zst[] = {0x28, 0xB5, 0x2F, 0xFD, 0};
  const uint8_t xz[] = {0xFD, '7', 'z', 'X', 'Z', 0, 0};
  const uint8_t gz[] = {0x1F, 0x8B, 8};
  const uint8_t elf[] = {0x7F, 'E', 'L', 'F'};
  CHECK(sniff_compression(zst) == Compression::zstd);
  CHECK(sniff_compression(xz) == Compression::xz);
  CHECK(sniff_compression(gz) == Compression::gzip);
  CHECK(sniff_compression(elf) == Compression::none);
  CHECK(sniff_compression(std::span<const uint8_t>(xz, 5)) == Compression::none);  // too short for xz
  CHECK(sniff_compression({}) == Compression::none);
  CHECK(std::string(compression_name(Compression::zstd)) == "zstd");
  CHECK(std::string(compression_name(Compression::none)) == "none");
}

TEST_CASE("an uncompressed module is read unchanged", "[reader]") {
  std::string p = testmod("mod_a.ko");
  ModuleBytes b;
  std::string why;
  REQUIRE(load(p, &b, &why));
  CHECK(b.compression() == Compression::none);
  std::vector<uint8_t> want = read_bytes(p);
  REQUIRE(b.bytes().size() == want.size());
  CHECK(std::equal(want.begin(), want.end(), b.bytes().begin()));

  // Moving hands the buffer over.
  ModuleBytes moved = std::move(b);
  CHECK(b.bytes().empty());
  REQUIRE(moved.bytes().size() == want.size());
  CHECK(moved.bytes()[0] == 0x7F);
}

TEST_CASE("gzip, xz and zstd modules decompress to the original", "[reader]") {
  Copies c;
  // The zstd copy really lacks a content size, so the streaming path is used.
  std::vector<uint8_t> z = read_bytes(c.zst);
  CHECK(ZSTD_getFrameContentSize(z.data(), z.size()) == ZSTD_CONTENTSIZE_UNKNOWN);

  struct { std::string path; Compression kind; } cases[] = {
      {c.gz, Compression::gzip}, {c.xz, Compression::xz}, {c.zst, Compression::zstd}};
  for (auto& k : cases) {
    INFO(k.path);
    ModuleBytes b;
    std::string why;
    REQUIRE(load(k.path, &b, &why));
    CHECK(b.compression() == k.kind);
    REQUIRE(b.bytes().size() == c.original.size());
    CHECK(std::equal(c.original.begin(), c.original.end(), b.bytes().begin()));
    ModuleBytes moved = std::move(b);
    REQUIRE(moved.bytes().size() == c.original.size());
    CHECK(std::equal(c.original.begin(), c.original.end(), moved.bytes().begin()));
  }
}

TEST_CASE("concatenated gzip members and xz/zstd streams are read whole", "[reader]") {
  Copies c;
  std::string half = c.dir.path + "/half";
  std::string out = c.dir.path + "/cat";
  size_t h = c.original.size() / 2;
  spit(half + "1", std::span(c.original).first(h));
  spit(half + "2", std::span(c.original).subspan(h));
  for (const char* tool : {"gzip -n -c", "xz -c", "zstd -q -c"}) {
    INFO(tool);
    run(std::string(tool) + " '" + half + "1' > '" + out + "' && " + tool + " '" + half + "2' >> '" + out + "'");
    ModuleBytes b;
    std::string why;
    REQUIRE(load(out, &b, &why));
    REQUIRE(b.bytes().size() == c.original.size());
    CHECK(std::equal(c.original.begin(), c.original.end(), b.bytes().begin()));
  }
}

TEST_CASE("file errors are reported, not crashed on", "[reader]") {
  TempDir d;
  ModuleBytes b;
  std::string why;
  CHECK_FALSE(load(d.path + "/nope.ko", &b, &why));
  CHECK(why == "No such file or directory");

  spit(d.path + "/empty.ko", {});
  CHECK_FALSE(load(d.path + "/empty.ko", &b, &why));
  CHECK(why == "empty file");

  CHECK_FALSE(load(d.path, &b, &why));
  CHECK_FALSE(why.empty());

  // A compressed file holding nothing is as useless as an empty one.
  run("printf '' | gzip -n -c > '" + d.path + "/e.ko.gz'");
  CHECK_FALSE(load(d.path + "/e.ko.gz", &b, &why));
  CHECK(why == "empty gzip stream");
}

TEST_CASE("a FIFO or a device named as a module is refused before any read", "[reader]") {
  TempDir d;
  ModuleBytes b;
  std::string why;
  // No writer: a blocking open would wait for ever.
  REQUIRE(mkfifo((d.path + "/fifo.ko").c_str(), 0600) == 0);
  CHECK_FALSE(load(d.path + "/fifo.ko", &b, &why));
  CHECK(why == "not a regular file");
  CHECK_FALSE(load("/dev/zero", &b, &why));
  CHECK(why == "not a regular file");
}

TEST_CASE("truncated compressed modules fail with a reason", "[reader]") {
  Copies c;
  struct { std::string path; const char* want; } cases[] = {
      {c.gz, "truncated gzip stream"}, {c.xz, "truncated xz stream"}, {c.zst, "truncated zstd stream"}};
  for (auto& k : cases) {
    std::vector<uint8_t> full = read_bytes(k.path);
    REQUIRE(full.size() > 100);
    Compression kind = sniff_compression(full);
    size_t step = full.size() / 97 + 1;
    int named = 0;
    for (size_t len = 0; len < full.size(); len += (len < 64 || len + 64 > full.size()) ? 1 : step) {
      INFO(k.path << " cut to " << len << " bytes");
      std::vector<uint8_t> out;
      std::string why;
      CHECK_FALSE(decompress(std::span(full).first(len), kind, &out, &why));
      CHECK_FALSE(why.empty());
      CHECK(out.empty());
      named += why == k.want;
    }
    // Most cuts land inside the compressed data and are called truncation.
    CHECK(named > 100);
    // Through the file loader too.
    std::string cut = c.dir.path + "/cut";
    spit(cut, std::span(full).first(full.size() / 2));
    ModuleBytes b;
    std::string why;
    CHECK_FALSE(load(cut, &b, &why));
    CHECK(why == k.want);
  }
}

TEST_CASE("corrupted compressed modules fail", "[reader]") {
  Copies c;
  for (const std::string& path : {c.gz, c.xz, c.zst}) {
    std::vector<uint8_t> full = read_bytes(path);
    Compression kind = sniff_compression(full);
    std::mt19937 rng(1234);
    // Flip bytes inside the compressed payload: the checksums (CRC32,
    // CRC32, XXH64) or the decoders themselves must notice every time.
    for (int i = 0; i < 200; ++i) {
      std::vector<uint8_t> bad = full;
      size_t pos = 32 + rng() % (full.size() - 64);
      bad[pos] ^= static_cast<uint8_t>(1 + rng() % 255);
      INFO(path << " byte " << pos << " changed");
      std::vector<uint8_t> out;
      std::string why;
      CHECK_FALSE(decompress(bad, kind, &out, &why));
      CHECK_FALSE(why.empty());
    }
  }
  std::vector<uint8_t> junk(4096, 0x55);
  junk[0] = 0x1F, junk[1] = 0x8B;
  std::vector<uint8_t> out;
  std::string why;
  CHECK_FALSE(decompress(junk, Compression::gzip, &out, &why));
  CHECK(why.starts_with("gzip: corrupt data"));
  junk[0] = 0xFD, junk[1] = '7', junk[2] = 'z', junk[3] = 'X', junk[4] = 'Z', junk[5] = 0;
  CHECK_FALSE(decompress(junk, Compression::xz, &out, &why));
  CHECK(why.starts_with("xz: "));
  junk[0] = 0x28, junk[1] = 0xB5, junk[2] = 0x2F, junk[3] = 0xFD;
  CHECK_FALSE(decompress(junk, Compression::zstd, &out, &why));
  CHECK(why.starts_with("zstd: "));
}

TEST_CASE("decompression stops at the size bound", "[reader]") {
  TempDir d;
  // 8 MiB of zeros shrinks to a few KiB: a miniature decompression bomb.
  std::string zeros = d.path + "/zeros";
  run("head -c 8388608 /dev/zero > '" + zeros + "'");
  run("gzip -n -c '" + zeros + "' > '" + zeros + ".gz' && xz -c '" + zeros + "' > '" + zeros +
      ".xz' && zstd -q -c < '" + zeros + "' > '" + zeros + ".zst'");
  for (const char* ext : {".gz", ".xz", ".zst"}) {
    INFO(ext);
    std::vector<uint8_t> in = read_bytes(zeros + ext);
    REQUIRE(in.size() < 1024 * 1024);
    Compression kind = sniff_compression(in);
    std::vector<uint8_t> out;
    std::string why;
    CHECK_FALSE(decompress(in, kind, &out, &why, 1 << 20));
    CHECK(why == "decompressed size exceeds 1 MiB");
    CHECK(out.empty());
    // Exactly at the bound is fine.
    REQUIRE(decompress(in, kind, &out, &why, 8 << 20));
    CHECK(out.size() == 8u << 20);
    CHECK_FALSE(decompress(in, kind, &out, &why, (8 << 20) - 1));
    // The default bound is far above any real module.
    REQUIRE(decompress(in, kind, &out, &why));
    CHECK(out.size() == 8u << 20);
    // A thread's narrower bound applies to what it decompresses, and to
    // whole modules read from files, until it goes out of scope.
    {
      ModuleMemoryLimit share(4 << 20);
      CHECK(module_memory_limit() == 4u << 20);
      CHECK_FALSE(decompress(in, kind, &out, &why));
      CHECK(why == "decompressed size exceeds 4 MiB");
      CHECK(is_over_memory_limit(why));
      ModuleBytes bytes;
      CHECK_FALSE(load_module_file(zeros + ext, &bytes, &why));
      CHECK(is_over_memory_limit(why));
      ModuleElf elf;
      CHECK_FALSE(read_module_elf(zeros + ext, &elf, &why));
      CHECK(is_over_memory_limit(why));
    }
    CHECK(module_memory_limit() == kMaxDecompressedSize);
    CHECK_FALSE(is_over_memory_limit("not an ELF file"));
  }
  // Far below the 1 GiB it once was: a handful of threads each decompressing
  // a bomb cannot take the machine's memory.
  CHECK(kMaxDecompressedSize == size_t{96} << 20);
}

TEST_CASE("an uncompressed file is never read beyond the memory bound", "[reader]") {
  TempDir d;
  std::string big = d.path + "/big.ko";
  // A real module followed by zeros: the parser's ranges stay small, so it
  // parses under a small bound, but reading it whole does not fit.
  run("cat '" + testmod("mod_a.ko") + "' > '" + big + "' && head -c 8388608 /dev/zero >> '" + big + "'");
  ModuleElf elf;
  std::string why;
  {
    ModuleMemoryLimit share(1 << 20);
    REQUIRE(read_module_elf(big, &elf, &why));
  }
  ModuleMemoryLimit tiny(1024);
  CHECK_FALSE(read_module_elf(big, &elf, &why));
  CHECK(why == "reading it needs more than 1024 bytes");
  CHECK(is_over_memory_limit(why));
}
