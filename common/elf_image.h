// SPDX-License-Identifier: GPL-2.0-or-later
// Section-level access to a module image in memory, on the same checked
// reader as common/elf_module.h: the section headers, the __versions
// entries in section order (modprobe --show-modversions) and the edits a
// forced init_module makes to a copy of the image (modprobe --force).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mng {

struct ElfSectionHeader {
  std::string name;
  uint32_t type = 0;       // sh_type (SHT_PROGBITS, SHT_NOBITS, ...)
  uint64_t flags = 0;      // sh_flags
  uint64_t offset = 0;     // sh_offset
  uint64_t size = 0;       // sh_size
  uint64_t flags_at = 0;   // file offset of the sh_flags field (4 bytes in ELF32, 8 in ELF64)
};

struct ElfSectionList {
  bool is_64bit = false;
  bool big_endian = false;
  // Every section, 0 included (its name is empty).  Extended numbering is
  // resolved; the data of every section but 0 and SHT_NOBITS ones lies
  // inside the image.
  std::vector<ElfSectionHeader> sections;
};

// False with *why set when IMAGE is not an ELF file with a sane section
// table (the same checks and reasons as parse_module_elf).
bool list_elf_sections(std::span<const uint8_t> image, ElfSectionList* out, std::string* why);

struct VersionEntry {
  uint64_t crc;
  std::string name;
};
// The entries of the first __versions section with data, in section order
// (a leading '.' dropped, as kmod does; a partial last entry ignored).
// False when the image is not ELF; no such section: an empty list.
bool read_modversions(std::span<const uint8_t> image, std::vector<VersionEntry>* out);

// What the kernel's module flags MODULE_INIT_IGNORE_MODVERSIONS and
// _VERMAGIC do, done to an image for init_module: with MODVERSION every
// __versions section loses SHF_ALLOC (so the kernel does not check it),
// with VERMAGIC every "vermagic=" string of .modinfo is overwritten with
// NULs.  False, with the image left unchanged, when it is not an ELF file
// with a sane section table.
bool strip_for_force(std::vector<uint8_t>* image, bool modversion, bool vermagic);

}  // namespace mng
