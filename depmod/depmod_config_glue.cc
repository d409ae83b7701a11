#include "depmod/depmod_config_glue.h"

namespace mng {

bool load_search_config(const DepmodOptions& opt, DepmodSearchConfig* out) {
  // Without any search line kmod ranks updates/ above everything else.
  out->prefer = [](const FoundModule& cand, const FoundModule& cur) {
    auto in_updates = [](const FoundModule& m) { return m.relpath.compare(0, 8, "updates/") == 0; };
    return in_updates(cand) && !in_updates(cur);
  };
  return true;
}

}  // namespace mng
