// SPDX-License-Identifier: GPL-2.0-or-later
// Module options and blacklist entries from the kernel command line, as
// kmod 30's libkmod reads /proc/cmdline.
//
// Tokens are separated by whitespace outside double quotes.  A token
// "MOD.PARAM" or "MOD.PARAM=VALUE" gives "options MOD PARAM[=VALUE]" (MOD
// underscored; a bad bracket in MOD is reported as
// "Ignoring bad option on kernel command line while parsing module name: 'MOD'").
// "modprobe.blacklist=a,b" gives blacklist entries a and b (as written).
// Ignored: tokens with '=' before any '.', a second '.' before '=', quotes
// anywhere but at the start of the token or inside the value.  Quotes are
// kept in the value (x.y="a b" gives y="a b"), and a token quoted as a whole
// ("mod.p=a b") is re-quoted to p="a b" like the kernel does.
// Entries are appended after everything else (kmod reads the command line
// after all files) with source kcmdline and file "/proc/cmdline".
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"

namespace mng {

void parse_kernel_cmdline(ConfigModel* m, std::string_view cmdline, std::vector<ConfigError>* errors);

// Contents of /proc/cmdline ("" if it cannot be read).
std::string read_kernel_cmdline(const std::string& path = "/proc/cmdline");

}  // namespace mng
