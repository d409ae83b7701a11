// SPDX-License-Identifier: GPL-2.0-or-later
// depmod's parse stage: every module found is read once (or its facts
// taken from modules.cache when the file has not changed), unreadable
// ones are dropped with a message, and the rest put in module order.
#pragma once
#include <ctime>
#include <optional>
#include <string>

#include "common/helper_thread.h"
#include "depmod/depmod.h"
#include "depmod/module_cache.h"
#include "depmod/scan.h"
#include "depmod/text_output.h"

namespace mng {

struct ParseCache {
  ModuleCache* in = nullptr;        // the last run's facts, or null; emptied once body() no longer needs it
  bool write = false;               // build a new cache file: see body()
  size_t hits = 0;                  // modules whose facts came from `in`
  // What the last run recorded of its outputs, when its cache was put in
  // place, and this run's digest of options and side files (see
  // kept_outputs and inputs_digest).
  RunState last;
  struct timespec last_ctime {};
  uint64_t base = 0;
  // The new cache file without its tail (see seal_cache): the old one's
  // as it was, or put together by `writer` when first asked for (while
  // the outputs are being made, off the run's critical path).
  std::string out;
  std::optional<CacheWriter> writer;
  std::string& body() {
    if (writer) {
      out = writer->finish();
      writer.reset();
      if (in) *in = ModuleCache();
    }
    return out;
  }
};

// DIR is the module directory (modules.order).  *skipped: some module
// could not be read.  False when the run must stop.  HELPER, when given,
// is one of the threads that read modules.
bool parse_stage(const DepmodOptions& opt, const std::string& dir, ModuleSet* set, DepmodTree* t, bool* skipped,
                 ParseCache* cache, HelperThread* helper = nullptr);

}  // namespace mng
