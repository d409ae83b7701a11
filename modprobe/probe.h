// SPDX-License-Identifier: GPL-2.0-or-later
// Loading a module with everything it needs, as kmod does
// (kmod_module_probe_insert_module; doc/compat.md, modprobe: loading).
//
// The probe list: each hard dependency in load order, then the module,
// every one of them surrounded by its softdeps (pre before, post after;
// a module with softdeps has its install command ignored, as kmod does).
// Then each entry is skipped when already in the kernel, else its install
// command runs or its file is inserted with its configured options (the
// command-line options only for the requested module).  Errors of softdep
// modules are ignored; an error of the module or a hard dependency stops
// the list.  Unlike kmod, the modules this run inserted for the list are
// then removed again, newest first, so a failed load leaves the kernel as
// it was.
#pragma once
#include <string>

#include "modprobe/engine_flags.h"
#include "modprobe/lookup.h"

namespace mng {

struct ProbeOutcome {
  int err = 0;                // 0, or a negative errno
  bool blacklisted = false;   // skipped because of a blacklist entry
  ModNode* failed = nullptr;  // the module whose load failed (may be a dependency)
  std::string detail;         // extra reason text, if any
};

// Prints the action lines on f.actions; under -n or -D runs no command and
// the kernel (a DryRunKernel then) only records the insertions.
// EXTRA_OPTIONS: the command-line options (nullptr with -a, as kmod passes
// none; "" when there are none: kmod then still joins with a space, which
// shows as "insmod PATH x=1 " with a trailing space).
ProbeOutcome probe_insert(Context& ctx, Resolver& r, const KmodFlags& f, ModNode* mod,
                          const std::string* extra_options);

// The probe list alone (used by tests and -D).
std::vector<ModNode*> probe_list(Resolver& r, ModNode* mod, bool ignore_commands);

// "opts extra" with one space between non-empty parts.
std::string join_options(const std::string& a, const std::string& b);

}  // namespace mng
