// What the tools need from one module's ELF image, parsed once.
// ELF32 and ELF64, either byte order, on any host.  Every offset, size and
// index read from the file is checked, so a hostile file gives an error
// and never a crash.
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
  bool is_64bit = false;
  bool big_endian = false;
  uint16_t machine = 0;

  std::string_view str(StrRef r) const { return std::string_view(pool).substr(r.off, r.len); }
};

// Parses IMAGE (an uncompressed module).  SYM_PREFIX, when not 0, is one
// character stripped from the front of exported and imported names
// (depmod -P).  Returns false with *why set to a short reason on a
// malformed image.
bool parse_module_elf(std::span<const uint8_t> image, ModuleElf* out, std::string* why, char sym_prefix = 0);

// Reads and parses the module file PATH in one step, for callers that
// need only the parsed result (depmod).  Gives the same result as
// load_module_file + parse_module_elf, but an uncompressed file is not
// mapped: only the ELF header, the section headers and the sections used
// above are read with pread.  Mapped pages each cost a page fault, which
// on some virtual machines is far dearer than copying the few KiB needed.
// *why is a short reason without the path, as for load_module_file.
bool read_module_elf(const std::string& path, ModuleElf* out, std::string* why, char sym_prefix = 0);

}  // namespace mng
