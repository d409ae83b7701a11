// SPDX-License-Identifier: GPL-2.0-or-later
// Section headers, __versions in section order and the --force edits,
// on a real test module and on small images built here in each ELF class
// and byte order (with and without extended section numbering).
#include "common/elf_image.h"

#include <catch2/catch.hpp>
#include <elf.h>

#include <cstring>
#include <string>
#include <vector>

#include "common/elf_module.h"
#include "tests/test_util.h"

namespace {
using namespace mng;

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// A minimal relocatable ELF file: sections 0, .shstrtab, __versions (two
// entries), .modinfo, in the given class and byte order.  EXTENDED moves
// the section count and the name table index into section 0, as a file
// with 0xff00 sections or more has them.
struct MiniElf {
  bool is64, be;
  std::vector<uint8_t> b;

  void put(size_t off, size_t width, uint64_t v) {
    if (b.size() < off + width) b.resize(off + width);
    for (size_t i = 0; i < width; ++i)
      b[off + i] = static_cast<uint8_t>(be ? v >> (8 * (width - 1 - i)) : v >> (8 * i));
  }
  uint64_t get(size_t off, size_t width) const {
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v |= uint64_t{b[off + i]} << (be ? 8 * (width - 1 - i) : 8 * i);
    return v;
  }
  size_t w() const { return is64 ? 8 : 4; }
  size_t shentsize() const { return is64 ? 64 : 40; }
  size_t shoff() const { return get(is64 ? 0x28 : 0x20, w()); }
  size_t shdr(size_t i) const { return shoff() + i * shentsize(); }
};

const char kNames[] = "\0.shstrtab\0__versions\0.modinfo";  // offsets 1, 11, 22
const char kModinfo[] = "license=GPL\0vermagic=6.1.0 SMP mod_unload \0name=mini";

MiniElf mini_elf(bool is64, bool be, bool extended = false) {
  MiniElf m{is64, be, {}};
  const size_t ehsize = is64 ? 64 : 52, w = m.w();
  m.b.assign(ehsize, 0);
  std::memcpy(m.b.data(), ELFMAG, SELFMAG);
  m.b[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
  m.b[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
  m.b[EI_VERSION] = EV_CURRENT;
  m.put(16, 2, ET_REL);
  m.put(18, 2, is64 ? EM_X86_64 : EM_ARM);
  m.put(20, 4, EV_CURRENT);

  const size_t names = m.b.size();
  m.b.insert(m.b.end(), kNames, kNames + sizeof kNames);
  const size_t versions = m.b.size();
  const char* syms[] = {"module_layout", ".printk"};
  for (int i = 0; i < 2; ++i) {
    std::vector<uint8_t> ent(64, 0);
    std::memcpy(ent.data() + w, syms[i], std::strlen(syms[i]));
    m.b.insert(m.b.end(), ent.begin(), ent.end());
    m.put(versions + 64 * i, w, 0x12345678u + i);
  }
  const size_t modinfo = m.b.size();
  m.b.insert(m.b.end(), kModinfo, kModinfo + sizeof kModinfo);
  while (m.b.size() % 8) m.b.push_back(0);

  const size_t shoff = m.b.size();
  m.b.resize(shoff + 4 * m.shentsize(), 0);
  m.put(is64 ? 0x28 : 0x20, w, shoff);
  m.put(is64 ? 0x34 : 0x28, 2, ehsize);
  m.put(is64 ? 0x3a : 0x2e, 2, m.shentsize());
  m.put(is64 ? 0x3c : 0x30, 2, extended ? 0 : 4);
  m.put(is64 ? 0x3e : 0x32, 2, extended ? SHN_XINDEX : 1);
  struct {
    uint32_t name, type;
    uint64_t flags, off, size;
  } secs[] = {{0, SHT_NULL, 0, 0, extended ? 4u : 0u},
              {1, SHT_STRTAB, 0, names, sizeof kNames},
              {11, SHT_PROGBITS, SHF_ALLOC, versions, 128},
              {22, SHT_PROGBITS, SHF_ALLOC, modinfo, sizeof kModinfo}};
  for (size_t i = 0; i < 4; ++i) {
    size_t h = m.shdr(i);
    m.put(h, 4, secs[i].name);
    m.put(h + 4, 4, secs[i].type);
    m.put(h + 8, w, secs[i].flags);
    m.put(h + (is64 ? 24 : 16), w, secs[i].off);
    m.put(h + (is64 ? 32 : 20), w, secs[i].size);
  }
  if (extended) m.put(m.shdr(0) + (is64 ? 40 : 24), 4, 1);  // sh_link: the name table
  return m;
}

std::vector<std::string> modinfo_strings(const std::vector<uint8_t>& img) {
  ModuleElf e;
  std::string why;
  REQUIRE(parse_module_elf(img, &e, &why));
  std::vector<std::string> v;
  for (const auto& mi : e.modinfo) v.push_back(std::string(e.str(mi.key)) + "=" + std::string(e.str(mi.value)));
  return v;
}

const ElfSectionHeader& section(const ElfSectionList& l, const std::string& name) {
  for (const auto& s : l.sections)
    if (s.name == name) return s;
  FAIL("no section " << name);
  return l.sections.front();
}

// F(m, is64, be) for the small image of every class, byte order and section numbering.
template <class F>
void for_every_layout(F f) {
  for (bool is64 : {false, true})
    for (bool be : {false, true})
      for (bool extended : {false, true}) {
        INFO("64-bit " << is64 << ", big-endian " << be << ", extended numbering " << extended);
        MiniElf m = mini_elf(is64, be, extended);
        f(m, is64, be);
      }
}

}  // namespace

TEST_CASE("section headers of small images in every class and byte order", "[elf-image]") {
  for_every_layout([](MiniElf& m, bool is64, bool be) {
    ElfSectionList l;
    std::string why;
    REQUIRE(list_elf_sections(m.b, &l, &why));
    CHECK(l.is_64bit == is64);
    CHECK(l.big_endian == be);
    REQUIRE(l.sections.size() == 4);
    CHECK(l.sections[0].name.empty());
    CHECK(l.sections[1].name == ".shstrtab");
    CHECK(l.sections[1].type == SHT_STRTAB);
    const ElfSectionHeader& v = l.sections[2];
    CHECK(v.name == "__versions");
    CHECK(v.flags == SHF_ALLOC);
    CHECK(v.size == 128);
    CHECK(v.flags_at == m.shdr(2) + 8);
    CHECK(m.get(v.offset + m.w(), 1) == 'm');  // "module_layout"
    CHECK(l.sections[3].name == ".modinfo");

    std::vector<VersionEntry> ver;
    REQUIRE(read_modversions(m.b, &ver));
    REQUIRE(ver.size() == 2);
    CHECK(ver[0].name == "module_layout");
    CHECK(ver[0].crc == 0x12345678u);
    CHECK(ver[1].name == "printk");  // the leading '.' dropped
    CHECK(ver[1].crc == 0x12345679u);
  });
}

TEST_CASE("strip_for_force in every class and byte order, with extended numbering", "[elf-image]") {
  for_every_layout([](MiniElf& m, bool is64, bool be) {
    const std::vector<uint8_t> before = m.b;
    REQUIRE(strip_for_force(&m.b, true, false));
    CHECK(m.get(m.shdr(2) + 8, m.w()) == 0);  // __versions: SHF_ALLOC gone
    CHECK(modinfo_strings(m.b) == modinfo_strings(before));

    m.b = before;
    REQUIRE(strip_for_force(&m.b, false, true));
    CHECK(m.get(m.shdr(2) + 8, m.w()) == SHF_ALLOC);
    CHECK(modinfo_strings(m.b) == std::vector<std::string>{"license=GPL", "name=mini"});
    // Only the vermagic string changed, to NULs.
    size_t changed = 0;
    for (size_t i = 0; i < before.size(); ++i)
      if (m.b[i] != before[i]) {
        ++changed;
        CHECK(m.b[i] == 0);
      }
    CHECK(changed == std::strlen("vermagic=6.1.0 SMP mod_unload "));
  });
}

TEST_CASE("strip_for_force on a real module: __versions and vermagic only", "[elf-image]") {
  std::vector<uint8_t> img = bytes_of(testing::read_file(testing::testmods_dir() + "/mod_b.ko"));
  const std::vector<uint8_t> before = img;
  ElfSectionList l;
  std::string why;
  REQUIRE(list_elf_sections(img, &l, &why));
  const ElfSectionHeader versions = section(l, "__versions"), modinfo = section(l, ".modinfo");
  REQUIRE((versions.flags & SHF_ALLOC) != 0);
  REQUIRE(strip_for_force(&img, true, true));

  REQUIRE(list_elf_sections(img, &l, &why));
  CHECK(section(l, "__versions").flags == (versions.flags & ~uint64_t{SHF_ALLOC}));
  std::vector<std::string> mi = modinfo_strings(img), old = modinfo_strings(before);
  CHECK(mi.size() + 1 == old.size());
  for (const auto& s : mi) CHECK_FALSE(std::string_view(s).starts_with("vermagic="));
  for (size_t i = 0; i < img.size(); ++i)
    if (img[i] != before[i]) {
      INFO("byte " << i);
      CHECK(((i >= versions.flags_at && i < versions.flags_at + 8) ||
             (i >= modinfo.offset && i < modinfo.offset + modinfo.size)));
    }

  // __versions in section order agrees with the imports the module reader found.
  std::vector<VersionEntry> ver;
  REQUIRE(read_modversions(before, &ver));
  REQUIRE_FALSE(ver.empty());
  ModuleElf e;
  REQUIRE(parse_module_elf(before, &e, &why));
  for (const auto& v : ver) {
    INFO(v.name);
    bool found = false;
    for (const auto& imp : e.imports)
      if (e.str(imp.name) == v.name) found = imp.crc == v.crc;
    CHECK(found);
  }
}

TEST_CASE("a damaged image is left unchanged by strip_for_force", "[elf-image]") {
  MiniElf m = mini_elf(true, false);
  const size_t w = m.w();
  std::vector<std::vector<uint8_t>> bad;
  auto damaged = [&](size_t off, size_t width, uint64_t v) {
    MiniElf c = m;
    c.put(off, width, v);
    bad.push_back(c.b);
  };
  bad.push_back({1, 2, 3});
  bad.push_back(std::vector<uint8_t>(m.b.begin(), m.b.begin() + static_cast<long>(m.shdr(3))));  // cut short
  damaged(0x28, w, m.b.size() - 8);                          // section headers past the end
  damaged(0x3c, 2, 0);                                       // extended count, section 0 says 0
  damaged(0x3e, 2, 7);                                       // name table index out of range
  damaged(0x3e, 2, SHN_XINDEX);                              // extended index, section 0 says 0
  damaged(m.shdr(3) + 24, w, m.b.size() - 4);                // .modinfo runs past the end
  damaged(m.shdr(3) + 24, w, ~uint64_t{0} - 8);              // .modinfo offset that wraps
  damaged(m.shdr(2), 4, 1000);                               // __versions' name outside the name table
  damaged(m.shdr(1) + 32, w, 0);                             // empty name table
  MiniElf ext = mini_elf(false, true, true);
  ext.put(ext.shdr(0) + 20, 4, 0x7fffffff);                  // extended count far past the end
  bad.push_back(ext.b);
  for (size_t i = 0; i < bad.size(); ++i) {
    INFO("damage " << i);
    std::vector<uint8_t> img = bad[i];
    CHECK_FALSE(strip_for_force(&img, true, true));
    CHECK(img == bad[i]);
    ElfSectionList l;
    std::string why;
    CHECK_FALSE(list_elf_sections(bad[i], &l, &why));
    CHECK_FALSE(why.empty());
    std::vector<VersionEntry> ver;
    CHECK_FALSE(read_modversions(bad[i], &ver));
  }
}
