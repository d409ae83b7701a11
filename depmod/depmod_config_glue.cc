// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/depmod_config_glue.h"

#include <memory>

#include "common/log.h"
#include "conf/config_dirs.h"
#include "conf/depmod_config.h"

namespace mng {

bool load_search_config(const DepmodOptions& opt, DepmodSearchConfig* out) {
  auto cfg = std::make_shared<DepmodConfig>();
  // Like kmod, configuration paths are not moved under the base directory.
  const auto paths = opt.config_paths.empty() ? default_depmod_dirs() : opt.config_paths;
  LogDiagnostics print;  // printed as they come, as kmod's depmod does
  load_depmod_config(paths, opt.kver, cfg.get(), "", opt.trusted_only, &print);
  if (!cfg->untrusted_files.empty()) return false;
  out->excludes = cfg->excludes;
  // kmod scans external directories last listed first.
  out->externals.assign(cfg->externals.rbegin(), cfg->externals.rend());
  out->prefer = [cfg](const FoundModule& found, const FoundModule& kept) {
    return is_higher_priority(*cfg, {found.path, found.relpath}, {kept.path, kept.relpath});
  };
  return true;
}

}  // namespace mng
