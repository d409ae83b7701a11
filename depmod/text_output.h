// SPDX-License-Identifier: GPL-2.0-or-later
// The text files depmod writes, formatted byte for byte as kmod does.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/dep_graph.h"
#include "common/elf_module.h"
#include "depmod/scan.h"

namespace mng {

// Everything known after resolution, in module order.
struct DepmodTree {
  std::vector<FoundModule> mods;
  std::vector<ModuleElf> elf;
  DepGraph graph;
  TopoOrder order;
  // Symbols owned by modules, in kmod's modules.symbols order.
  std::vector<std::pair<std::string_view, uint32_t>> symbols;
};

// Full dependency line of each module, "path: dep dep" without newline.
std::vector<std::string> dependency_lines(const DepmodTree& t);

std::string format_modules_dep(const std::vector<std::string>& lines);
// modules.dep as modutils 2.4 wrote it: absolute paths (BASEDIR removed),
// "path:" then the dependencies each after a tab, separated by " \\" and a
// newline, and a blank line after every entry.
std::string format_modutils_dep(const DepmodTree& t, const std::string& basedir);
std::string format_modules_alias(const DepmodTree& t);
std::string format_modules_softdep(const DepmodTree& t);
std::string format_modules_weakdep(const DepmodTree& t);
std::string format_modules_symbols(const DepmodTree& t);
std::string format_modules_devname(const DepmodTree& t);

}  // namespace mng
