// SPDX-License-Identifier: GPL-2.0-or-later
// Finding module files: the recursive walk of the module directory (and
// external directories), keeping one file per module name.
#pragma once
#include <functional>
#include <unordered_map>
#include <string>
#include <vector>

#include "common/modname.h"  // has_module_suffix

namespace mng {

struct FoundModule {
  std::string path;      // as opened: absolute, including the base directory
  std::string relpath;   // relative to the module directory; empty when outside it
  std::string shown;     // as written to modules.dep: relpath, or path without the base directory
  std::string modname;   // normalised name
  std::string stem;      // basename up to the first '.', as spelled (depmod.d override compares it)
};

// relpath with a compression suffix cut back to ".ko" (modules.order spelling).
std::string uncompressed_relpath(std::string_view relpath);

// Decides between two files with the same module name: true when CANDIDATE
// should replace CURRENT.
using PreferFn = std::function<bool(const FoundModule& candidate, const FoundModule& current)>;

struct ModuleSet {
  std::vector<FoundModule> modules;  // in discovery order; one per name
  void add(FoundModule m, const PreferFn& prefer);

 private:
  std::unordered_map<std::string, size_t> index_;  // name -> position in modules
};

// Walks DIR recursively in readdir order, skipping ".", "..", "build",
// "source" and every name in EXCLUDES at any depth.  MODDIR is the module
// directory that relpaths are taken against; BASEDIR is removed from the
// front of paths outside it.
void scan_directory(const std::string& dir, const std::string& moddir, const std::string& basedir,
                    const std::vector<std::string>& excludes, const PreferFn& prefer, ModuleSet* set);

// -A: true when DEPDIR/modules.dep exists and no module file under MODDIR
// is newer than it.  Both directories are opened once and everything in
// them is looked at relative to the descriptors.
bool outputs_up_to_date(const std::string& moddir, const std::string& depdir);

// Reads NAME in the directory DIR (at most CAP bytes): DIR is opened and
// NAME opened relative to it.  False with errno set when it cannot.
bool read_in_dir(const std::string& dir, const char* name, size_t cap, std::string* out);

// Describes one file named on the command line.
FoundModule describe_module_file(const std::string& path, const std::string& moddir, const std::string& basedir);

}  // namespace mng
