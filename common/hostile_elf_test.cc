// SPDX-License-Identifier: GPL-2.0-or-later
// Hostile module images beyond the reader's own tests: every byte of a
// real module overwritten in turn, damaged compressed streams, and the
// crafted inputs found while fuzzing (fuzz/fuzz_module.cc).  The point is
// "an error with a reason, never a crash"; run under `make check-asan` so
// that an out-of-bounds read is a failure even when it does not fault.
#include <catch2/catch.hpp>
#include <elf.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/elf_module.h"
#include "common/module_file.h"
#include "tests/test_util.h"

namespace {
using namespace mng;
using testing::read_at;
using testing::read_bytes;
using testing::write_at;

// A test module without debug sections: about 6 KB instead of 100, so that
// overwriting every byte stays fast.
std::vector<uint8_t> stripped_module(const char* name) {
  testing::TempDir t;
  std::string src = testing::testmods_dir() + "/" + name, dst = t / "m.ko";
  REQUIRE(testing::run("strip --strip-debug -o '" + dst + "' '" + src + "'") == 0);
  std::vector<uint8_t> b = read_bytes(dst);
  REQUIRE(b.size() > sizeof(Elf64_Ehdr));
  return b;
}

// What a successful parse promises: every string inside the pool.
bool refs_inside(const ModuleElf& m) {
  auto in = [&](StrRef r) { return uint64_t(r.off) + r.len <= m.pool.size(); };
  for (auto& e : m.exports)
    if (!in(e.name)) return false;
  for (auto& i : m.imports)
    if (!in(i.name)) return false;
  for (auto& i : m.modinfo)
    if (!in(i.key) || !in(i.value)) return false;
  return true;
}

// Parses and checks the contract either way; returns whether it parsed.
bool parse_checked(const std::vector<uint8_t>& img, std::string* why) {
  ModuleElf e;
  why->clear();
  bool ok = parse_module_elf(img, &e, why);
  if (ok) {
    CHECK(refs_inside(e));
  } else {
    CHECK_FALSE(why->empty());
    CHECK(e.exports.empty());
    CHECK(e.imports.empty());
    CHECK(e.modinfo.empty());
  }
  return ok;
}

struct Elf64Layout {
  uint64_t shoff;
  uint16_t shnum;
  size_t shdr(size_t i) const { return shoff + i * sizeof(Elf64_Shdr); }
};

Elf64Layout layout64(const std::vector<uint8_t>& b) {
  REQUIRE(b[EI_CLASS] == ELFCLASS64);
  REQUIRE(b[EI_DATA] == ELFDATA2LSB);
  return {read_at<uint64_t>(b, offsetof(Elf64_Ehdr, e_shoff)), read_at<uint16_t>(b, offsetof(Elf64_Ehdr, e_shnum))};
}

size_t section_index(const std::vector<uint8_t>& b, const Elf64Layout& l, const std::string& name) {
  uint16_t strndx = read_at<uint16_t>(b, offsetof(Elf64_Ehdr, e_shstrndx));
  uint64_t names = read_at<uint64_t>(b, l.shdr(strndx) + offsetof(Elf64_Shdr, sh_offset));
  for (size_t i = 1; i < l.shnum; ++i) {
    uint32_t nm = read_at<uint32_t>(b, l.shdr(i) + offsetof(Elf64_Shdr, sh_name));
    if (name == reinterpret_cast<const char*>(b.data() + names + nm)) return i;
  }
  FAIL("no section " << name);
  return 0;
}

// Index of symbol NAME in .symtab.
size_t symbol_index(const std::vector<uint8_t>& b, const Elf64Layout& l, const std::string& name) {
  size_t st = section_index(b, l, ".symtab");
  uint64_t off = read_at<uint64_t>(b, l.shdr(st) + offsetof(Elf64_Shdr, sh_offset));
  uint64_t size = read_at<uint64_t>(b, l.shdr(st) + offsetof(Elf64_Shdr, sh_size));
  uint32_t link = read_at<uint32_t>(b, l.shdr(st) + offsetof(Elf64_Shdr, sh_link));
  uint64_t str = read_at<uint64_t>(b, l.shdr(link) + offsetof(Elf64_Shdr, sh_offset));
  for (size_t i = 0; i * sizeof(Elf64_Sym) < size; ++i) {
    uint32_t nm = read_at<uint32_t>(b, off + i * sizeof(Elf64_Sym));
    if (name == reinterpret_cast<const char*>(b.data() + str + nm)) return i;
  }
  FAIL("no symbol " << name);
  return 0;
}

}  // namespace

TEST_CASE("every byte of a real module overwritten: an error or a sane parse", "[hostile]") {
  for (const char* name : {"mod_a.ko", "mod_c.ko"}) {
    std::vector<uint8_t> orig = stripped_module(name);
    std::string why;
    REQUIRE(parse_checked(orig, &why));
    size_t failures = 0;
    for (size_t i = 0; i < orig.size(); ++i) {
      for (uint8_t v : {uint8_t{0x00}, uint8_t{0xff}, uint8_t(orig[i] ^ 0x80)}) {
        if (v == orig[i]) continue;
        std::vector<uint8_t> b = orig;
        b[i] = v;
        if (!parse_checked(b, &why)) ++failures;
      }
    }
    INFO(name << ": " << orig.size() << " bytes");
    // Damage in the headers must be noticed; most other bytes are code.
    CHECK(failures > 100);
  }
}

TEST_CASE("a real module cut short at every length fails with a reason", "[hostile]") {
  std::vector<uint8_t> orig = stripped_module("mod_b.ko");
  Elf64Layout l = layout64(orig);
  // The section header table is the last thing in a module file, so every
  // cut loses part of it.
  REQUIRE(l.shoff + uint64_t(l.shnum) * sizeof(Elf64_Shdr) == orig.size());
  std::string why;
  for (size_t len = 0; len < orig.size(); ++len) {
    INFO("cut to " << len);
    CHECK_FALSE(parse_checked(std::vector<uint8_t>(orig.begin(), orig.begin() + len), &why));
  }
}

// An exported symbol's CRC is looked up through SHT_SYMTAB_SHNDX (the
// symbol's st_shndx is SHN_XINDEX) and the extended index names section 0,
// whose offset and size are not those of real data.  Section 0 is never
// checked like the others, so its header must not be trusted.
TEST_CASE("an extended section index naming section 0 is an error", "[hostile]") {
  std::vector<uint8_t> b = stripped_module("mod_a.ko");
  Elf64Layout l = layout64(b);
  size_t symtab = section_index(b, l, ".symtab");
  size_t nsyms = read_at<uint64_t>(b, l.shdr(symtab) + offsetof(Elf64_Shdr, sh_size)) / sizeof(Elf64_Sym);
  size_t crc = symbol_index(b, l, "__crc_sym_a");
  uint64_t symoff = read_at<uint64_t>(b, l.shdr(symtab) + offsetof(Elf64_Shdr, sh_offset));
  write_at(b, symoff + crc * sizeof(Elf64_Sym) + offsetof(Elf64_Sym, st_shndx), uint16_t{SHN_XINDEX});
  write_at(b, symoff + crc * sizeof(Elf64_Sym) + offsetof(Elf64_Sym, st_value), uint64_t{0});

  // Turn .comment into the extended index table for .symtab; its data (all
  // zeros: every symbol "in section 0") goes at the end of the file.
  size_t ext = section_index(b, l, ".comment");
  uint64_t table = b.size();
  b.resize(b.size() + nsyms * 4, 0);
  write_at(b, l.shdr(ext) + offsetof(Elf64_Shdr, sh_type), uint32_t{SHT_SYMTAB_SHNDX});
  write_at(b, l.shdr(ext) + offsetof(Elf64_Shdr, sh_offset), table);
  write_at(b, l.shdr(ext) + offsetof(Elf64_Shdr, sh_size), uint64_t(nsyms * 4));
  write_at(b, l.shdr(ext) + offsetof(Elf64_Shdr, sh_link), uint32_t(symtab));

  std::string why;
  SECTION("section 0 in range: the CRC is not read from the ELF header") {
    // Still wrong (section 0 has no data), but nothing to crash on.
    write_at(b, l.shdr(0) + offsetof(Elf64_Shdr, sh_offset), uint64_t{0});
    write_at(b, l.shdr(0) + offsetof(Elf64_Shdr, sh_size), uint64_t{16});
    parse_checked(b, &why);
  }
  SECTION("section 0 pointing far outside the file") {
    write_at(b, l.shdr(0) + offsetof(Elf64_Shdr, sh_offset), uint64_t{0x7fff000000000000});
    write_at(b, l.shdr(0) + offsetof(Elf64_Shdr, sh_size), uint64_t{16});
    CHECK_FALSE(parse_checked(b, &why));
  }
}

// Many overlapping sections, each holding the CRC of one __crc_ symbol.
// read_module_elf read each section separately (keeping every read until
// the parse ended) where the mapped parse reads 4 bytes of each: memory
// and time quadratic in the file size, 1.8 GB and 30 s for this 4 MB
// file.  Its reads now stop at the file's size, after which the whole
// file is read once.  Checked in a child whose address space is capped.
TEST_CASE("overlapping CRC sections do not make read_module_elf read the file over and over", "[hostile]") {
  const size_t data = 4 << 20, step = 2100, len = data / 2, k = data / 4200;
  std::vector<uint8_t> b(sizeof(Elf64_Ehdr) + data);
  const char shstr[] = "\0.shstrtab\0.symtab\0.strtab\0x";  // names at 1, 11, 19, 27
  std::string str(1, '\0');
  std::vector<Elf64_Sym> syms(1 + k);
  for (size_t j = 0; j < k; ++j) {
    write_at(b, sizeof(Elf64_Ehdr) + j * step, uint32_t(j));  // section j's CRC: j
    syms[1 + j] = Elf64_Sym{uint32_t(str.size()), STB_GLOBAL << 4, 0, uint16_t(4 + j), 0, 0};
    str += "__crc_s" + std::to_string(j) + '\0';
  }
  auto put = [&](const void* p, size_t n) {
    size_t off = b.size();
    b.insert(b.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
    return off;
  };
  std::vector<Elf64_Shdr> sh(4 + k);
  sh[1] = {1, SHT_STRTAB, 0, 0, put(shstr, sizeof shstr), sizeof shstr, 0, 0, 1, 0};
  sh[3] = {19, SHT_STRTAB, 0, 0, put(str.data(), str.size()), str.size(), 0, 0, 1, 0};
  b.resize((b.size() + 7) & ~size_t{7});
  sh[2] = {11, SHT_SYMTAB, 0, 0, put(syms.data(), syms.size() * sizeof(Elf64_Sym)), syms.size() * sizeof(Elf64_Sym),
           3, 1, 8, sizeof(Elf64_Sym)};
  for (size_t j = 0; j < k; ++j) sh[4 + j] = {27, SHT_PROGBITS, 0, 0, sizeof(Elf64_Ehdr) + j * step, len, 0, 0, 1, 0};
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_REL;
  eh.e_machine = EM_X86_64;
  eh.e_shoff = put(sh.data(), sh.size() * sizeof(Elf64_Shdr));
  eh.e_ehsize = sizeof eh;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  eh.e_shnum = uint16_t(sh.size());
  eh.e_shstrndx = 1;
  std::memcpy(b.data(), &eh, sizeof eh);

  ModuleElf want;
  std::string why;
  REQUIRE(parse_module_elf(b, &want, &why));
  REQUIRE(want.exports.size() == k);
  testing::TempDir t;
  std::string path = t / "m.ko";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));

  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // 512 MiB more address space than the child starts with.
    long pages = 0;
    std::ifstream("/proc/self/statm") >> pages;
    rlim_t cap = rlim_t(pages) * rlim_t(sysconf(_SC_PAGESIZE)) + (rlim_t{512} << 20);
    rlimit rl{cap, cap};
    if (pages <= 0 || setrlimit(RLIMIT_AS, &rl) != 0) _exit(3);
    alarm(60);  // under ASan, running out makes the report itself hang
    int rc = 1;
    try {
      ModuleElf got;
      std::string w;
      if (read_module_elf(path, &got, &w) && got.exports.size() == k) {
        rc = 0;
        for (size_t j = 0; j < k; ++j)
          if (got.str(got.exports[j].name) != want.str(want.exports[j].name) || got.exports[j].crc != j) rc = 1;
      }
    } catch (const std::bad_alloc&) {
      rc = 2;
    }
    _exit(rc);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
