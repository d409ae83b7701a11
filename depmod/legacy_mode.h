// SPDX-License-Identifier: GPL-2.0-or-later
// depmod under a modutils configuration (/etc/modules.conf,
// /etc/conf.modules, $MODULECONFIG or a legacy file named with -C): the
// path[] directories are scanned instead of the module directory, prune
// names are skipped, and modules.dep goes where depfile= says.
#pragma once
#include <string>
#include <vector>

#include "depmod/depmod.h"

namespace mng {

struct LegacyPlan {
  bool active = false;
  bool failed = false;              // the configuration could not be used
  std::vector<std::string> dirs;    // path[] directories, root included, in order, no repeats
  std::vector<std::string> prune;   // names skipped while scanning
  std::string depfile;              // where modules.dep goes, root included
};

// Decides whether a legacy configuration is in force for OPT and reads it.
// Messages are printed in modutils' wording.
LegacyPlan plan_legacy_depmod(const DepmodOptions& opt);

}  // namespace mng
