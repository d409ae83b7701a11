// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/elf_image.h"

#include <elf.h>

#include <bit>
#include <cstddef>
#include <cstring>
#include <string_view>

#include "common/elf_source.h"

namespace mng {
namespace {

// Stores V at OFF in the file's byte order, WIDTH bytes (4 or 8); the
// caller has checked that the field lies inside the image.
void put(std::vector<uint8_t>* img, uint64_t off, size_t width, bool big_endian, uint64_t v) {
  for (size_t i = 0; i < width; ++i)
    (*img)[off + i] = static_cast<uint8_t>(big_endian ? v >> (8 * (width - 1 - i)) : v >> (8 * i));
}

}  // namespace

bool list_elf_sections(std::span<const uint8_t> image, ElfSectionList* out, std::string* why) {
  out->sections.clear();
  SpanSource src(image);
  SectionTable t;
  if (!read_section_table(src, &t, why)) return false;
  out->is_64bit = t.is64;
  out->big_endian = t.big_endian;
  out->sections.reserve(t.count);
  for (uint32_t i = 0; i < t.count; ++i) {
    Section s = t.read(i);
    ElfSectionHeader h;
    if (i > 0) h.name = t.name(s);
    h.type = s.type;
    h.flags = s.flags;
    h.offset = s.off;
    h.size = s.size;
    h.flags_at = s.header + (t.is64 ? offsetof(Elf64_Shdr, sh_flags) : offsetof(Elf32_Shdr, sh_flags));
    out->sections.push_back(std::move(h));
  }
  return true;
}

bool read_modversions(std::span<const uint8_t> image, std::vector<VersionEntry>* out) {
  out->clear();
  ElfSectionList list;
  std::string why;
  if (!list_elf_sections(image, &list, &why)) return false;
  const size_t crc_width = list.is_64bit ? 8 : 4;
  SpanSource src(image);
  Endian e;
  e.swap = list.big_endian != (std::endian::native == std::endian::big);
  for (const ElfSectionHeader& s : list.sections) {
    if (s.name != "__versions" || s.type == SHT_NOBITS) continue;
    std::string_view data;
    if (!src.fetch(s.offset, s.size, &data, &why)) return false;  // inside the image: checked above
    for (size_t at = 0; data.size() - at >= 64; at += 64) {
      std::string_view ent = data.substr(at, 64);
      VersionEntry v;
      v.crc = list.is_64bit ? e.u64(ent, 0) : e.u32(ent, 0);
      std::string_view name = ent.substr(crc_width);
      name = name.substr(0, name.find('\0'));
      if (name.starts_with('.')) name.remove_prefix(1);
      v.name = name;
      out->push_back(std::move(v));
    }
    break;
  }
  return true;
}

bool strip_for_force(std::vector<uint8_t>* image, bool modversion, bool vermagic) {
  ElfSectionList list;
  std::string why;
  if (!list_elf_sections(*image, &list, &why)) return false;
  const size_t width = list.is_64bit ? 8 : 4;
  for (const ElfSectionHeader& s : list.sections) {
    if (modversion && s.name == "__versions") {
      put(image, s.flags_at, width, list.big_endian, s.flags & ~uint64_t{SHF_ALLOC});
    } else if (vermagic && s.name == ".modinfo" && s.type != SHT_NOBITS) {
      char* p = reinterpret_cast<char*>(image->data() + s.offset);
      size_t pos = 0;
      while (pos < s.size) {
        size_t len = strnlen(p + pos, s.size - pos);
        if (std::string_view(p + pos, len).starts_with("vermagic=")) std::memset(p + pos, 0, len);
        pos += len + 1;
      }
    }
  }
  return true;
}

}  // namespace mng
