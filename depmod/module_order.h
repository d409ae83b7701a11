// SPDX-License-Identifier: GPL-2.0-or-later
// The order depmod lists modules in: kmod's by-name hash order, then the
// modules modules.order names first, in that file's order.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "depmod/scan.h"

namespace mng {

// The order of MODS (positions into it) given the text of modules.order
// (FILE names it in messages).  A text whose last line lacks its '\n' is
// reported as corrupted and ignored, as kmod does.
std::vector<uint32_t> order_by_modules_order(const std::vector<FoundModule>& mods, std::string_view text,
                                             const std::string& file);

// The same with DIR/modules.order read through the capped reader; a
// missing or unreadable file gives a warning naming it and the by-name
// order alone.
std::vector<uint32_t> module_order(const std::vector<FoundModule>& mods, const std::string& dir);

}  // namespace mng
