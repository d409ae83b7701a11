// SPDX-License-Identifier: GPL-2.0-or-later
// Where the module trees live: the directory set at build time (make
// MODULEDIR=..., default /lib/modules), or, when a tree for the kernel is
// only in the other of /lib/modules and /usr/lib/modules, that one.
#pragma once
#include <string>

namespace mng {

// The build setting, absolute ("/lib/modules" unless built otherwise).
const char* configured_module_dir();

// The module directory (absolute, without ROOT) to use for kernel KVER
// under ROOT ("" for /): the configured one if ROOT/<it>/KVER exists, else
// the other of /lib/modules and /usr/lib/modules if that one has KVER,
// else the configured one.
std::string module_dir_for(const std::string& root, const std::string& kver);
// The same with CONFIGURED in place of the build setting.
std::string module_dir_for(const std::string& root, const std::string& kver, const std::string& configured);

}  // namespace mng
