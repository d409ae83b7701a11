// SPDX-License-Identifier: GPL-2.0-or-later
// A second module reader, on elfutils' libelf (gelf), written apart from
// common/elf_module.cc so that the two can be checked against each other:
// by the module fuzz harness (fuzz/fuzz_module.cc) and over every module
// of Debian's trees (tests/elf_agree.cc, tests/check-elf-agree.sh).
//
// It gives what parse_module_elf gives (class, byte order, machine,
// exports with CRCs, imports with CRCs and weakness, modinfo, in the same
// orders) and rejects what that reader rejects; libelf may reject more
// (a name table that is not SHT_STRTAB, say).  The reasons differ.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "common/elf_module.h"

namespace mng::libelf {

// IMAGE is an uncompressed module in memory.
bool parse_module(std::span<const uint8_t> image, ModuleElf* out, std::string* why, char sym_prefix = 0);

// The module file PATH: an uncompressed file is read by libelf from the
// descriptor (ELF_C_READ, which reads only the parts asked for); a
// compressed one is decompressed first (common/module_file.h).
bool read_module(const std::string& path, ModuleElf* out, std::string* why, char sym_prefix = 0);

// The first field in which two parses differ ("exports[3].crc: 0x1 != 0x2"),
// or "" when they hold the same values: class, byte order, machine,
// exports, imports and modinfo, compared by value and in order.
std::string first_difference(const ModuleElf& a, const ModuleElf& b);

}  // namespace mng::libelf
