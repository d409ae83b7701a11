// SPDX-License-Identifier: GPL-2.0-or-later
// Parsing real kernel modules, checked against what Debian's kmod reads
// from the same files (modprobe --show-exports / --show-modversions,
// modinfo, depmod's modules.symbols), plus damaged copies of them.
#include "common/elf_module.h"

#include <catch2/catch.hpp>
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/module_file.h"
#include "tests/test_util.h"

namespace {
using namespace mng;
using mng::testing::read_at;
using mng::testing::read_bytes;
using mng::testing::testmod;
using mng::testing::TempDir;
using mng::testing::write_at;

std::string sh(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  REQUIRE(f != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  INFO(cmd);
  REQUIRE(pclose(f) == 0);
  return out;
}

ModuleElf parse_ok(std::span<const uint8_t> img) {
  ModuleElf e;
  std::string why;
  INFO(why);
  bool ok = parse_module_elf(img, &e, &why);
  INFO("parse error: " << why);
  REQUIRE(ok);
  return e;
}

ModuleElf parse_file(const std::string& path) {
  ModuleBytes b;
  std::string why;
  INFO(path << ": " << why);
  REQUIRE(load_module_file(path, &b, &why));
  return parse_ok(b.bytes());
}

// kmod's view of a module's exports.  modprobe --show-exports exits 1
// with "could not get symbols" for a module that exports nothing.
std::string show_exports(const std::string& path) {
  std::string out = sh("modprobe --show-exports '" + path + "' 2>&1; true");
  if (out.find("could not get symbols") != std::string::npos) return "";
  return out;
}

ModuleElf read_file(const std::string& path) {
  ModuleElf e;
  std::string why;
  bool ok = read_module_elf(path, &e, &why);
  INFO(path << ": " << why);
  REQUIRE(ok);
  return e;
}

// "0x%08x\tNAME" lines, as modprobe --show-modversions/--show-exports print them.
using CrcSet = std::set<std::pair<uint64_t, std::string>>;
CrcSet crc_lines(const std::string& text) {
  CrcSet s;
  std::istringstream in(text);
  std::string crc, name;
  while (in >> crc >> name) s.insert({std::stoull(crc, nullptr, 16), name});
  return s;
}

CrcSet exports_of(const ModuleElf& e) {
  CrcSet s;
  for (auto& x : e.exports) s.insert({x.crc, std::string(e.str(x.name))});
  return s;
}

// Imports that carry a __versions CRC: exactly the __versions entries.
CrcSet versioned_imports_of(const ModuleElf& e) {
  CrcSet s;
  for (auto& x : e.imports)
    if (x.crc) s.insert({x.crc, std::string(e.str(x.name))});
  return s;
}

std::vector<std::string> modinfo_values(const ModuleElf& e, std::string_view key) {
  std::vector<std::string> v;
  for (auto& m : e.modinfo)
    if (e.str(m.key) == key) v.emplace_back(e.str(m.value));
  return v;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> v;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

// Everything a parse produced, flattened for comparing two parses.
std::string flatten(const ModuleElf& e) {
  std::ostringstream o;
  o << e.is_64bit << e.big_endian << e.machine << '\n';
  for (auto& x : e.exports) o << "E " << e.str(x.name) << ' ' << x.crc << '\n';
  for (auto& x : e.imports) o << "I " << e.str(x.name) << ' ' << x.crc << ' ' << x.weak << '\n';
  for (auto& x : e.modinfo) o << "M " << e.str(x.key) << '=' << e.str(x.value) << '\n';
  return o.str();
}

// ---- reading and patching an ELF64 little-endian image in the tests ----

struct Layout {
  uint64_t shoff;
  uint16_t shnum;
  std::map<std::string, uint16_t> index;  // section name -> index
  size_t shdr(uint16_t i) const { return shoff + size_t(i) * sizeof(Elf64_Shdr); }
};

Layout layout(const std::vector<uint8_t>& b) {
  REQUIRE(b.size() > sizeof(Elf64_Ehdr));
  REQUIRE(b[EI_CLASS] == ELFCLASS64);
  REQUIRE(b[EI_DATA] == ELFDATA2LSB);
  Layout l;
  l.shoff = read_at<uint64_t>(b, offsetof(Elf64_Ehdr, e_shoff));
  l.shnum = read_at<uint16_t>(b, offsetof(Elf64_Ehdr, e_shnum));
  uint16_t strndx = read_at<uint16_t>(b, offsetof(Elf64_Ehdr, e_shstrndx));
  uint64_t names = read_at<uint64_t>(b, l.shoff + strndx * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_offset));
  for (uint16_t i = 0; i < l.shnum; ++i) {
    uint32_t nm = read_at<uint32_t>(b, l.shdr(i) + offsetof(Elf64_Shdr, sh_name));
    l.index.emplace(reinterpret_cast<const char*>(b.data() + names + nm), i);
  }
  return l;
}

uint64_t sec_field(const std::vector<uint8_t>& b, const Layout& l, const char* name, size_t field) {
  INFO(name);
  REQUIRE(l.index.count(name));
  return read_at<uint64_t>(b, l.shdr(l.index.at(name)) + field);
}

// File offset of the symbol table entry called NAME.
// A section with file data whose last byte is not NUL (not a string table).
uint16_t unterminated_section(const std::vector<uint8_t>& b, const Layout& l) {
  for (auto& [name, i] : l.index) {
    size_t h = l.shdr(i);
    uint64_t off = read_at<uint64_t>(b, h + offsetof(Elf64_Shdr, sh_offset));
    uint64_t size = read_at<uint64_t>(b, h + offsetof(Elf64_Shdr, sh_size));
    if (i && size && read_at<uint32_t>(b, h + offsetof(Elf64_Shdr, sh_type)) != SHT_NOBITS && b[off + size - 1] != 0) return i;
  }
  FAIL("every section ends in NUL");
  return 0;
}

size_t symbol_entry(const std::vector<uint8_t>& b, const Layout& l, const std::string& name) {
  uint64_t off = sec_field(b, l, ".symtab", offsetof(Elf64_Shdr, sh_offset));
  uint64_t size = sec_field(b, l, ".symtab", offsetof(Elf64_Shdr, sh_size));
  uint32_t link = read_at<uint32_t>(b, l.shdr(l.index.at(".symtab")) + offsetof(Elf64_Shdr, sh_link));
  uint64_t str = read_at<uint64_t>(b, l.shdr(static_cast<uint16_t>(link)) + offsetof(Elf64_Shdr, sh_offset));
  for (uint64_t e = off; e < off + size; e += sizeof(Elf64_Sym)) {
    uint32_t nm = read_at<uint32_t>(b, e);
    if (name == reinterpret_cast<const char*>(b.data() + str + nm)) return e;
  }
  FAIL("no symbol " << name);
  return 0;
}

void spit(const std::string& path, std::span<const uint8_t> b) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  REQUIRE(f.good());
}

// True when IMG is rejected, both in memory and when read from a file
// with read_module_elf (which reads only parts of it).
bool parse_fails(const std::vector<uint8_t>& img, std::string* why, bool via_file = true) {
  ModuleElf e;
  why->clear();
  bool ok = parse_module_elf(img, &e, why);
  if (!ok) {
    CHECK_FALSE(why->empty());
    CHECK(e.exports.empty());
    CHECK(e.imports.empty());
    CHECK(e.modinfo.empty());
  }
  if (via_file && !img.empty()) {
    static TempDir dir;
    std::string path = dir.path + "/patched.ko";
    spit(path, img);
    std::string why2;
    ModuleElf f;
    bool ok2 = read_module_elf(path, &f, &why2);
    CHECK(ok2 == ok);
    if (!ok) CHECK(why2 == *why);
  }
  return !ok;
}

// The same module with every field this parser reads stored big-endian:
// exercises byte swapping with real content.  Code and relocations are
// left alone; nothing here reads them.
std::vector<uint8_t> to_big_endian(std::vector<uint8_t> b) {
  Layout l = layout(b);
  auto sw = [&](size_t off, size_t n) { std::reverse(b.begin() + off, b.begin() + off + n); };
  // Collect what is needed before any field is swapped.
  struct Sec { size_t hdr; std::string name; uint32_t type; uint64_t off, size; };
  std::vector<Sec> secs;
  for (auto& [name, i] : l.index) {
    size_t h = l.shdr(i);
    secs.push_back({h, name, read_at<uint32_t>(b, h + offsetof(Elf64_Shdr, sh_type)),
                    read_at<uint64_t>(b, h + offsetof(Elf64_Shdr, sh_offset)), read_at<uint64_t>(b, h + offsetof(Elf64_Shdr, sh_size))});
  }
  for (const Sec& s : secs) {
    if (s.type == SHT_SYMTAB) {
      for (uint64_t e = s.off; e < s.off + s.size; e += sizeof(Elf64_Sym)) {
        sw(e + offsetof(Elf64_Sym, st_name), 4);
        sw(e + offsetof(Elf64_Sym, st_shndx), 2);
        sw(e + offsetof(Elf64_Sym, st_value), 8);
        sw(e + offsetof(Elf64_Sym, st_size), 8);
      }
    } else if (s.name == "__versions") {
      for (uint64_t e = s.off; e < s.off + s.size; e += 64) sw(e, 8);
    } else if (s.name.starts_with("__kcrctab")) {
      for (uint64_t e = s.off; e < s.off + s.size; e += 4) sw(e, 4);
    }
    sw(s.hdr + offsetof(Elf64_Shdr, sh_name), 4);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_type), 4);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_flags), 8);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_addr), 8);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_offset), 8);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_size), 8);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_link), 4);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_info), 4);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_addralign), 8);
    sw(s.hdr + offsetof(Elf64_Shdr, sh_entsize), 8);
  }
  b[EI_DATA] = ELFDATA2MSB;
  sw(offsetof(Elf64_Ehdr, e_type), 2);
  sw(offsetof(Elf64_Ehdr, e_machine), 2);
  sw(offsetof(Elf64_Ehdr, e_version), 4);
  sw(offsetof(Elf64_Ehdr, e_shoff), 8);
  sw(offsetof(Elf64_Ehdr, e_ehsize), 2);
  sw(offsetof(Elf64_Ehdr, e_shentsize), 2);
  sw(offsetof(Elf64_Ehdr, e_shnum), 2);
  sw(offsetof(Elf64_Ehdr, e_shstrndx), 2);
  return b;
}

}  // namespace

TEST_CASE("module names from paths", "[reader]") {
  CHECK(modname_from_path("/lib/modules/6.1/kernel/drivers/x/mod-d.ko") == "mod_d");
  CHECK(modname_from_path("kernel/lib/snd-hda-intel.ko.xz") == "snd_hda_intel");
  CHECK(modname_from_path("mod_a.ko.zst") == "mod_a");
  CHECK(modname_from_path("plain") == "plain");
  CHECK(modname_from_path("dir.d/x-y") == "x_y");
  CHECK(normalize_modname("a-b-c") == "a_b_c");
  CHECK(normalize_modname("a_b") == "a_b");
}

TEST_CASE("exports agree with modprobe --show-exports", "[reader][.kmod]") {
  ModuleElf a = parse_file(testmod("mod_a.ko"));
  CHECK(a.is_64bit);
  CHECK_FALSE(a.big_endian);
  CHECK(a.machine == EM_X86_64);
  CrcSet want = crc_lines(show_exports(testmod("mod_a.ko")));
  REQUIRE(want.size() == 1);
  CHECK(want.begin()->second == "sym_a");
  CHECK(exports_of(a) == want);

  ModuleElf b = parse_file(testmod("mod_b.ko"));
  CHECK(exports_of(b) == crc_lines(show_exports(testmod("mod_b.ko"))));
  REQUIRE(b.exports.size() == 1);
  CHECK(b.str(b.exports[0].name) == "sym_b");
  CHECK(b.exports[0].crc != 0);

  ModuleElf c = parse_file(testmod("mod_c.ko"));
  CHECK(c.exports.empty());
  CHECK(show_exports(testmod("mod_c.ko")).empty());
}

TEST_CASE("imports carry the CRCs modprobe --show-modversions prints", "[reader][.kmod]") {
  ModuleElf a = parse_file(testmod("mod_a.ko"));
  ModuleElf b = parse_file(testmod("mod_b.ko"));
  CrcSet want = crc_lines(sh("modprobe --show-modversions '" + testmod("mod_b.ko") + "'"));
  CHECK(versioned_imports_of(b) == want);

  auto sym_a = std::find_if(b.imports.begin(), b.imports.end(), [&](auto& i) { return b.str(i.name) == "sym_a"; });
  REQUIRE(sym_a != b.imports.end());
  CHECK_FALSE(sym_a->weak);
  CHECK(want.count({sym_a->crc, "sym_a"}) == 1);
  // The importer's CRC is the exporter's.
  REQUIRE(a.exports.size() == 1);
  CHECK(sym_a->crc == a.exports[0].crc);

  // module_layout is in __versions without a symbol: appended at the end.
  CHECK(b.str(b.imports.back().name) == "module_layout");
  CHECK(want.count({b.imports.back().crc, "module_layout"}) == 1);

  // Every undefined symbol is an import, in symtab order, before the
  // __versions-only entries; compare with the symbol table itself.
  std::vector<std::string> undef;
  for (const std::string& l : lines(sh("readelf -sW '" + testmod("mod_b.ko") + "'"))) {
    std::istringstream in(l);
    std::string num, value, size, type, bind, vis, ndx, name;
    if (in >> num >> value >> size >> type >> bind >> vis >> ndx >> name && ndx == "UND") undef.push_back(name);
  }
  REQUIRE(undef.size() + 1 == b.imports.size());
  for (size_t i = 0; i < undef.size(); ++i) CHECK(b.str(b.imports[i].name) == undef[i]);

  for (const char* m : {"mod_c.ko", "mod-d.ko", "mod_e.ko", "loop_x.ko", "loop_y.ko", "boot_one.ko"}) {
    INFO(m);
    ModuleElf e = parse_file(testmod(m));
    CHECK(versioned_imports_of(e) == crc_lines(sh(std::string("modprobe --show-modversions '") + testmod(m) + "'")));
    CHECK(exports_of(e) == crc_lines(show_exports(testmod(m))));
  }
}

TEST_CASE("modinfo strings in section order", "[reader][.kmod]") {
  std::string path = testmod("mod_c.ko");
  ModuleElf c = parse_file(path);
  std::vector<std::string> aliases = modinfo_values(c, "alias");
  // The source declares these two; kmod lists them in the same order.
  CHECK(std::set<std::string>(aliases.begin(), aliases.end()) == std::set<std::string>{"test-c-*", "test-[xy]-c"});
  CHECK(aliases == lines(sh("modinfo -F alias '" + path + "'")));
  CHECK(modinfo_values(c, "softdep") == std::vector<std::string>{"pre: mod-d post: mod_e"});
  CHECK(modinfo_values(c, "weakdep") == std::vector<std::string>{"mod_e"});
  CHECK(modinfo_values(c, "depends") == std::vector<std::string>{"mod_b"});
  CHECK(modinfo_values(c, "name") == std::vector<std::string>{"mod_c"});
  CHECK(modinfo_values(c, "vermagic") == lines(sh("modinfo -F vermagic '" + path + "'")));

  // Every key kmod's modinfo shows (it adds "filename" itself; parm
  // entries it merges, so compare the simple keys only).
  std::vector<std::string> keys;
  for (auto& m : c.modinfo) keys.emplace_back(c.str(m.key));
  std::vector<std::string> kmod_keys;
  for (const std::string& l : lines(sh("modinfo '" + path + "'"))) {
    std::string k = l.substr(0, l.find(':'));
    if (k != "filename") kmod_keys.push_back(k);
  }
  CHECK(keys == kmod_keys);

  ModuleElf d = parse_file(testmod("mod-d.ko"));
  CHECK(modinfo_values(d, "alias") == lines(sh("modinfo -F alias '" + testmod("mod-d.ko") + "'")));
  CHECK(modinfo_values(d, "alias").size() >= 2);
}

TEST_CASE("gzip, xz and zstd copies parse the same as the plain module", "[reader]") {
  TempDir d;
  for (const char* m : {"mod_a.ko", "mod_b.ko", "mod_c.ko"}) {
    std::string plain = testmod(m);
    std::string base = d.path + "/" + m;
    std::string q = "'" + plain + "'";
    REQUIRE(std::system(("gzip -n -c " + q + " > '" + base + ".gz' && xz -c --check=crc32 " + q + " > '" + base +
                         ".xz' && zstd -q -c " + q + " > '" + base + ".zst'").c_str()) == 0);
    std::string want = flatten(parse_file(plain));
    for (const char* ext : {".gz", ".xz", ".zst"}) {
      INFO(m << ext);
      CHECK(flatten(parse_file(base + ext)) == want);
      CHECK(flatten(read_file(base + ext)) == want);
    }
  }
}

TEST_CASE("a byte-swapped copy parses to the same symbols", "[reader]") {
  for (const char* m : {"mod_a.ko", "mod_b.ko", "mod_c.ko"}) {
    INFO(m);
    std::vector<uint8_t> le = read_bytes(testmod(m));
    ModuleElf want = parse_ok(le);
    std::vector<uint8_t> be = to_big_endian(le);
    ModuleElf got = parse_ok(be);
    TempDir d;
    spit(d.path + "/be.ko", be);
    CHECK(flatten(read_file(d.path + "/be.ko")) == flatten(got));
    CHECK(got.big_endian);
    CHECK(got.machine == EM_X86_64);
    CHECK(exports_of(got) == exports_of(want));
    CHECK(flatten(got).substr(flatten(got).find('\n')) == flatten(want).substr(flatten(want).find('\n')));
  }
}

TEST_CASE("the symbol prefix is stripped", "[reader]") {
  std::vector<uint8_t> img = read_bytes(testmod("mod_b.ko"));
  ModuleElf plain = parse_ok(img);
  ModuleElf e;
  std::string why;
  REQUIRE(parse_module_elf(img, &e, &why, 's'));
  // "sym_a" / "sym_b" lose their leading 's'; others are unchanged.
  REQUIRE(e.exports.size() == 1);
  CHECK(e.str(e.exports[0].name) == "ym_b");
  CHECK(e.exports[0].crc == plain.exports[0].crc);
  REQUIRE(plain.imports.size() == e.imports.size());
  bool found = false;
  for (size_t i = 0; i < e.imports.size(); ++i) {
    std::string_view was = plain.str(plain.imports[i].name), now = e.str(e.imports[i].name);
    CHECK(e.imports[i].crc == plain.imports[i].crc);
    CHECK(now == (was[0] == 's' ? was.substr(1) : was));
    found |= now == "ym_a";
  }
  CHECK(found);
}

TEST_CASE("hostile input gives an error, never a crash", "[reader]") {
  std::string why;
  ModuleElf e;
  CHECK_FALSE(parse_module_elf({}, &e, &why));
  CHECK(why == "not an ELF file");

  std::mt19937 rng(42);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> junk(rng() % 4096);
    for (auto& c : junk) c = static_cast<uint8_t>(rng());
    if (i % 2 && junk.size() >= 6) std::memcpy(junk.data(), "\x7f" "ELF\x02\x01", 6);
    CHECK(parse_fails(junk, &why, i % 10 == 0));
  }

  std::vector<uint8_t> orig = read_bytes(testmod("mod_b.ko"));
  parse_ok(orig);
  // Cut short anywhere.
  for (size_t len = 0; len < orig.size(); len += len < 256 ? 1 : 97) {
    INFO("cut to " << len);
    CHECK(parse_fails(std::vector<uint8_t>(orig.begin(), orig.begin() + len), &why, len % 16 == 0));
  }

  Layout l = layout(orig);
  auto patched = [&](size_t off, auto value) {
    std::vector<uint8_t> b = orig;
    write_at(b, off, value);
    return b;
  };
  const uint64_t huge = ~uint64_t{0} - 7;
  size_t shoff = offsetof(Elf64_Ehdr, e_shoff);
  CHECK(parse_fails(patched(shoff, huge), &why));
  CHECK(parse_fails(patched(shoff, uint64_t{0}), &why));
  CHECK(parse_fails(patched(shoff, uint64_t(orig.size() - 10)), &why));
  CHECK(parse_fails(patched(shoff, l.shoff + 1000), &why));
  CHECK(why == "section header table outside the file");
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shnum), uint16_t{0xffff}), &why));
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shentsize), uint16_t{0x20}), &why));
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shstrndx), uint16_t{l.shnum}), &why));
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shstrndx), uint16_t{0}), &why));
  // SHN_XINDEX points at section 0's sh_link, which is 0 here.
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shstrndx), uint16_t{SHN_XINDEX}), &why));
  // e_shnum 0 means "count in section 0's sh_size", which is 0 here.
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shnum), uint16_t{0}), &why));
  // The name table index pointing at a section not ending in NUL.
  const uint16_t unterminated = unterminated_section(orig, l);
  CHECK(parse_fails(patched(offsetof(Elf64_Ehdr, e_shstrndx), unterminated), &why));
  CHECK(why == "section name table not NUL-terminated");
  {
    std::vector<uint8_t> b = orig;
    b[EI_CLASS] = 7;
    CHECK(parse_fails(b, &why));
    b = orig;
    b[EI_DATA] = 0;
    CHECK(parse_fails(b, &why));
  }

  // Every section with file data: offset and size out of range or
  // overflowing, and the name index out of range.
  for (uint16_t i = 1; i < l.shnum; ++i) {
    size_t h = l.shdr(i);
    INFO("section " << i);
    CHECK(parse_fails(patched(h + offsetof(Elf64_Shdr, sh_name), uint32_t{0xffffffff}), &why));
    if (read_at<uint32_t>(orig, h + offsetof(Elf64_Shdr, sh_type)) == SHT_NOBITS) continue;
    CHECK(parse_fails(patched(h + offsetof(Elf64_Shdr, sh_offset), huge), &why));
    if (read_at<uint64_t>(orig, h + offsetof(Elf64_Shdr, sh_size)) != 0)
      CHECK(parse_fails(patched(h + offsetof(Elf64_Shdr, sh_offset), uint64_t(orig.size())), &why));
    CHECK(parse_fails(patched(h + offsetof(Elf64_Shdr, sh_size), huge), &why));
    CHECK(parse_fails(patched(h + offsetof(Elf64_Shdr, sh_size), uint64_t(orig.size())), &why));
  }

  size_t symtab = l.shdr(l.index.at(".symtab"));
  CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_link), uint32_t{0}), &why));
  CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_link), uint32_t{0xffff}), &why));
  CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_link), uint32_t{l.shnum}), &why));
  // Linked to a table that does not end in NUL, or one with no file data.
  CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_link), uint32_t{unterminated}), &why));
  for (auto& [name, i] : l.index)
    if (read_at<uint32_t>(orig, l.shdr(i) + offsetof(Elf64_Shdr, sh_type)) == SHT_NOBITS) {
      INFO("linked to " << name);
      CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_link), uint32_t{i}), &why));
    }
  CHECK(parse_fails(patched(symtab + offsetof(Elf64_Shdr, sh_size), uint64_t{sizeof(Elf64_Sym) * 3 + 5}), &why));

  // Symbols: a name outside the string table.
  size_t sym = symbol_entry(orig, l, "sym_a");
  CHECK(parse_fails(patched(sym + offsetof(Elf64_Sym, st_name), uint32_t{0x7fffffff}), &why));
  CHECK(why.find("name outside the string table") != std::string::npos);

  // __versions: ragged size, a name filling its whole field.
  size_t ver = l.shdr(l.index.at("__versions"));
  CHECK(parse_fails(patched(ver + offsetof(Elf64_Shdr, sh_size), uint64_t{63}), &why));
  {
    std::vector<uint8_t> b = orig;
    uint64_t off = read_at<uint64_t>(b, ver + offsetof(Elf64_Shdr, sh_offset));
    std::memset(b.data() + off + 8, 'x', 56);
    CHECK(parse_fails(b, &why));
  }
  // The string table without its final NUL.
  {
    std::vector<uint8_t> b = orig;
    size_t str = l.shdr(static_cast<uint16_t>(read_at<uint32_t>(b, symtab + offsetof(Elf64_Shdr, sh_link))));
    b[read_at<uint64_t>(b, str + offsetof(Elf64_Shdr, sh_offset)) + read_at<uint64_t>(b, str + offsetof(Elf64_Shdr, sh_size)) - 1] = 'x';
    CHECK(parse_fails(b, &why));
  }
}

TEST_CASE("a relocatable CRC outside its section is an error", "[reader]") {
  std::vector<uint8_t> orig = read_bytes(testmod("mod_a.ko"));
  Layout l = layout(orig);
  size_t crc = symbol_entry(orig, l, "__crc_sym_a");
  // The real module keeps the CRC in __kcrctab at st_value.
  REQUIRE(read_at<uint16_t>(orig, crc + offsetof(Elf64_Sym, st_shndx)) == l.index.at("__kcrctab"));
  std::string why;
  for (uint64_t v : {uint64_t{1}, uint64_t{4}, ~uint64_t{0}, ~uint64_t{0} - 2}) {
    std::vector<uint8_t> b = orig;
    write_at(b, crc + offsetof(Elf64_Sym, st_value), v);
    INFO(v);
    CHECK(parse_fails(b, &why));
  }
  for (uint16_t shndx : {uint16_t{l.shnum}, uint16_t{0xfff0}, uint16_t{SHN_COMMON}, uint16_t{SHN_XINDEX}}) {
    std::vector<uint8_t> b = orig;
    write_at(b, crc + offsetof(Elf64_Sym, st_shndx), shndx);
    INFO(shndx);
    CHECK(parse_fails(b, &why));
  }
  // SHN_ABS: the value itself is the CRC.
  std::vector<uint8_t> b = orig;
  write_at(b, crc + offsetof(Elf64_Sym, st_shndx), uint16_t{SHN_ABS});
  write_at(b, crc + offsetof(Elf64_Sym, st_value), uint64_t{0x12345678});
  ModuleElf e = parse_ok(b);
  REQUIRE(e.exports.size() == 1);
  CHECK(e.exports[0].crc == 0x12345678);
}

TEST_CASE("without __crc_ symbols __ksymtab_strings lists the exports", "[reader]") {
  // Renaming __crc_sym_a makes the module look like one built without
  // MODVERSIONS; kmod then falls back to the export name strings.
  std::vector<uint8_t> b = read_bytes(testmod("mod_a.ko"));
  Layout l = layout(b);
  size_t sym = symbol_entry(b, l, "__crc_sym_a");
  size_t strsec = l.shdr(static_cast<uint16_t>(read_at<uint32_t>(b, l.shdr(l.index.at(".symtab")) + offsetof(Elf64_Shdr, sh_link))));
  size_t name = read_at<uint64_t>(b, strsec + offsetof(Elf64_Shdr, sh_offset)) + read_at<uint32_t>(b, sym);
  b[name] = 'X';
  ModuleElf e = parse_ok(b);
  REQUIRE(e.exports.size() == 1);
  CHECK(e.str(e.exports[0].name) == "sym_a");
  CHECK(e.exports[0].crc == 0);
}

TEST_CASE("an ELF32 module from Debian's armhf kernel", "[reader][.kmod]") {
  // The package is whichever tests/check-kmod-reference.sh found in the
  // download cache; its kernel version comes from the package itself.
  const char* env = std::getenv("MNG_ARMHF_DEB");
  if (!env || !*env) {
    WARN("skipped: MNG_ARMHF_DEB names no armhf linux-image package");
    return;
  }
  std::string deb = env;
  struct stat st;
  INFO("MNG_ARMHF_DEB=" << deb);
  REQUIRE(stat(deb.c_str(), &st) == 0);
  TempDir d;
  // Early members of the archive, so tar can stop reading soon: af_alg
  // exports what algif_hash uses; aes-arm has aliases.
  std::string pkg = sh("dpkg-deb -f '" + deb + "' Package");
  std::string kver = pkg.substr(std::string("linux-image-").size());
  kver.erase(kver.find_last_not_of("\n") + 1);
  std::string dir = "lib/modules/" + kver + "/kernel/";
  std::vector<std::string> members = {dir + "crypto/af_alg.ko", dir + "crypto/algif_hash.ko",
                                      dir + "arch/arm/crypto/aes-arm.ko"};
  std::string cmd = "dpkg-deb --fsys-tarfile '" + deb + "' 2>/dev/null | tar -x --occurrence=1 -C '" + d.path + "'";
  for (auto& m : members) cmd += " './" + m + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::map<std::string, ModuleElf> parsed;
  for (auto& m : members) {
    std::string path = d.path + "/" + m;
    INFO(path);
    ModuleElf e = parse_file(path);
    CHECK_FALSE(e.is_64bit);
    CHECK_FALSE(e.big_endian);
    CHECK(e.machine == EM_ARM);
    CHECK(exports_of(e) == crc_lines(show_exports(path)));
    CHECK(versioned_imports_of(e) == crc_lines(sh("modprobe --show-modversions '" + path + "'")));
    CHECK(modinfo_values(e, "alias") == lines(sh("modinfo -F alias '" + path + "'")));
    CHECK(modinfo_values(e, "depends") == lines(sh("modinfo -F depends '" + path + "'")));
    CHECK(flatten(read_file(path)) == flatten(e));
    parsed[m.substr(m.rfind('/') + 1)] = std::move(e);
  }
  CHECK_FALSE(modinfo_values(parsed["aes-arm.ko"], "alias").empty());
  const ModuleElf& af = parsed["af_alg.ko"];
  const ModuleElf& user = parsed["algif_hash.ko"];
  CrcSet used = versioned_imports_of(user);
  int shared = 0;
  for (auto& x : af.exports) shared += used.count({x.crc, std::string(af.str(x.name))});
  CHECK(shared >= 3);
}

TEST_CASE("read_module_elf refuses a FIFO or a device before any read", "[reader]") {
  testing::TempDir d;
  ModuleElf e;
  std::string why;
  REQUIRE(mkfifo((d.path + "/fifo.ko").c_str(), 0600) == 0);  // no writer
  CHECK_FALSE(read_module_elf(d.path + "/fifo.ko", &e, &why));
  CHECK(why == "not a regular file");
  CHECK_FALSE(read_module_elf("/dev/zero", &e, &why));
  CHECK(why == "not a regular file");
}

TEST_CASE("read_module_elf gives what load_module_file + parse_module_elf give", "[reader]") {
  TempDir d;
  for (const char* m : {"mod_a.ko", "mod_b.ko", "mod_c.ko", "mod-d.ko", "mod_e.ko", "loop_x.ko", "loop_y.ko",
                        "fail_init.ko", "boot_one.ko", "boot_two.ko"}) {
    INFO(m);
    std::string path = testmod(m);
    std::string want = flatten(parse_file(path));
    CHECK(flatten(read_file(path)) == want);
    // Without debug info, as distributions ship them: small enough to be
    // read in one piece.
    std::string small = d.path + "/" + m;
    REQUIRE(std::system(("strip --strip-debug -o '" + small + "' '" + path + "'").c_str()) == 0);
    CHECK(read_bytes(small).size() < 16 * 1024);
    CHECK(flatten(read_file(small)) == want);
    CHECK(flatten(parse_file(small)) == want);
    // The symbol prefix goes through the same way.
    ModuleElf a, b;
    std::string why;
    REQUIRE(read_module_elf(path, &a, &why, '_'));
    REQUIRE(parse_module_elf(read_bytes(path), &b, &why, '_'));
    CHECK(flatten(a) == flatten(b));
  }

  // The reader's and the parser's errors come through as they are.
  spit(d.path + "/empty.ko", {});
  std::vector<uint8_t> gz = read_bytes(testmod("mod_a.ko"));
  spit(d.path + "/cut.ko", std::span(gz).first(gz.size() / 2));
  REQUIRE(std::system(("gzip -n -c '" + d.path + "/cut.ko' > '" + d.path + "/cut.ko.gz'").c_str()) == 0);
  gz = read_bytes(d.path + "/cut.ko.gz");
  spit(d.path + "/cut2.ko.gz", std::span(gz).first(gz.size() - 9));
  const std::pair<std::string, std::string> failures[] = {
      {d.path + "/missing.ko", "No such file or directory"},
      {d.path + "/empty.ko", "empty file"},
      {d.path, "Is a directory"},
      {d.path + "/cut.ko.gz", "section header table outside the file"},
      {d.path + "/cut2.ko.gz", "truncated gzip stream"},
  };
  for (const auto& [path, error] : failures) {
    INFO(path);
    ModuleElf e;
    std::string why;
    CHECK_FALSE(read_module_elf(path, &e, &why));
    CHECK(why == error);
  }
}
