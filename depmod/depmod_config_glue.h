// SPDX-License-Identifier: GPL-2.0-or-later
// depmod.d as the scanner needs it: what to skip, where else to look, and
// which of two same-named modules wins.
#pragma once
#include <string>
#include <vector>

#include "depmod/depmod.h"
#include "depmod/scan.h"

namespace mng {

struct DepmodSearchConfig {
  std::vector<std::string> excludes;
  std::vector<std::string> externals;  // absolute, scanned as given (kmod does not add the base directory)
  PreferFn prefer;
};

// Reads depmod.d (OPT.config_paths, or the default directories) for OPT.kver.
// False when a file was refused as one root should not trust (then depmod
// stops before writing anything).
bool load_search_config(const DepmodOptions& opt, DepmodSearchConfig* out);

}  // namespace mng
