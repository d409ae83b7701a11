// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/legacy_mode.h"

#include <algorithm>
#include <cstdio>

#include "common/log.h"
#include "conf/load_config.h"

namespace mng {

LegacyPlan plan_legacy_depmod(const DepmodOptions& opt) {
  LegacyPlan plan;
  ConfigOptions co;
  co.root = opt.basedir == "/" ? "" : opt.basedir;
  co.kernel_version = opt.kver;
  co.etc_dir = opt.etc_dir;
  co.language = ConfigLanguage::legacy;
  co.trusted_only = opt.trusted_only;
  // -C names depmod.d unless it names a legacy file; then only those count.
  bool any_legacy_c = false;
  for (const auto& p : opt.config_paths) {
    if (guess_config_language(p) == ConfigLanguage::legacy) {
      co.config_paths.push_back(p);
      any_legacy_c = true;
    }
  }
  if (!opt.config_paths.empty() && !any_legacy_c) return plan;
  std::vector<ConfigError> errors;
  if (!any_legacy_c) {
    std::vector<ConfigError> ignored;
    if (choose_legacy_files(co, &ignored).empty()) return plan;
  }
  ConfigModel model = load_legacy_config(co, &errors);
  plan.active = true;
  for (const auto& e : errors) {
    switch (e.level) {
      case ConfErrorLevel::warning: logger().raw(e.message); break;
      case ConfErrorLevel::error: logger().plain(e.message); break;
      case ConfErrorLevel::info:
        if (opt.verbose) logger().plain(e.message);
        break;
    }
  }
  if (model.depmod_fails || !model.untrusted_files.empty()) {
    plan.failed = true;
    return plan;
  }
  for (const auto& sp : model.paths)
    if (std::find(plan.dirs.begin(), plan.dirs.end(), sp.dir) == plan.dirs.end()) plan.dirs.push_back(sp.dir);
  plan.prune = prune_names(model);
  plan.depfile = model.depfile();
  return plan;
}

}  // namespace mng
