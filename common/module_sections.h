// Reading only the parts of an uncompressed module that the ELF parser
// looks at (ELF header, section headers and names, .symtab with its string
// table, .modinfo, __versions, __ksymtab_strings, the extended index table
// and the sections __crc_ symbols point into), with pread into a buffer
// that is reused from one module to the next.
//
// depmod uses this instead of mapping each file: on the machines measured
// here, mapping and unmapping 4000 modules cost ten times more than
// reading the 10-20% of their bytes that matter, most of it in munmap.
// Compressed modules are decompressed whole (common/module_file.h).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/module_file.h"

namespace mng {

struct SectionReader {
  std::vector<uint8_t> buf;  // file-sized; only the regions the parser reads are filled
  ModuleBytes whole;         // used for compressed modules
};

// Returns a view of PATH that parse_module_elf can read, valid until the
// next call with the same reader.  On failure returns false with *why set.
bool read_module_sections(const std::string& path, SectionReader* r, std::span<const uint8_t>* image,
                          std::string* why);

}  // namespace mng
