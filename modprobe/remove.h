// SPDX-License-Identifier: GPL-2.0-or-later
// Removing a module and what it pulled in, as kmod 30's rmmod_do_module
// does (doc/compat.md, modprobe: removal).
//
// For the module: post-softdeps first (reverse order, errors ignored);
// with --remove-holders its holders; then, unless -w, a module still in
// use is never touched ("Module X is in use.", -EBUSY); the remove command
// runs or delete_module(O_NONBLOCK, O_TRUNC with -f) is called; then its
// hard dependencies, in load order (deepest first), each removed when
// nothing uses it at its turn (so a deep one still held by a shallower one
// stays loaded, as with kmod); then pre-softdeps (reverse order, errors
// ignored).
#pragma once
#include "modprobe/engine_flags.h"
#include "modprobe/lookup.h"

namespace mng {

// 0 or a negative errno (-EBUSY in use, -ENOENT not loaded with
// --first-time or built in).  TOP: the module named on the command line
// (its problems are reported; those of softdeps are not).  Action lines go
// to f.actions; under -n or -D no remove command runs and the kernel (a
// DryRunKernel then) only records the removals.
int remove_module(Context& ctx, Resolver& r, const KmodFlags& f, ModNode* mod, bool top);

}  // namespace mng
