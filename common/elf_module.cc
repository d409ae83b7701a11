// SPDX-License-Identifier: GPL-2.0-or-later
// Reads the few sections depmod and modprobe care about from a module's
// ELF image.  Every field is read with memcpy (no alignment assumptions)
// and byte-swapped when the file's byte order differs from the host's.
// Bytes come from an ElfSource, so the same code parses a mapped image
// and a file read piecewise.
#include "common/elf_module.h"

#include <elf.h>

#include <bit>
#include <cstddef>
#include <cstring>
#include <limits>

#include "common/elf_source.h"

namespace mng {
namespace {

constexpr unsigned kSttSparcRegister = 13;  // STT_SPARC_REGISTER
constexpr size_t kVersionEntry = 64;        // struct modversion_info: crc + name, 64 bytes in all

bool fail(std::string* why, std::string msg) {
  *why = std::move(msg);
  return false;
}

// Strings of a section laid out as "a\0b\0\0c": runs of NULs separate
// them; a last string without NUL still counts (as in kmod).  CB gets
// each non-empty string in order.
template <typename F>
void each_string(std::string_view sec, F&& cb) {
  size_t i = 0;
  while (i < sec.size()) {
    if (sec[i] == '\0') {
      ++i;
      continue;
    }
    const void* z = std::memchr(sec.data() + i, '\0', sec.size() - i);
    size_t end = z ? static_cast<size_t>(static_cast<const char*>(z) - sec.data()) : sec.size();
    cb(i, end - i);
    i = end;
  }
}

// Small open-addressing hash of the __versions names, kept per thread so
// that parsing thousands of modules does not allocate for it each time.
struct VersionTable {
  struct Entry {
    std::string_view name;  // with '.' and the symbol prefix removed
    uint64_t crc;
    bool used;
  };
  std::vector<Entry> entries;
  std::vector<uint32_t> slots;  // index + 1, 0 = empty
  uint32_t mask = 0;

  static uint32_t hash(std::string_view s) {
    uint32_t h = 2166136261u;  // FNV-1a
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    return h;
  }
  void reset(size_t n) {
    entries.clear();
    entries.reserve(n);
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots.assign(cap, 0);
    mask = static_cast<uint32_t>(cap - 1);
  }
  // The first entry of a name is the one found, as in a linear search.
  void add(std::string_view name, uint64_t crc) {
    entries.push_back({name, crc, false});
    for (uint32_t h = hash(name) & mask;; h = (h + 1) & mask) {
      if (slots[h] == 0) {
        slots[h] = static_cast<uint32_t>(entries.size());
        return;
      }
      if (entries[slots[h] - 1].name == name) return;
    }
  }
  Entry* find(std::string_view name) {
    if (entries.empty()) return nullptr;
    for (uint32_t h = hash(name) & mask;; h = (h + 1) & mask) {
      if (slots[h] == 0) return nullptr;
      Entry& e = entries[slots[h] - 1];
      if (e.name == name) return &e;
    }
  }
};

std::string_view strip_import(std::string_view s, char prefix) {
  if (!s.empty() && s[0] == '.') s.remove_prefix(1);  // ppc64 function descriptors: .foo is foo
  if (prefix && !s.empty() && s[0] == prefix) s.remove_prefix(1);
  return s;
}

bool is_crc_name(const char* s) {  // s is NUL-terminated: stops at the first mismatch
  return s[0] == '_' && s[1] == '_' && s[2] == 'c' && s[3] == 'r' && s[4] == 'c' && s[5] == '_';
}

struct Parser {
  Parser(ElfSource& s, ModuleElf* o, std::string* w, char p) : src(s), out(o), why(w), prefix(p) {}
  ElfSource& src;
  ModuleElf* out;
  std::string* why;
  char prefix;
  Endian e;
  SectionTable sh;
  uint64_t pool_max = 0;
  uint32_t crc_sec = 0;  // last section a relocatable CRC was read from
  std::string_view crc_data;

  bool pool_room(size_t len) {
    if (out->pool.size() + len > pool_max) return fail(why, "too much symbol name data for the image size");
    return true;
  }
  StrRef append(std::string_view s) {
    StrRef r{static_cast<uint32_t>(out->pool.size()), static_cast<uint32_t>(s.size())};
    out->pool.append(s);
    return r;
  }
  // The bytes of a section; empty for SHT_NOBITS (no file space) or absent.
  bool data(const Section& s, std::string_view* v) {
    *v = {};
    if (!s.found || s.type == SHT_NOBITS || s.size == 0) return true;
    return src.fetch(s.off, s.size, v, why);
  }

  bool run();
  bool modinfo(std::string_view sec);
  bool symbols(const Section& symtab, const Section& strtab, const Section& shndx_tab, const Section& versions,
               const Section& kstrings);
  bool crc_from_section(uint32_t shndx, uint64_t value, std::string_view name, uint64_t* crc);
  bool versions(std::string_view ver_d, VersionTable& vt);
  bool kstrings_exports(const Section& kstrings_s);
  bool unused_versions(const VersionTable& vt);
};

bool Parser::run() {
  if (!read_section_table(src, &sh, why)) return false;
  e = sh.e;
  out->is_64bit = sh.is64;
  out->big_endian = sh.big_endian;
  out->machine = sh.machine;
  const uint64_t n = src.size();
  const uint32_t count = sh.count;

  // The sections read below.
  Section symtab, modinfo_s, versions, kstrings, shndx_tab;
  uint32_t symtab_idx = 0;
  thread_local std::vector<std::pair<uint64_t, uint64_t>> wanted;  // file ranges about to be read
  wanted.clear();
  for (uint32_t i = 1; i < count; ++i) {
    Section s = sh.read(i);
    const char* name = sh.name(s);
    switch (name[0]) {
      case '.':
        if (!symtab.found && std::strcmp(name, ".symtab") == 0) {
          symtab = s;
          symtab_idx = i;
        } else if (!modinfo_s.found && std::strcmp(name, ".modinfo") == 0) {
          modinfo_s = s;
        }
        break;
      case '_':
        if (!versions.found && std::strcmp(name, "__versions") == 0)
          versions = s;
        else if (!kstrings.found && std::strcmp(name, "__ksymtab_strings") == 0)
          kstrings = s;
        else if (std::strncmp(name, "__kcrctab", 9) == 0 && s.type != SHT_NOBITS)
          wanted.emplace_back(s.off, s.size);  // where relocatable CRCs usually live
        break;
    }
    if (s.type == SHT_SYMTAB_SHNDX && !shndx_tab.found) shndx_tab = s;
  }

  Section strtab;
  if (symtab.found && symtab.type != SHT_NOBITS && symtab.size > 0) {
    if (symtab.link == SHN_UNDEF || symtab.link >= count) return fail(why, ".symtab: bad string table link");
    strtab = sh.read(symtab.link);
    if (strtab.type == SHT_NOBITS) return fail(why, ".symtab: string table has no data");
  }
  // SHT_SYMTAB_SHNDX only counts when it belongs to this .symtab.
  if (shndx_tab.found && shndx_tab.link != symtab_idx) shndx_tab = Section{};

  for (const Section* s : {&symtab, &strtab, &modinfo_s, &versions, &kstrings, &shndx_tab})
    if (s->found && s->type != SHT_NOBITS && s->size) wanted.emplace_back(s->off, s->size);
  if (!src.prefetch(wanted, why)) return false;

  // Legitimate names never add up to much more than the image; a hostile
  // symtab pointing many entries at one long name must not blow up the pool.
  pool_max = std::min<uint64_t>(std::numeric_limits<uint32_t>::max(), n * 2 + (1u << 20));
  out->pool.reserve(static_cast<size_t>(std::min<uint64_t>(
      pool_max, modinfo_s.size + kstrings.size + versions.size / 4 + 256)));

  std::string_view modinfo_d;
  out->has_modinfo_section = modinfo_s.found;
  if (!data(modinfo_s, &modinfo_d) || !modinfo(modinfo_d)) return false;
  return symbols(symtab, strtab, shndx_tab, versions, kstrings);
}

bool Parser::modinfo(std::string_view sec) {
  if (sec.empty()) return true;
  if (!pool_room(sec.size())) return false;
  // The section is copied once; keys and values point into the copy.
  out->modinfo_section = append(sec);
  uint32_t base = out->modinfo_section.off;
  size_t count = 0;
  each_string(sec, [&](size_t, size_t) { ++count; });
  out->modinfo.reserve(count);
  each_string(sec, [&](size_t off, size_t len) {
    std::string_view s = sec.substr(off, len);
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return;  // not key=value: nothing to report
    uint32_t o = base + static_cast<uint32_t>(off);
    out->modinfo.push_back({StrRef{o, static_cast<uint32_t>(eq)},
                            StrRef{o + static_cast<uint32_t>(eq) + 1, static_cast<uint32_t>(len - eq - 1)}});
  });
  return true;
}

// The CRC of an exported symbol in a relocatable object: __crc_NAME's
// value is an offset into the section that holds the 32-bit CRC.
bool Parser::crc_from_section(uint32_t shndx, uint64_t value, std::string_view name, uint64_t* crc) {
  if (shndx == 0 || shndx >= sh.count) return fail(why, "__crc_" + std::string(name) + ": bad section index");
  if (shndx != crc_sec) {
    Section s = sh.read(shndx);
    if (!data(s, &crc_data)) return false;
    crc_sec = shndx;
  }
  if (!fits(value, 4, crc_data.size())) return fail(why, "__crc_" + std::string(name) + ": CRC outside its section");
  *crc = e.u32(crc_data, value);
  return true;
}

bool Parser::symbols(const Section& symtab, const Section& strtab, const Section& shndx_tab,
                     const Section& versions_s, const Section& kstrings_s) {
  const bool is64 = out->is_64bit;
  const size_t symsize = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
  std::string_view sym_d, str_d, ver_d, xidx_d;
  if (!data(symtab, &sym_d) || !data(strtab, &str_d) || !data(versions_s, &ver_d) || !data(shndx_tab, &xidx_d))
    return false;
  if (sym_d.size() % symsize != 0) return fail(why, ".symtab size is not a multiple of the symbol size");
  const size_t nsyms = sym_d.size() / symsize;
  if (nsyms > 1 && (str_d.empty() || str_d.back() != '\0')) return fail(why, "symbol string table not NUL-terminated");
  if (ver_d.size() % kVersionEntry != 0) return fail(why, "__versions size is not a multiple of 64");

  thread_local VersionTable vt;
  if (!versions(ver_d, vt)) return false;
  const size_t nver = vt.entries.size();

  const uint16_t m = out->machine;
  const bool skip_registers = m == EM_SPARC || m == EM_SPARC32PLUS || m == EM_SPARCV9;
  const size_t xidx_entries = xidx_d.size() / 4;
  bool any_crc = false;
  // With MODVERSIONS nearly every import has a __versions entry.
  out->imports.reserve(nver ? nver + 8 : nsyms / 8);

  for (size_t i = 1; i < nsyms; ++i) {
    const size_t s = i * symsize;
    uint32_t name_off;
    uint16_t shndx;
    uint8_t info;
    if (is64) {
      name_off = e.u32(sym_d, s + offsetof(Elf64_Sym, st_name));
      info = static_cast<uint8_t>(sym_d[s + offsetof(Elf64_Sym, st_info)]);
      shndx = e.u16(sym_d, s + offsetof(Elf64_Sym, st_shndx));
    } else {
      name_off = e.u32(sym_d, s + offsetof(Elf32_Sym, st_name));
      info = static_cast<uint8_t>(sym_d[s + offsetof(Elf32_Sym, st_info)]);
      shndx = e.u16(sym_d, s + offsetof(Elf32_Sym, st_shndx));
    }
    if (name_off >= str_d.size()) return fail(why, "symbol " + std::to_string(i) + ": name outside the string table");
    const char* nm = str_d.data() + name_off;  // NUL-terminated: the table ends in NUL
    if (*nm == '\0') continue;

    if (shndx == SHN_UNDEF) {
      // The type is the low 4 bits of st_info in both ELF classes.
      if (!(skip_registers && (info & 0xf) == kSttSparcRegister)) {
        std::string_view name = strip_import(std::string_view(nm), prefix);
        if (!pool_room(name.size())) return false;
        uint64_t crc = 0;
        if (VersionTable::Entry* v = vt.find(name)) {
          crc = v->crc;
          v->used = true;
        }
        out->imports.push_back({append(name), crc, (info >> 4) == STB_WEAK});
      }
    }
    if (is_crc_name(nm)) {
      std::string_view name(nm + 6);
      if (prefix && !name.empty() && name[0] == prefix) name.remove_prefix(1);
      uint64_t crc = is64 ? e.u64(sym_d, s + offsetof(Elf64_Sym, st_value)) : e.u32(sym_d, s + offsetof(Elf32_Sym, st_value));
      if (shndx >= SHN_LORESERVE && shndx != SHN_ABS && shndx != SHN_XINDEX)
        return fail(why, "__crc_" + std::string(name) + ": unexpected special section index");
      uint32_t sec = shndx;
      if (shndx == SHN_XINDEX) {
        if (i >= xidx_entries) return fail(why, "__crc_" + std::string(name) + ": missing extended section index");
        sec = e.u32(xidx_d, i * 4);
      }
      if (shndx != SHN_ABS && shndx != SHN_UNDEF && !crc_from_section(sec, crc, name, &crc)) return false;
      if (!pool_room(name.size())) return false;
      out->exports.push_back({append(name), crc});
      any_crc = true;
    }
  }

  if (!any_crc && !kstrings_exports(kstrings_s)) return false;

  return unused_versions(vt);
}

// __versions entries no symbol referred to (module_layout and the like).
bool Parser::unused_versions(const VersionTable& vt) {
  for (const VersionTable::Entry& v : vt.entries) {
    if (v.used) continue;
    if (!pool_room(v.name.size())) return false;
    out->imports.push_back({append(v.name), v.crc, false});
  }
  return true;
}

// __versions: CRC (4 or 8 bytes, file byte order) then a NUL-padded name.
bool Parser::versions(std::string_view ver_d, VersionTable& vt) {
  const bool is64 = out->is_64bit;
  const size_t crclen = is64 ? 8 : 4;
  const size_t nver = ver_d.size() / kVersionEntry;
  vt.reset(nver);
  for (size_t i = 0; i < nver; ++i) {
    std::string_view ent = ver_d.substr(i * kVersionEntry, kVersionEntry);
    size_t z = ent.find('\0', crclen);
    if (z == std::string_view::npos) return fail(why, "__versions entry " + std::to_string(i) + " not NUL-terminated");
    vt.add(strip_import(ent.substr(crclen, z - crclen), prefix), is64 ? e.u64(ent, 0) : e.u32(ent, 0));
  }
  return true;
}

// Kernels built without MODVERSIONS have no __crc_ symbols: every name
// in __ksymtab_strings is then an export.
bool Parser::kstrings_exports(const Section& kstrings_s) {
  std::string_view kstrings;
  if (!data(kstrings_s, &kstrings) || !pool_room(kstrings.size())) return false;
  if (kstrings.empty()) return true;
  uint32_t base = append(kstrings).off;
  each_string(kstrings, [&](size_t off, size_t len) {
    StrRef r{base + static_cast<uint32_t>(off), static_cast<uint32_t>(len)};
    if (prefix && out->pool[r.off] == prefix) {
      ++r.off;
      --r.len;
      if (r.len == 0) return;
    }
    out->exports.push_back({r, 0});
  });
  return true;
}


}  // namespace

std::vector<std::string_view> section_strings(std::string_view sec) {
  std::vector<std::string_view> out;
  each_string(sec, [&](size_t off, size_t len) { out.push_back(sec.substr(off, len)); });
  return out;
}

Section SectionTable::read(uint32_t i) const {
  size_t h = size_t(i) * entsize;
  Section s;
  s.header = shoff + h;
  s.name = e.u32(tab, h);  // sh_name comes first in both layouts
  if (is64) {
    s.type = e.u32(tab, h + offsetof(Elf64_Shdr, sh_type));
    s.flags = e.u64(tab, h + offsetof(Elf64_Shdr, sh_flags));
    s.off = e.u64(tab, h + offsetof(Elf64_Shdr, sh_offset));
    s.size = e.u64(tab, h + offsetof(Elf64_Shdr, sh_size));
    s.link = e.u32(tab, h + offsetof(Elf64_Shdr, sh_link));
  } else {
    s.type = e.u32(tab, h + offsetof(Elf32_Shdr, sh_type));
    s.flags = e.u32(tab, h + offsetof(Elf32_Shdr, sh_flags));
    s.off = e.u32(tab, h + offsetof(Elf32_Shdr, sh_offset));
    s.size = e.u32(tab, h + offsetof(Elf32_Shdr, sh_size));
    s.link = e.u32(tab, h + offsetof(Elf32_Shdr, sh_link));
  }
  s.found = true;
  return s;
}

bool read_section_table(ElfSource& src, SectionTable* t, std::string* why) {
  const uint64_t n = src.size();
  std::string_view eh;
  if (!src.fetch(0, std::min<uint64_t>(n, sizeof(Elf64_Ehdr)), &eh, why)) return false;
  if (eh.size() < EI_NIDENT || std::memcmp(eh.data(), ELFMAG, SELFMAG) != 0) return fail(why, "not an ELF file");
  bool is64;
  switch (eh[EI_CLASS]) {
    case ELFCLASS32: is64 = false; break;
    case ELFCLASS64: is64 = true; break;
    default: return fail(why, "invalid ELF class");
  }
  bool be;
  switch (eh[EI_DATA]) {
    case ELFDATA2LSB: be = false; break;
    case ELFDATA2MSB: be = true; break;
    default: return fail(why, "invalid ELF byte order");
  }
  if (eh.size() < (is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) return fail(why, "truncated ELF header");
  Endian e;
  e.swap = be != (std::endian::native == std::endian::big);
  *t = SectionTable{};
  t->e = e;
  t->is64 = is64;
  t->big_endian = be;

  uint64_t shoff;
  uint32_t count, entsize, shstrndx;
  if (is64) {
    t->machine = e.u16(eh, offsetof(Elf64_Ehdr, e_machine));
    shoff = e.u64(eh, offsetof(Elf64_Ehdr, e_shoff));
    count = e.u16(eh, offsetof(Elf64_Ehdr, e_shnum));
    entsize = e.u16(eh, offsetof(Elf64_Ehdr, e_shentsize));
    shstrndx = e.u16(eh, offsetof(Elf64_Ehdr, e_shstrndx));
  } else {
    t->machine = e.u16(eh, offsetof(Elf32_Ehdr, e_machine));
    shoff = e.u32(eh, offsetof(Elf32_Ehdr, e_shoff));
    count = e.u16(eh, offsetof(Elf32_Ehdr, e_shnum));
    entsize = e.u16(eh, offsetof(Elf32_Ehdr, e_shentsize));
    shstrndx = e.u16(eh, offsetof(Elf32_Ehdr, e_shstrndx));
  }
  if (shoff == 0) return fail(why, "no section header table");
  if (entsize != (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) return fail(why, "bad section header size");
  if (!fits(shoff, entsize, n)) return fail(why, "section header table outside the file");
  t->shoff = shoff;
  t->count = 1;
  t->entsize = entsize;
  // Extended numbering: with 0xff00 or more sections the real count and
  // name-table index live in section 0's sh_size and sh_link.
  if (count == 0 || shstrndx == SHN_XINDEX) {
    if (!src.fetch(shoff, entsize, &t->tab, why)) return false;
    Section s0 = t->read(0);
    if (count == 0) {
      if (s0.size > std::numeric_limits<uint32_t>::max()) return fail(why, "bad extended section count");
      count = static_cast<uint32_t>(s0.size);
    }
    if (shstrndx == SHN_XINDEX) shstrndx = s0.link;
  }
  if (count < 2) return fail(why, "no sections");
  if (!fits(shoff, uint64_t(count) * entsize, n)) return fail(why, "section header table outside the file");
  if (shstrndx == SHN_UNDEF || shstrndx >= count) return fail(why, "bad section name table index");
  if (!src.fetch(shoff, uint64_t(count) * entsize, &t->tab, why)) return false;
  t->count = count;

  Section names = t->read(shstrndx);
  if (names.type == SHT_NOBITS || !fits(names.off, names.size, n)) return fail(why, "section name table outside the file");
  if (names.size == 0) return fail(why, "section name table not NUL-terminated");
  if (!src.fetch(names.off, names.size, &t->names, why)) return false;
  if (t->names.back() != '\0') return fail(why, "section name table not NUL-terminated");

  // Every section's name and extent, so that users of the table need not check them.
  for (uint32_t i = 1; i < count; ++i) {
    Section s = t->read(i);
    if (s.name >= t->names.size()) return fail(why, "section " + std::to_string(i) + ": name outside the name table");
    if (s.type != SHT_NOBITS && !fits(s.off, s.size, n))
      return fail(why, "section " + std::to_string(i) + " (" + t->name(s) + ") outside the file");
  }
  return true;
}

bool parse_module_source(ElfSource& src, ModuleElf* out, std::string* why, char sym_prefix) {
  clear_module_elf(out);
  out->is_64bit = false;
  out->big_endian = false;
  out->machine = 0;
  Parser ps(src, out, why, sym_prefix);
  if (ps.run()) return true;
  clear_module_elf(out);  // a failed parse leaves nothing half-filled behind
  return false;
}

void clear_module_elf(ModuleElf* out) {
  out->pool.clear();
  out->exports.clear();
  out->imports.clear();
  out->modinfo.clear();
  out->modinfo_section = {};
  out->has_modinfo_section = false;
}

bool parse_module_elf(std::span<const uint8_t> image, ModuleElf* out, std::string* why, char sym_prefix) {
  SpanSource src(image);
  return parse_module_source(src, out, why, sym_prefix);
}

}  // namespace mng
