// SPDX-License-Identifier: GPL-2.0-or-later
// The query operations that print and load nothing: -c, --show-exports,
// --show-modversions.
#pragma once
#include <string>

#include "modprobe/context.h"

namespace mng {

// -c: the configuration through conf's printers; in kmod's layout followed
// by "# End of configuration files. Dumping indexes now:" and every entry
// of modules.alias.bin and modules.symbols.bin as "alias KEY VALUE".
int show_config_and_indexes(Context& ctx);

// --show-exports / --show-modversions PATH: "0x%08x\tSYMBOL" per exported
// symbol / per __versions entry.  PATH is a file, or a module name found
// through modules.dep.  Returns the exit status.
int show_exports(Context& ctx, const std::string& path);
int show_modversions(Context& ctx, const std::string& path);

}  // namespace mng
