// SPDX-License-Identifier: GPL-2.0-or-later
// The modutils modprobe engine (doc/compat.md, modutils modprobe: name
// resolution to -l and -c): alias chains, probe/probeall, stacks with
// above/below, loading with pre-/post- commands and option merging,
// removal, tags.  Modules go in and out through ModuleOps (kernel_ops.h),
// the path the kmod engine uses too.
//
// On top of modutils, for mixed configurations and 2.6+ module trees:
//   - a name that neither the legacy aliases nor modules.dep know is looked
//     up the kmod way (modprobe.d aliases, the module's own aliases in
//     modules.alias.bin, symbols, built-in modules);
//   - modprobe.d / kernel command line options are merged after the legacy
//     ones (before the command line's);
//   - softdeps are loaded around their module like below (pre) and above
//     (post) modules, every module a softdep name finds and in the kmod
//     engine's order; removal does not follow them (modutils' stack only);
//   - "ext4.ko" names the module ext4;
//   - a failing module's error gives the kernel's reason.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "modprobe/engine_flags.h"
#include "modprobe/legacy_options.h"
#include "modprobe/lookup.h"

namespace mng {

enum class LMode { normal, above, below };

struct LEntry {
  std::string kname;               // name in the kernel
  std::vector<std::string> chain;  // requested name ... module name
  DepEntry entry;                  // file and dependencies
  LMode mode = LMode::normal;
  bool null_node = false;     // alias ... null: nothing to load
  bool command_only = false;  // no file, only configured commands
  bool builtin = false;       // built into the kernel
  bool top = false;           // the requested module: gets the command-line options
};

struct LResolved {
  enum Kind { module, off, null, probe, probeall, builtin, command_only, not_found, alias_loop } kind = not_found;
  std::vector<std::string> chain;
  std::vector<DepEntry> entries;         // module: every modules.dep entry of the name
  const ConfModuleList* list = nullptr;  // probe / probeall
};

class LegacyEngine {
 public:
  LegacyEngine(Context& ctx, Resolver& r, const LegacyFlags& flags) : ctx_(ctx), r_(r), flags_(flags) {}

  // Alias chain, modules.dep, probe lists of the final name, kmod lookup.
  // A name starting with '/' (devfs) is matched against the '/' alias
  // names as a shell pattern.  A name with a module suffix ("ext4.ko")
  // not in modules.dep as it is names the module of that file name.
  // ALSO: where the kmod lookup finds several modules, the first is the
  // result and the others go here (without ALSO they are dropped).
  LResolved resolve(const std::string& name, std::vector<LResolved>* also = nullptr);
  // The modules.dep entry of exactly this file (real paths compared).
  bool find_by_path(const std::string& path, DepEntry* out);

  // Builds the stack for E (reached through CHAIN).  false: *error set
  // (missing module, recursion); *off: an above/below module is "off".
  bool build_stack(const DepEntry& e, const std::vector<std::string>& chain, bool loading, std::vector<LEntry>* stack,
                   std::string* error, bool* off);
  // The entry for a command-only or built-in result, as a one-element stack.
  LEntry single_entry(const LResolved& res);

  // Options of an entry (command-line words only for the top entry).
  MergedOptions options_for(const LEntry& e, const std::vector<std::string>& cmdline);
  bool is_loaded(const std::string& kname);

  // Loading a stack: 0, or -3 when a normal entry failed (what this run
  // loaded is removed again).  *failed: the entry that failed.
  int load_stack(std::vector<LEntry>& stack, const std::vector<std::string>& cmdline, const LEntry** failed);
  // Removing one entry: its pre-remove and remove commands, the module
  // (with -f and -w as the kmod engine, unless TAKING_BACK what a failed
  // load inserted), its post-remove commands.  0 or a negative errno.
  // QUIET: no messages.
  int remove_entry(const LEntry& e, bool quiet, bool taking_back = false);

  // The insmod command line modutils would have run (printed with -v).
  std::string insmod_line(const LEntry& e, const MergedOptions& o);

 private:
  bool build(const DepEntry& e, const std::vector<std::string>& chain, LMode mode, int depth, bool top);
  bool add_named(const std::string& name, LMode mode, const std::string& needed_by, bool optional, int depth);
  bool add_resolved(const LResolved& res, const std::string& name, LMode mode, const std::string& needed_by,
                    bool optional, int depth);
  // softdep pre (below) or post (above) modules of a module being built.
  bool add_softdeps(const std::vector<std::string>& names, LMode mode, const std::string& needed_by, int depth);
  std::string kname_for(const DepEntry& e, const std::vector<std::string>& chain);
  bool run_hooks(CommandKind kind, const LEntry& e, const std::string& options, bool quiet, bool* ran);
  bool resolve_kmod_way(const std::string& final_name, LResolved* res, std::vector<LResolved>* also);
  void ensure_path_map();
  void show_depends_line(const LEntry& e, const std::vector<std::string>& cmdline);

  Context& ctx_;
  Resolver& r_;
  LegacyFlags flags_;
  // Stack being built.
  std::vector<LEntry>* stack_ = nullptr;
  bool loading_ = true;
  std::string* error_ = nullptr;
  bool* off_ = nullptr;
  bool path_map_ready_ = false;
  std::map<std::string, DepEntry> by_real_path_;
};

// Key of a name for legacy lookups: the base name without .o, .mod, .o.gz.
std::string legacy_key(const std::string& name);
// A name without its module file suffix (.ko, .ko.gz, .ko.xz, .ko.zst, .o,
// .o.gz, .mod); a name with '/' or without such a suffix as it is.
std::string strip_module_suffix(const std::string& name);

}  // namespace mng
