// SPDX-License-Identifier: GPL-2.0-or-later
// Name resolution as kmod's libkmod does it (doc/compat.md, modprobe: name resolution), and the
// per-module facts modprobe needs (file, dependencies, state, options,
// commands, softdeps).
//
// A name is normalised ('-' to '_' outside brackets) and looked up in this
// order, the first step that yields a module wins:
//   1. configuration aliases (fnmatch; every match)
//   2. modules.dep (.bin or text) by exact name, unless the name has ':'
//   3. modules.symbols.bin, for names starting "symbol:"
//   4. install/remove commands naming exactly this module
//   5. modules.alias.bin (fnmatch patterns; every match by priority)
//   6. modules.builtin.bin (exact)
//   7. modules.builtin.alias.bin (fnmatch patterns)
// Modules are kept in a pool, one object per (name, alias) pair as libkmod
// does, so "visited" marks and options work per alias.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/moddep.h"
#include "modprobe/context.h"

namespace mng {

// Module states as libkmod reports them.
enum class ModState { absent, builtin, coming, live, going };

struct ModNode {
  std::string name;   // module name (underscores)
  std::string alias;  // the alias it was found through, "" if none
  std::string explicit_path;  // named by a file path on the command line
  // From the lookup by command (step 4): the command itself.
  const ConfCommand* lookup_install = nullptr;
  const ConfCommand* lookup_remove = nullptr;
  bool builtin_from_lookup = false;

  // Lazily filled.
  bool dep_known = false;
  bool has_dep = false;
  DepEntry dep;
  int builtin = -1;  // -1 unknown
  bool dep_error_reported = false;  // a missing dependency file was named

  // Probe bookkeeping (kmod's visited / required / ignorecmd).
  bool visited = false;
  bool required = false;
  bool ignorecmd = false;
};

class Resolver {
 public:
  explicit Resolver(Context& ctx) : ctx_(ctx) {}

  // The modules NAME stands for (empty: not found).  Returns false only for
  // an invalid name (unbalanced brackets) or a corrupt index (*err set).
  bool lookup(std::string_view name, std::vector<ModNode*>* out, std::string* err = nullptr);

  // The pool object for a module name (and alias).
  ModNode* get(const std::string& name, const std::string& alias = "");
  // The module a file path names (its name from the path).
  ModNode* from_path(const std::string& path);

  // The file, "" when modules.dep has none.
  std::string path(ModNode* m);
  // Hard dependencies in load order (deepest first).
  std::vector<ModNode*> dependencies(ModNode* m);
  bool is_builtin(ModNode* m);
  ModState state(ModNode* m);
  bool in_kernel(ModNode* m);  // live or built in
  int refcnt(ModNode* m);

  // Configured options for the module's name and for the alias it was
  // found through, in configuration order, joined with single spaces.
  std::string options(ModNode* m);
  // The install / remove command that applies, or nullptr.
  const ConfCommand* install_command(ModNode* m);
  const ConfCommand* remove_command(ModNode* m);
  // softdep pre/post modules (each name fully looked up).
  void softdeps(ModNode* m, std::vector<ModNode*>* pre, std::vector<ModNode*>* post);
  bool blacklisted(ModNode* m);
  // Clears visited/required of every module (before building a probe list).
  void reset_marks();

 private:
  bool dep_entry(ModNode* m);
  // Whether modules.builtin.bin holds the name; a file that cannot be read
  // is reported once and counts as holding nothing.
  bool builtin_has(const std::string& name);
  void add_index_matches(LazyIndex& idx, const std::string& name, std::vector<ModNode*>* out, std::string* err);

  Context& ctx_;
  std::map<std::string, std::unique_ptr<ModNode>> pool_;
  bool builtin_error_reported_ = false;
};

}  // namespace mng
