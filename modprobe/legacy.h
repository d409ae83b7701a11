// SPDX-License-Identifier: GPL-2.0-or-later
// modutils' modprobe (doc/compat.md, modutils modprobe sections), used when a legacy
// configuration is in force or a legacy option (-t, -l, -k) is given.
#pragma once
#include "modprobe/lookup.h"

namespace mng {

bool legacy_wanted(const Context& ctx);
// Runs the whole operation; returns modutils' exit status.
int run_legacy(Context& ctx, Resolver& r);

}  // namespace mng
