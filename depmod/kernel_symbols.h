// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's own exports, for depmod -e: read from System.map (-F) or
// Module.symvers (-E).
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace mng {

// Longer than any System.map, Module.symvers or modules.order a kernel
// build writes.
inline constexpr size_t kMaxInputText = size_t{256} << 20;

struct KernelSymbol {
  std::string name;
  uint64_t crc;  // 0 when the source has none (System.map)
};

// NAME without PREFIX (-P) at its front, when it is there once.
std::string_view without_prefix(std::string_view name, char prefix);

// System.map: lines "ADDR TYPE NAME"; an export appears as __ksymtab_NAME.
// PREFIX (-P), when set, is removed from the front of each name.  A line
// with fewer than three fields is reported and skipped.  False (after an
// error message, kmod's "could not load FILE") when FILE cannot be read.
bool load_system_map(const std::string& file, char prefix, std::deque<KernelSymbol>* out);

// Module.symvers: lines "CRC<TAB>NAME<TAB>WHERE<TAB>...": only the symbols
// whose WHERE is vmlinux are kept, with their CRC.
bool load_symvers(const std::string& file, char prefix, std::deque<KernelSymbol>* out);

}  // namespace mng
