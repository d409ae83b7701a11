// SPDX-License-Identifier: GPL-2.0-or-later
// Built-in defaults of modutils 2.4.25 (i386 build), used when the legacy
// language is in force.  `modprobe -c` with no configuration file prints
// exactly these tables, as modutils 2.4.25 does.
//
// - Module search path without any path= line (21 entries, order matters):
//     path[boot]=<root>/lib/modules/boot
//     path[toplevel]=<root>/lib/modules/<version>
//     path[toplevel]=<root>/lib/modules/<kernelversion>
//     path[<type>]=<root>/lib/modules/<type>   for the 18 types
//       kernel fs net scsi block cdrom ipv4 ipv6 sound fc4 video misc
//       pcmcia atm usb ide ieee1394 mtd
//   Entries are kept whether or not the directory exists.
//   $MODPATH=d1:d2:... (ignored in safe mode) replaces this list: in each
//   element the first "%s" becomes the version, the tag is the last path
//   component, and no root is prefixed.
// - Alias table: the 142 entries of modutils 2.4.25's alias.h for i386
//   (binfmt-* 8, block-major-* 36, char-major-* 47, net-pf-* 9, other 42;
//   9 of them "off").  The s390 and sparc variants are not included.
// - Options: dummy0 -o dummy0, dummy1 -o dummy1, sb io=0x220 ... (3).
// - above: hid, usbmouse, wacom; below: ov518_decomp.
// - Prune: the 18 names below (config files can add, not remove).
// - Generated files: <root>/lib/modules/<version>/modules.<base>.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"

namespace mng {

// "NAME TARGET" / "NAME OPTIONS..." lines of the built-in tables.
const std::vector<std::string_view>& legacy_builtin_aliases();
const std::vector<std::string_view>& legacy_builtin_options();
const std::vector<std::string_view>& legacy_builtin_prune();
const std::vector<std::string_view>& legacy_builtin_above();
const std::vector<std::string_view>& legacy_builtin_below();
// The 18 tbtype directory names, in order.
const std::vector<std::string_view>& legacy_path_types();

std::vector<SearchPath> legacy_default_paths(std::string_view root, std::string_view version);
// The $MODPATH replacement list.
std::vector<SearchPath> legacy_modpath_paths(std::string_view modpath, std::string_view version);
std::string legacy_default_gen_file(std::string_view root, std::string_view version, GenFile f);

// Puts the built-in aliases, options, prune list and above/below entries
// into `m` (source builtin).
void add_legacy_builtin_tables(ConfigModel* m);

}  // namespace mng
