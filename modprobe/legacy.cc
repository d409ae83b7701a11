#include "modprobe/legacy.h"

namespace mng {

bool legacy_wanted(const Context& ctx) {
  return ctx.cfg.legacy_in_force || ctx.opts.has_tag || ctx.opts.list || ctx.opts.autoclean;
}

int run_legacy(Context& ctx, Resolver& r) {
  (void)r;
  ctx.legacy_message("legacy operations are not implemented yet", true);
  return 255;
}

}  // namespace mng
