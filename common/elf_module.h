// SPDX-License-Identifier: GPL-2.0-or-later
// What the tools need from one module's ELF image, parsed once.
// ELF32 and ELF64, either byte order, on any host.  Every offset, size and
// index read from the file is checked, so a hostile file gives an error
// and never a crash.
//
// Why this reader and not libelf: reading modules through elfutils' libelf
// (gelf, tests/libelf_module.cc) was measured against it with depmod -b
// on Debian's amd64 tree (6.1.0-57-amd64, 4023 uncompressed modules), on a
// busy 2-CPU machine (load 7 to 8); every variant wrote identical files.
// The variants ran alternately under nice after a warm-up; median wall
// time, median user+sys CPU in brackets, in ms:
//   rounds                        5          5          9
//   this reader                456 (140)  541 (140)  586 (140)
//   libelf, ELF_C_READ         657 (190)  649 (160)  717 (180)
//   libelf, ELF_C_READ_MMAP    784 (220)  866 (210)  848 (220)
// that is +44%, +20%, +22% for libelf's best mode (two earlier rounds of
// 5, before its __versions lookup used a hash table: +52% and +46%).
// Not profiled; the likely cost is that libelf reads each section it is
// asked for into a fresh buffer of its own and converts symbols through
// its translation layer, where this reader preads the few ranges it needs
// into buffers reused from one module to the next.  The rule
// was "libelf if within 10%", so the tools keep this reader, and libelf
// is a second, independent reader that must agree with it field by
// field: in the module fuzz harness (fuzz/fuzz_module.cc) and over every
// module of the Debian trees (tests/check-elf-agree.sh).  Only those two
// link libelf.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/modname.h"

namespace mng {

// A string kept in ModuleElf::pool (offsets, so the pool can grow).
struct StrRef {
  uint32_t off = 0;
  uint32_t len = 0;
};

struct ExportedSymbol {
  StrRef name;    // without the __crc_ prefix and the symbol prefix char
  uint64_t crc;   // 0 when the kernel has no MODVERSIONS
};

struct ImportedSymbol {
  StrRef name;
  uint64_t crc;   // from __versions, 0 when absent
  bool weak;
};

struct ModInfo {
  StrRef key;     // "alias", "softdep", "depends", "vermagic", ...
  StrRef value;
};

struct ModuleElf {
  std::string pool;
  std::vector<ExportedSymbol> exports;   // symtab order of the __crc_ symbols, or __ksymtab_strings order
  std::vector<ImportedSymbol> imports;   // symtab order, then unreferenced __versions entries
  std::vector<ModInfo> modinfo;          // .modinfo order
  StrRef modinfo_section;                // the whole .modinfo section as stored (modinfo(8) shows every string)
  bool has_modinfo_section = false;      // the image has a section named .modinfo
  bool is_64bit = false;
  bool big_endian = false;
  uint16_t machine = 0;

  std::string_view str(StrRef r) const { return std::string_view(pool).substr(r.off, r.len); }
};

// The non-empty strings of a string section laid out as "a\0b\0\0c":
// runs of NULs separate them and a last string without a NUL still counts
// (as libkmod reads .modinfo).
std::vector<std::string_view> section_strings(std::string_view sec);

// What the reader extracts, as a number: raised whenever a change to the
// reader can change any field above for some module, so that facts saved
// by an older reader (depmod's modules.cache) are not used.
inline constexpr uint32_t kModuleReaderVersion = 1;

// Parses IMAGE (an uncompressed module).  SYM_PREFIX, when not 0, is one
// character stripped from the front of exported and imported names
// (depmod -P).  Returns false with *why set to a short reason on a
// malformed image.
bool parse_module_elf(std::span<const uint8_t> image, ModuleElf* out, std::string* why, char sym_prefix = 0);

// Empties *OUT (what a failed read leaves behind).
void clear_module_elf(ModuleElf* out);

// Reads and parses the module file PATH in one step, for callers that
// need only the parsed result (depmod).  Gives the same result as
// load_module_file + parse_module_elf, but an uncompressed file is not
// mapped: only the ELF header, the section headers and the sections used
// above are read with pread.  Mapped pages each cost a page fault, which
// on some virtual machines is far dearer than copying the few KiB needed.
// *why is a short reason without the path, as for load_module_file.
bool read_module_elf(const std::string& path, ModuleElf* out, std::string* why, char sym_prefix = 0);

}  // namespace mng
