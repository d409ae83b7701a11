// SPDX-License-Identifier: GPL-2.0-or-later
// Reading modules.dep: which file a module is and which modules it needs.
//
// Accepted forms, all "PATH: DEP DEP ..." lines:
//   kmod      paths relative to the module directory (absolute for modules
//             outside it), the full dependency closure in reverse load order;
//   busybox   the same syntax, the closure in its own depth-first order;
//   modutils  2.4: absolute paths, "\t" and " \\\n" between dependencies, a
//             blank line after each entry, direct dependencies only.
// plus kmod's modules.dep.bin (same "PATH: DEPS" text as values keyed by
// module name), used when it exists, as libkmod does.
//
// Modules are looked up by name: the file name up to its first '.', with
// '-' read as '_' (so "mod-d", "mod_d" and "mod-d.ko" all name mod-d.ko).
// load_order() follows dependencies recursively, so direct-only files give
// the same result as closures.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/index_read.h"

namespace mng {

enum class DepLayout { kmod, modutils };

// depmod writes at most 65534 modules, so a line naming more dependencies
// than this is damaged; it is reported and ignored (it would otherwise
// cost memory and time in proportion to its length).
inline constexpr size_t kMaxDependencies = 65535;

struct DepEntry {
  std::string name;               // module name ('-' as '_')
  std::string path;               // the file to open
  std::vector<std::string> deps;  // dependency files as listed (line order), resolved like path
};

struct DepSource {
  std::string moddir;  // relative paths are relative to this (ROOT/lib/modules/VERSION)
  // Prefixed to absolute paths (in either layout, text or index), which a
  // depmod -b wrote relative to the image root; a path already under it
  // is kept.  "" for none (kmod mode never sets it).
  std::string root;
};

class ModDep {
 public:
  // DIR/modules.dep.bin when it exists, else DIR/modules.dep.  Relative
  // paths are taken relative to DIR; ROOT is put in front of the absolute
  // ones.
  bool open_dir(const std::string& dir, std::string* err, const std::string& root = "");
  // A text modules.dep somewhere (legacy depfile=).
  bool open_text(const std::string& file, const DepSource& src, std::string* err);
  // Text already in memory; NAME is used in messages.
  void parse_text(std::string_view text, const std::string& name, const DepSource& src);

  // The first entry for module NAME; false if there is none (or the index
  // is corrupt: then *err is set).
  bool lookup(std::string_view name, DepEntry* out, std::string* err = nullptr) const;
  // Every entry for NAME in file order (several files with one basename).
  std::vector<DepEntry> lookup_all(std::string_view name) const;
  // Every entry, in file order (the .bin index is dumped in key order when
  // there is no text file beside it).
  bool all(std::vector<DepEntry>* out, std::string* err) const;

  // Files needed before NAME's file can be loaded, deepest first, following
  // each dependency's own entry (cycles are cut).  Each element is a
  // dependency's entry.  A dependency without an entry of its own is still
  // listed (name from its file name, no deps).
  std::vector<DepEntry> load_order(const DepEntry& e) const;

  DepLayout layout() const { return layout_; }
  bool uses_index() const { return bin_ != nullptr; }
  const std::string& file() const { return file_; }
  // Lines that could not be parsed: "FILE:LINE: message".
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  bool ensure_text(std::string* err) const;
  DepEntry make_entry(std::string_view lhs, std::string_view rest) const;

  std::string file_;           // what was opened
  std::string text_file_;      // modules.dep beside the index (for all())
  DepSource src_;
  DepLayout layout_ = DepLayout::kmod;
  std::shared_ptr<IndexFile> bin_;
  mutable bool text_loaded_ = false;
  mutable std::vector<DepEntry> entries_;
  mutable std::unordered_map<std::string, std::vector<size_t>> by_name_;
  mutable std::vector<std::string> problems_;
};

// Splits one "PATH: DEP DEP" line (continuations already joined).  False if
// there is no ':'.
bool split_dep_line(std::string_view line, std::string_view* lhs, std::vector<std::string_view>* deps);

}  // namespace mng
