// SPDX-License-Identifier: GPL-2.0-or-later
// The libelf reader.  libelf finds the sections (extended numbering
// included), reads their bytes and converts every integer from the
// file's byte order (gelf_xlatetom); the module-level rules (which
// sections, which symbols, the limits) are the ones common/elf_module.h
// documents, written out again here.
#include "tests/libelf_module.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "common/module_file.h"

namespace mng::libelf {
namespace {

bool fail(std::string* why, std::string msg) {
  *why = std::move(msg);
  return false;
}

struct ElfHandle {
  Elf* e = nullptr;
  ~ElfHandle() {
    if (e) elf_end(e);
  }
};

// LEN bytes at P, in the file's byte order, as COUNT values of TYPE in the
// host's (OUT must have room for them).
bool convert(Elf* e, Elf_Type type, const void* p, size_t len, void* out, size_t out_len) {
  Elf_Data src{}, dst{};
  src.d_buf = const_cast<void*>(p);
  src.d_size = len;
  src.d_type = type;
  src.d_version = EV_CURRENT;
  dst.d_buf = out;
  dst.d_size = out_len;
  dst.d_version = EV_CURRENT;
  return gelf_xlatetom(e, &dst, &src, elf_getident(e, nullptr)[EI_DATA]) != nullptr;
}

uint32_t word(Elf* e, const char* p) {
  uint32_t v = 0;
  convert(e, ELF_T_WORD, p, 4, &v, 4);
  return v;
}

struct Sec {
  size_t index = 0;
  GElf_Shdr h{};
  bool found = false;
};

// Strings of a section separated by runs of NULs; a last one without NUL counts.
template <typename F>
void each_string(std::string_view s, F&& cb) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\0') {
      ++i;
      continue;
    }
    size_t end = s.find('\0', i);
    if (end == std::string_view::npos) end = s.size();
    cb(s.substr(i, end - i));
    i = end;
  }
}

struct Reader {
  Elf* e;
  uint64_t n;  // file or image size
  char prefix;
  ModuleElf* out;
  std::string* why;
  size_t count = 0;
  bool is64 = false;
  uint64_t pool_need = 0;  // bytes the other reader's pool would hold

  StrRef add(std::string_view s) {
    StrRef r{static_cast<uint32_t>(out->pool.size()), static_cast<uint32_t>(s.size())};
    out->pool.append(s);
    return r;
  }
  // The bytes of section S: empty when absent, SHT_NOBITS or of size 0.
  bool bytes(const Sec& s, std::string_view* v) {
    *v = {};
    if (!s.found || s.h.sh_type == SHT_NOBITS || s.h.sh_size == 0) return true;
    Elf_Data* d = elf_rawdata(elf_getscn(e, s.index), nullptr);
    if (!d || d->d_size != s.h.sh_size || !d->d_buf) return fail(why, std::string("libelf: ") + elf_errmsg(-1));
    *v = std::string_view(static_cast<const char*>(d->d_buf), d->d_size);
    return true;
  }
  bool header(size_t i, Sec* s) {
    s->index = i;
    s->found = gelf_getshdr(elf_getscn(e, i), &s->h) != nullptr;
    return s->found || fail(why, "libelf: no header for section " + std::to_string(i));
  }

  struct Version {
    std::string_view name;
    uint64_t crc;
    bool used;
  };

  bool run();
  bool versions(std::string_view ver, std::vector<Version>* vers, std::unordered_map<std::string_view, size_t>* first);
  bool tail(bool any_crc, const Sec& kstrings_s, const std::vector<Version>& vers);
  bool symbols(const Sec& symtab, const Sec& strtab, const Sec& xidx, const Sec& versions, const Sec& kstrings);
};

std::string_view strip_import(std::string_view s, char prefix) {
  if (s.starts_with('.')) s.remove_prefix(1);
  if (prefix && s.starts_with(prefix)) s.remove_prefix(1);
  return s;
}

bool Reader::run() {
  if (elf_kind(e) != ELF_K_ELF) return fail(why, "libelf: not an ELF file");
  int cls = gelf_getclass(e);
  if (cls != ELFCLASS32 && cls != ELFCLASS64) return fail(why, "libelf: bad class");
  is64 = cls == ELFCLASS64;
  GElf_Ehdr eh;
  if (!gelf_getehdr(e, &eh)) return fail(why, std::string("libelf: ") + elf_errmsg(-1));
  const unsigned char data = eh.e_ident[EI_DATA];
  if (data != ELFDATA2LSB && data != ELFDATA2MSB) return fail(why, "libelf: bad byte order");
  out->is_64bit = is64;
  out->big_endian = data == ELFDATA2MSB;
  out->machine = eh.e_machine;
  const uint64_t entsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
  if (eh.e_shoff == 0 || eh.e_shentsize != entsize) return fail(why, "libelf: bad section header table");
  size_t strndx;
  if (elf_getshdrnum(e, &count) != 0 || elf_getshdrstrndx(e, &strndx) != 0)
    return fail(why, std::string("libelf: ") + elf_errmsg(-1));
  if (count < 2 || count > std::numeric_limits<uint32_t>::max()) return fail(why, "libelf: no sections");
  if (eh.e_shoff > n || count * entsize > n - eh.e_shoff) return fail(why, "libelf: section headers outside the file");
  if (strndx == 0 || strndx >= count) return fail(why, "libelf: bad name table index");

  Sec names;
  if (!header(strndx, &names)) return false;
  auto inside = [&](const GElf_Shdr& h) { return h.sh_offset <= n && h.sh_size <= n - h.sh_offset; };
  if (names.h.sh_type == SHT_NOBITS || !inside(names.h) || names.h.sh_size == 0) return fail(why, "libelf: bad name table");
  std::string_view nametab;
  if (!bytes(names, &nametab)) return false;
  if (nametab.back() != '\0') return fail(why, "libelf: name table not NUL-terminated");

  Sec symtab, modinfo, versions, kstrings, xidx;
  for (size_t i = 1; i < count; ++i) {
    Sec s;
    if (!header(i, &s)) return false;
    if (s.h.sh_name >= nametab.size()) return fail(why, "libelf: section name outside the name table");
    if (s.h.sh_type != SHT_NOBITS && !inside(s.h)) return fail(why, "libelf: section outside the file");
    const char* nm = elf_strptr(e, strndx, s.h.sh_name);
    if (!nm) return fail(why, std::string("libelf: ") + elf_errmsg(-1));
    std::string_view name(nm);
    if (name == ".symtab" && !symtab.found) symtab = s;
    else if (name == ".modinfo" && !modinfo.found) modinfo = s;
    else if (name == "__versions" && !versions.found) versions = s;
    else if (name == "__ksymtab_strings" && !kstrings.found) kstrings = s;
    if (s.h.sh_type == SHT_SYMTAB_SHNDX && !xidx.found) xidx = s;
  }
  Sec strtab;
  if (symtab.found && symtab.h.sh_type != SHT_NOBITS && symtab.h.sh_size > 0) {
    if (symtab.h.sh_link == 0 || symtab.h.sh_link >= count) return fail(why, "libelf: bad .symtab link");
    if (!header(symtab.h.sh_link, &strtab)) return false;
    if (strtab.h.sh_type == SHT_NOBITS) return fail(why, "libelf: string table without data");
  }
  if (xidx.found && xidx.h.sh_link != symtab.index) xidx = Sec{};

  std::string_view mi;
  if (!bytes(modinfo, &mi)) return false;
  pool_need += mi.size();
  if (!mi.empty()) {
    uint32_t base = add(mi).off;
    each_string(mi, [&](std::string_view s) {
      size_t eq = s.find('=');
      if (eq == std::string_view::npos) return;
      uint32_t o = base + static_cast<uint32_t>(s.data() - mi.data());
      out->modinfo.push_back({{o, static_cast<uint32_t>(eq)},
                              {o + static_cast<uint32_t>(eq) + 1, static_cast<uint32_t>(s.size() - eq - 1)}});
    });
  }
  if (!symbols(symtab, strtab, xidx, versions, kstrings)) return false;
  const uint64_t pool_max = std::min<uint64_t>(std::numeric_limits<uint32_t>::max(), n * 2 + (1u << 20));
  if (pool_need > pool_max) return fail(why, "libelf: too much name data");
  return true;
}

bool Reader::symbols(const Sec& symtab, const Sec& strtab, const Sec& xidx_s, const Sec& versions_s,
                     const Sec& kstrings_s) {
  std::string_view symraw, str, ver, xraw;
  if (!bytes(symtab, &symraw) || !bytes(strtab, &str) || !bytes(versions_s, &ver) || !bytes(xidx_s, &xraw))
    return false;
  const size_t symsize = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
  if (symraw.size() % symsize) return fail(why, "libelf: .symtab size");
  const size_t nsyms = symraw.size() / symsize;
  if (nsyms > 1 && (str.empty() || str.back() != '\0')) return fail(why, "libelf: string table not NUL-terminated");
  if (ver.size() % 64) return fail(why, "libelf: __versions size");

  std::vector<Version> vers;
  std::unordered_map<std::string_view, size_t> first(ver.size() / 32 + 1);
  if (!versions(ver, &vers, &first)) return false;

  // Symbols, converted to the host's layout by libelf.
  std::vector<Elf64_Sym> s64(is64 ? nsyms : 0);
  std::vector<Elf32_Sym> s32(is64 ? 0 : nsyms);
  void* dst = is64 ? static_cast<void*>(s64.data()) : static_cast<void*>(s32.data());
  if (nsyms && !convert(e, ELF_T_SYM, symraw.data(), symraw.size(), dst, symraw.size()))
    return fail(why, std::string("libelf: ") + elf_errmsg(-1));
  std::vector<uint32_t> xidx(xraw.size() / 4);
  if (!xidx.empty() && !convert(e, ELF_T_WORD, xraw.data(), xidx.size() * 4, xidx.data(), xidx.size() * 4))
    return fail(why, std::string("libelf: ") + elf_errmsg(-1));

  const bool sparc = out->machine == EM_SPARC || out->machine == EM_SPARC32PLUS || out->machine == EM_SPARCV9;
  bool any_crc = false;
  for (size_t i = 1; i < nsyms; ++i) {
    uint32_t name_off = is64 ? s64[i].st_name : s32[i].st_name;
    unsigned char info = is64 ? s64[i].st_info : s32[i].st_info;
    uint16_t shndx = is64 ? s64[i].st_shndx : s32[i].st_shndx;
    uint64_t value = is64 ? s64[i].st_value : s32[i].st_value;
    if (name_off >= str.size()) return fail(why, "libelf: symbol name outside the string table");
    std::string_view name(str.data() + name_off);
    if (name.empty()) continue;
    if (shndx == SHN_UNDEF && !(sparc && GELF_ST_TYPE(info) == STT_SPARC_REGISTER)) {
      std::string_view imp = strip_import(name, prefix);
      uint64_t crc = 0;
      auto it = first.find(imp);
      if (it != first.end()) {
        crc = vers[it->second].crc;
        vers[it->second].used = true;
      }
      pool_need += imp.size();
      out->imports.push_back({add(imp), crc, GELF_ST_BIND(info) == STB_WEAK});
    }
    if (!name.starts_with("__crc_")) continue;
    std::string_view exp = name.substr(6);
    if (prefix && exp.starts_with(prefix)) exp.remove_prefix(1);
    if (shndx >= SHN_LORESERVE && shndx != SHN_ABS && shndx != SHN_XINDEX) return fail(why, "libelf: special __crc_ index");
    size_t sec = shndx;
    if (shndx == SHN_XINDEX) {
      if (i >= xidx.size()) return fail(why, "libelf: no extended index");
      sec = xidx[i];
    }
    uint64_t crc = value;
    if (shndx != SHN_ABS && shndx != SHN_UNDEF) {
      // A relocatable CRC: VALUE is where in section SEC the 32-bit CRC is.
      if (sec == 0 || sec >= count) return fail(why, "libelf: bad __crc_ section");
      Sec cs;
      std::string_view cd;
      if (!header(sec, &cs) || !bytes(cs, &cd)) return false;
      if (value > cd.size() || cd.size() - value < 4) return fail(why, "libelf: CRC outside its section");
      crc = word(e, cd.data() + value);
    }
    pool_need += exp.size();
    out->exports.push_back({add(exp), crc});
    any_crc = true;
  }

  return tail(any_crc, kstrings_s, vers);
}

// __versions: the first entry of a name is the one symbols find.
bool Reader::versions(std::string_view ver, std::vector<Version>* vers,
                      std::unordered_map<std::string_view, size_t>* first) {
  vers->reserve(ver.size() / 64);
  for (size_t at = 0; at < ver.size(); at += 64) {
    std::string_view ent = ver.substr(at, 64);
    const size_t w = is64 ? 8 : 4;
    size_t z = ent.find('\0', w);
    if (z == std::string_view::npos) return fail(why, "libelf: __versions name not NUL-terminated");
    uint64_t crc = 0;
    if (is64) {
      if (!convert(e, ELF_T_XWORD, ent.data(), 8, &crc, 8)) return fail(why, "libelf: CRC conversion");
    } else {
      crc = word(e, ent.data());
    }
    std::string_view name = strip_import(ent.substr(w, z - w), prefix);
    first->emplace(name, vers->size());
    vers->push_back({name, crc, false});
  }
  return true;
}

// Without __crc_ symbols every name in __ksymtab_strings is an export;
// then the __versions entries no symbol referred to are imports.
bool Reader::tail(bool any_crc, const Sec& kstrings_s, const std::vector<Version>& vers) {
  if (!any_crc) {
    std::string_view ks;
    if (!bytes(kstrings_s, &ks)) return false;
    pool_need += ks.size();
    each_string(ks, [&](std::string_view s) {
      if (prefix && s.starts_with(prefix)) s.remove_prefix(1);
      if (!s.empty()) out->exports.push_back({add(s), 0});
    });
  }
  for (const Version& v : vers) {
    if (v.used) continue;
    pool_need += v.name.size();
    out->imports.push_back({add(v.name), v.crc, false});
  }
  return true;
}

void reset(ModuleElf* out) { *out = ModuleElf{}; }

bool parse_elf(Elf* e, uint64_t n, ModuleElf* out, std::string* why, char prefix) {
  reset(out);
  if (!e) return fail(why, std::string("libelf: ") + elf_errmsg(-1));
  Reader r{e, n, prefix, out, why};
  if (r.run()) return true;
  reset(out);
  return false;
}

void init() {
  static const bool ok = elf_version(EV_CURRENT) != EV_NONE;
  (void)ok;
}

}  // namespace

bool parse_module(std::span<const uint8_t> image, ModuleElf* out, std::string* why, char sym_prefix) {
  init();
  // elf_memory may convert data in place: give it a copy.
  std::vector<char> copy(image.begin(), image.end());
  ElfHandle h{elf_memory(copy.data(), copy.size())};
  return parse_elf(h.e, copy.size(), out, why, sym_prefix);
}

bool read_module(const std::string& path, ModuleElf* out, std::string* why, char sym_prefix) {
  init();
  reset(out);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(why, strerror(errno));
  struct stat st;
  uint8_t head[8] = {};
  ssize_t got = fstat(fd, &st) == 0 ? pread(fd, head, sizeof head, 0) : -1;
  if (got < 0) {
    fail(why, strerror(errno));
    close(fd);
    return false;
  }
  Compression c = sniff_compression({head, static_cast<size_t>(got)});
  bool ok;
  if (c == Compression::none) {
    ElfHandle h{elf_begin(fd, ELF_C_READ, nullptr)};
    ok = parse_elf(h.e, static_cast<uint64_t>(st.st_size), out, why, sym_prefix);
  } else {
    ModuleBytes bytes;
    ok = load_module_file(path, &bytes, why) && parse_module(bytes.bytes(), out, why, sym_prefix);
  }
  close(fd);
  return ok;
}

namespace {
template <typename T>
std::string differ(const std::string& what, const T& a, const T& b) {
  if constexpr (std::is_convertible_v<T, std::string_view>) {
    return what + ": \"" + std::string(a) + "\" != \"" + std::string(b) + "\"";
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, ": %#llx != %#llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b));
    return what + buf;
  }
}

// The first difference between two symbol lists: length, then each name and CRC (and weakness, for
// the imports).
template <typename Sym>
std::string symbols_difference(const std::string& what, const ModuleElf& a, const std::vector<Sym>& as,
                               const ModuleElf& b, const std::vector<Sym>& bs) {
  if (as.size() != bs.size()) return differ(what + ".size", as.size(), bs.size());
  for (size_t i = 0; i < as.size(); ++i) {
    std::string at = what + "[" + std::to_string(i) + "]";
    if (a.str(as[i].name) != b.str(bs[i].name)) return differ(at + ".name", a.str(as[i].name), b.str(bs[i].name));
    if (as[i].crc != bs[i].crc) return differ(at + ".crc", as[i].crc, bs[i].crc);
    if constexpr (requires { as[i].weak; })
      if (as[i].weak != bs[i].weak) return differ(at + ".weak", as[i].weak, bs[i].weak);
  }
  return "";
}
}  // namespace

std::string first_difference(const ModuleElf& a, const ModuleElf& b) {
  if (a.is_64bit != b.is_64bit) return differ("is_64bit", a.is_64bit, b.is_64bit);
  if (a.big_endian != b.big_endian) return differ("big_endian", a.big_endian, b.big_endian);
  if (a.machine != b.machine) return differ("machine", a.machine, b.machine);
  if (std::string d = symbols_difference("exports", a, a.exports, b, b.exports); !d.empty()) return d;
  if (std::string d = symbols_difference("imports", a, a.imports, b, b.imports); !d.empty()) return d;
  if (a.modinfo.size() != b.modinfo.size()) return differ("modinfo.size", a.modinfo.size(), b.modinfo.size());
  for (size_t i = 0; i < a.modinfo.size(); ++i) {
    std::string at = "modinfo[" + std::to_string(i) + "]";
    if (a.str(a.modinfo[i].key) != b.str(b.modinfo[i].key))
      return differ(at + ".key", a.str(a.modinfo[i].key), b.str(b.modinfo[i].key));
    if (a.str(a.modinfo[i].value) != b.str(b.modinfo[i].value))
      return differ(at + ".value", a.str(a.modinfo[i].value), b.str(b.modinfo[i].value));
  }
  return "";
}

}  // namespace mng::libelf
