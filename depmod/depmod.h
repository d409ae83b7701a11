// SPDX-License-Identifier: GPL-2.0-or-later
// depmod: from a module tree to modules.dep and the other index files.
#pragma once
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "common/index_write.h"

namespace mng {

struct DepmodOptions {
  std::string basedir;                    // -b, absolute; "" means /
  std::string outdir;                     // -o, absolute; "" means basedir
  std::string moduledir = "lib/modules";  // -m, relative to basedir / outdir
  bool moduledir_set = false;             // -m given: no fallback to the other module directory
  std::string kver;                       // kernel version
  std::vector<std::string> config_paths;  // -C; empty means the default depmod.d directories
  std::string symvers;                    // -E Module.symvers
  std::string system_map;                 // -F System.map
  std::vector<std::string> files;         // explicit module files (absolute)
  bool errsyms = false;                   // -e
  bool quick = false;                     // -A
  bool dry_run = false;                   // -n
  bool verbose = false;                   // -v
  bool warn_dups = false;                 // -w
  bool modutils_layout = false;           // --modutils-layout: modules.dep as modutils 2.4 wrote it
  IndexLayout index_layout = IndexLayout::post_order;  // --index-layout: kmod30 (post-order) or kmod34
  bool quiet_unresolved = false;          // -q: no message about unresolved symbols
  bool unresolved_error = false;          // -u: exit status 1 when a symbol is unresolved (needs -E or -F)
  bool files_dep_to_stdout = false;       // `depmod file...`: only modules.dep, on stdout, nothing written
  std::string etc_dir = "/etc";           // where modules.conf / conf.modules are looked for
  char sym_prefix = 0;                    // -P
  unsigned threads = 0;                   // 0 = one per core
  bool trusted_only = false;              // root: refuse configuration files others can change
  bool use_cache = true;                  // read and write modules.cache (--no-cache: neither)
};

// Threads a run may use: -j N, else one per core.
inline unsigned run_threads(const DepmodOptions& opt) {
  return opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
}

// Runs depmod; returns the exit status.
int run_depmod(const DepmodOptions& opt);

}  // namespace mng
