#include "modprobe/elf_sections.h"

#include <cstring>

namespace mng {

uint64_t ElfSections::get(std::span<const uint8_t> img, size_t off, size_t width) const {
  uint64_t v = 0;
  if (off > img.size() || width > img.size() - off) return 0;
  for (size_t i = 0; i < width; ++i) {
    uint64_t b = img[off + i];
    v |= big_endian ? b << (8 * (width - 1 - i)) : b << (8 * i);
  }
  return v;
}

void ElfSections::put(std::vector<uint8_t>* img, size_t off, size_t width, uint64_t v) const {
  if (off > img->size() || width > img->size() - off) return;
  for (size_t i = 0; i < width; ++i)
    (*img)[off + i] = static_cast<uint8_t>(big_endian ? v >> (8 * (width - 1 - i)) : v >> (8 * i));
}

bool list_elf_sections(std::span<const uint8_t> img, ElfSections* out) {
  out->sections.clear();
  if (img.size() < 52 || std::memcmp(img.data(), "\x7f" "ELF", 4) != 0) return false;
  if ((img[4] != 1 && img[4] != 2) || (img[5] != 1 && img[5] != 2)) return false;
  out->is64 = img[4] == 2;
  out->big_endian = img[5] == 2;
  const bool w = out->is64;
  if (w && img.size() < 64) return false;
  uint64_t shoff = out->get(img, w ? 0x28 : 0x20, w ? 8 : 4);
  uint64_t shentsize = out->get(img, w ? 0x3a : 0x2e, 2);
  uint64_t shnum = out->get(img, w ? 0x3c : 0x30, 2);
  uint64_t shstrndx = out->get(img, w ? 0x3e : 0x32, 2);
  if (shentsize < (w ? 64u : 40u) || shnum == 0 || shstrndx >= shnum) return false;
  if (shoff > img.size() || shnum * shentsize > img.size() - shoff) return false;
  auto hdr = [&](uint64_t i) { return static_cast<size_t>(shoff + i * shentsize); };
  auto field = [&](uint64_t i, size_t off64, size_t off32) {
    return w ? out->get(img, hdr(i) + off64, 8) : out->get(img, hdr(i) + off32, 4);
  };
  uint64_t str_off = field(shstrndx, 24, 16), str_size = field(shstrndx, 32, 20);
  bool str_ok = str_off <= img.size() && str_size <= img.size() - str_off;
  for (uint64_t i = 0; i < shnum; ++i) {
    ElfSection s;
    uint64_t nm = out->get(img, hdr(i), 4);
    if (str_ok && nm < str_size) {
      const char* p = reinterpret_cast<const char*>(img.data() + str_off + nm);
      s.name.assign(p, strnlen(p, str_size - nm));
    }
    s.type = static_cast<uint32_t>(out->get(img, hdr(i) + 4, 4));
    s.flags_at = hdr(i) + 8;
    s.offset = field(i, 24, 16);
    s.size = field(i, 32, 20);
    s.in_file = s.type != 8 /* SHT_NOBITS */ && s.offset <= img.size() && s.size <= img.size() - s.offset;
    out->sections.push_back(std::move(s));
  }
  return true;
}

bool read_modversions(std::span<const uint8_t> img, std::vector<VersionEntry>* out) {
  out->clear();
  ElfSections es;
  if (!list_elf_sections(img, &es)) return false;
  for (const auto& s : es.sections) {
    if (s.name != "__versions" || !s.in_file) continue;
    const size_t entry = 64, crc_width = es.is64 ? 8 : 4;
    for (uint64_t off = 0; off + entry <= s.size; off += entry) {
      size_t at = static_cast<size_t>(s.offset + off);
      VersionEntry v;
      v.crc = es.get(img, at, crc_width);
      const char* name = reinterpret_cast<const char*>(img.data() + at + crc_width);
      v.name.assign(name, strnlen(name, entry - crc_width));
      if (!v.name.empty() && v.name[0] == '.') v.name.erase(0, 1);
      out->push_back(std::move(v));
    }
    break;
  }
  return true;
}

}  // namespace mng
