#include "common/module_sections.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

namespace mng {
namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Reads [off, off+len) of the file into the same place of BUF, clipped to
// the file; false on an I/O error.
bool fill(int fd, std::vector<uint8_t>& buf, uint64_t off, uint64_t len) {
  if (off >= buf.size()) return true;
  if (len > buf.size() - off) len = buf.size() - off;
  while (len > 0) {
    ssize_t n = pread(fd, buf.data() + off, len, static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<uint64_t>(n);
    len -= static_cast<uint64_t>(n);
  }
  return true;
}

// Field access in the file's byte order, bounds-checked against BUF.
struct View {
  const std::vector<uint8_t>& b;
  bool swap, is64;
  template <typename T>
  T get(uint64_t off) const {
    T v{};
    if (off > b.size() || sizeof v > b.size() - off) return v;
    std::memcpy(&v, b.data() + off, sizeof v);
    if (swap) {
      if constexpr (sizeof(T) == 2) v = __builtin_bswap16(v);
      if constexpr (sizeof(T) == 4) v = __builtin_bswap32(v);
      if constexpr (sizeof(T) == 8) v = __builtin_bswap64(v);
    }
    return v;
  }
  uint64_t word(uint64_t off32, uint64_t off64) const {
    return is64 ? get<uint64_t>(off64) : get<uint32_t>(off32);
  }
};

struct Shdr {
  uint32_t name, type, link;
  uint64_t off, size;
};

Shdr section(const View& v, uint64_t shoff, uint32_t entsize, uint32_t i) {
  uint64_t h = shoff + uint64_t(i) * entsize;
  Shdr s;
  s.name = v.get<uint32_t>(h);
  if (v.is64) {
    s.type = v.get<uint32_t>(h + offsetof(Elf64_Shdr, sh_type));
    s.off = v.get<uint64_t>(h + offsetof(Elf64_Shdr, sh_offset));
    s.size = v.get<uint64_t>(h + offsetof(Elf64_Shdr, sh_size));
    s.link = v.get<uint32_t>(h + offsetof(Elf64_Shdr, sh_link));
  } else {
    s.type = v.get<uint32_t>(h + offsetof(Elf32_Shdr, sh_type));
    s.off = v.get<uint32_t>(h + offsetof(Elf32_Shdr, sh_offset));
    s.size = v.get<uint32_t>(h + offsetof(Elf32_Shdr, sh_size));
    s.link = v.get<uint32_t>(h + offsetof(Elf32_Shdr, sh_link));
  }
  return s;
}

bool wanted_name(const char* n) {
  return std::strcmp(n, ".symtab") == 0 || std::strcmp(n, ".modinfo") == 0 || std::strcmp(n, "__versions") == 0 ||
         std::strcmp(n, "__ksymtab_strings") == 0;
}

// Fills every region the parser may read.  Anything malformed is left for
// the parser to report: this step only decides what to read.
bool fill_sections(int fd, std::vector<uint8_t>& buf) {
  const uint64_t n = buf.size();
  if (!fill(fd, buf, 0, sizeof(Elf64_Ehdr))) return false;
  if (n < EI_NIDENT || std::memcmp(buf.data(), ELFMAG, SELFMAG) != 0) return true;
  bool is64 = buf[EI_CLASS] == ELFCLASS64;
  bool be = buf[EI_DATA] == ELFDATA2MSB;
  View v{buf, be != (std::endian::native == std::endian::big), is64};
  uint64_t shoff = v.word(offsetof(Elf32_Ehdr, e_shoff), offsetof(Elf64_Ehdr, e_shoff));
  uint32_t count = v.get<uint16_t>(is64 ? offsetof(Elf64_Ehdr, e_shnum) : offsetof(Elf32_Ehdr, e_shnum));
  uint32_t entsize = v.get<uint16_t>(is64 ? offsetof(Elf64_Ehdr, e_shentsize) : offsetof(Elf32_Ehdr, e_shentsize));
  uint32_t shstrndx = v.get<uint16_t>(is64 ? offsetof(Elf64_Ehdr, e_shstrndx) : offsetof(Elf32_Ehdr, e_shstrndx));
  if (shoff == 0 || shoff >= n || entsize == 0) return true;
  if (!fill(fd, buf, shoff, entsize)) return false;
  if (count == 0 || shstrndx == SHN_XINDEX) {
    Shdr s0 = section(v, shoff, entsize, 0);
    if (count == 0) count = static_cast<uint32_t>(std::min<uint64_t>(s0.size, UINT32_MAX));
    if (shstrndx == SHN_XINDEX) shstrndx = s0.link;
  }
  if (uint64_t(count) * entsize > n) return true;
  if (!fill(fd, buf, shoff, uint64_t(count) * entsize)) return false;
  if (shstrndx >= count) return true;
  Shdr names = section(v, shoff, entsize, shstrndx);
  if (names.off >= n || names.size > n - names.off || names.size == 0) return true;
  if (!fill(fd, buf, names.off, names.size)) return false;
  const char* nametab = reinterpret_cast<const char*>(buf.data() + names.off);
  if (nametab[names.size - 1] != '\0') return true;

  // The named sections, every symbol table with its strings, and the
  // extended index tables.
  std::vector<Shdr> symtabs;
  for (uint32_t i = 1; i < count; ++i) {
    Shdr s = section(v, shoff, entsize, i);
    if (s.type == SHT_NOBITS || s.name >= names.size) continue;
    const char* name = nametab + s.name;
    bool want = wanted_name(name) || s.type == SHT_SYMTAB_SHNDX;
    if (!want) continue;
    if (!fill(fd, buf, s.off, s.size)) return false;
    if (std::strcmp(name, ".symtab") == 0 && s.link < count) {
      Shdr str = section(v, shoff, entsize, s.link);
      if (str.type != SHT_NOBITS && !fill(fd, buf, str.off, str.size)) return false;
      symtabs.push_back(s);
      symtabs.back().link = s.link;
    }
  }
  // Sections that __crc_ symbols point into (__kcrctab and friends).
  const uint64_t symsize = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
  std::vector<char> done(count, 0);
  for (const Shdr& st : symtabs) {
    Shdr str = section(v, shoff, entsize, st.link);
    if (st.off >= n || str.off >= n) continue;
    uint64_t nsyms = std::min<uint64_t>(st.size, n - st.off) / symsize;
    for (uint64_t i = 1; i < nsyms; ++i) {
      uint64_t e = st.off + i * symsize;
      uint32_t name_off = v.get<uint32_t>(e);
      uint16_t shndx = v.get<uint16_t>(e + (is64 ? offsetof(Elf64_Sym, st_shndx) : offsetof(Elf32_Sym, st_shndx)));
      if (shndx == SHN_UNDEF || shndx >= count || done[shndx]) continue;  // SHN_XINDEX >= count too
      if (name_off >= str.size || str.size - name_off < 6 || str.off + name_off + 6 > n) continue;
      if (std::memcmp(buf.data() + str.off + name_off, "__crc_", 6) != 0) continue;
      Shdr target = section(v, shoff, entsize, shndx);
      if (target.type != SHT_NOBITS && !fill(fd, buf, target.off, target.size)) return false;
      done[shndx] = 1;
    }
  }
  return true;
}
}  // namespace

bool read_module_sections(const std::string& path, SectionReader* r, std::span<const uint8_t>* image,
                          std::string* why) {
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    *why = strerror(errno);
    return false;
  }
  struct stat st;
  if (fstat(f.fd, &st) != 0) {
    *why = strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = "not a regular file";
    return false;
  }
  if (st.st_size == 0) {
    *why = "empty file";
    return false;
  }
  uint8_t head[6] = {};
  ssize_t got = pread(f.fd, head, sizeof head, 0);
  if (got < 0) {
    *why = strerror(errno);
    return false;
  }
  if (sniff_compression({head, static_cast<size_t>(got)}) != Compression::none) {
    if (!load_module_file(path, &r->whole, why)) return false;
    *image = r->whole.bytes();
    return true;
  }
  r->buf.resize(static_cast<size_t>(st.st_size));
  if (!fill_sections(f.fd, r->buf)) {
    *why = std::string("read error: ") + strerror(errno ? errno : EIO);
    return false;
  }
  *image = {r->buf.data(), r->buf.size()};
  return true;
}

}  // namespace mng
