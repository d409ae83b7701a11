// SPDX-License-Identifier: GPL-2.0-or-later
// The rules that turn what a user or a file writes into a module name, as
// kmod applies them everywhere (configuration, indexes, lookups).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace mng {

// '-' to '_' in a module name (every one: a module name has no brackets).
std::string normalize_modname(std::string_view name);

// The suffixes a module file has: .ko, and .ko.gz, .ko.xz, .ko.zst.
inline constexpr std::string_view kModuleSuffixes[] = {".ko", ".ko.gz", ".ko.xz", ".ko.zst"};
// True when a file name ends in one of them.
bool has_module_suffix(std::string_view name);

// Module name from a path: basename up to the first '.', then
// normalize_modname.
std::string modname_from_path(std::string_view path);

// kmod's alias normalisation (alias_normalize, and underscores() for
// configuration names): '-' becomes '_' except inside a [...] character
// class, which is copied unchanged up to the first ']' (a '[' inside it is
// an ordinary character).  nullopt when a ']' has no '[' or a '[' no ']'.
std::optional<std::string> normalize_alias(std::string_view alias);

}  // namespace mng
