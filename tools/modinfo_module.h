// SPDX-License-Identifier: GPL-2.0-or-later
// Where a module's fields come from: the .modinfo strings of its file and
// its signature, or, for a module built into the kernel, its strings in
// modules.builtin.modinfo.
#pragma once
#include <string>
#include <vector>

#include "tools/modinfo_print.h"

namespace mng {

// "key=value" as libkmod splits it: at the first '=', all of it the key
// (and the value empty) when there is none.
ModinfoField split_modinfo_string(std::string_view s);

// The fields of the module file PATH (.ko, or .ko.gz/.xz/.zst by content).
// Returns 0, or the errno libkmod gives in the same case: EINVAL for a
// file too short or damaged, ENOEXEC for one that is not ELF, ENOENT for
// an ELF file without .modinfo, the open error otherwise.
int module_file_fields(const std::string& path, std::vector<ModinfoField>* out);

// The fields of built-in module NAME from MODDIR/modules.builtin.modinfo
// ("name.key=value" strings, each NUL-terminated; the first run of NAME's
// strings is used).  Returns 0 (no strings is fine), or an errno: the
// file's open error (ENOENT on kernels that have no such file), EINVAL for
// a string without a module name.
int builtin_fields(const std::string& moddir, const std::string& name, std::vector<ModinfoField>* out);

}  // namespace mng
