// A minimal, bounds-checked walk over an ELF image's section headers, for
// the two things modprobe does to or with raw sections: editing a copy for
// forced loading, and listing __versions in section order.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mng {

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  size_t flags_at = 0;  // file offset of sh_flags
  uint64_t offset = 0;
  uint64_t size = 0;
  bool in_file = false;  // [offset, offset+size) lies inside the image
};

struct ElfSections {
  bool is64 = false;
  bool big_endian = false;
  std::vector<ElfSection> sections;

  uint64_t get(std::span<const uint8_t> img, size_t off, size_t width) const;
  void put(std::vector<uint8_t>* img, size_t off, size_t width, uint64_t v) const;
};

// False when IMAGE is not an ELF file with a sane section table.
bool list_elf_sections(std::span<const uint8_t> image, ElfSections* out);

struct VersionEntry {
  uint64_t crc;
  std::string name;
};
// The __versions entries in section order (a leading '.' dropped, as kmod
// does); false when the image is not ELF.  No section: an empty list.
bool read_modversions(std::span<const uint8_t> image, std::vector<VersionEntry>* out);

}  // namespace mng
