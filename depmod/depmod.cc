// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/depmod.h"

#include <sys/stat.h>
#include <dirent.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <thread>
#include <unordered_map>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/module_file.h"
#include "common/log.h"
#include "common/superfast_hash.h"
#include "common/text_util.h"
#include "depmod/depmod_config_glue.h"
#include "depmod/index_output.h"
#include "depmod/kernel_symbols.h"
#include "depmod/legacy_mode.h"
#include "depmod/module_order.h"
#include "depmod/output_set.h"
#include "depmod/scan.h"
#include "depmod/text_output.h"

namespace mng {
namespace {

// Loads and parses every module on THREADS threads.  Messages are kept per
// module and printed in module order, so output does not depend on timing.
// The threads share the memory bound of module reading: each may use its
// part of it, and a module that needs more is read again alone at the end
// with the whole bound.
void parse_all(const std::vector<FoundModule>& mods, char prefix, unsigned threads, std::vector<ModuleElf>* elf,
               std::vector<std::string>* errors) {
  elf->assign(mods.size(), ModuleElf{});
  errors->assign(mods.size(), std::string{});
  auto parse = [&](size_t i) {
    std::string why;
    // Only the sections the parser needs are read (pread): mapping every
    // module costs far more in page faults on some machines.
    if (!read_module_elf(mods[i].path, &(*elf)[i], &why, prefix)) (*errors)[i] = why.empty() ? "unreadable module" : why;
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<size_t>(1, mods.size() / 16));
  std::atomic<size_t> next{0};
  auto work = [&] {
    ModuleMemoryLimit share(kMaxDecompressedSize / threads);
    for (;;) {
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= mods.size()) return;
      parse(i);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (threads == 1) return;
  for (size_t i = 0; i < mods.size(); ++i)
    if (is_over_memory_limit((*errors)[i])) {
      (*errors)[i].clear();
      parse(i);
    }
}

// MNG_DEPMOD_STATS=1 prints how long each stage took, for make bench.
struct StageClock {
  bool on = env_value("MNG_DEPMOD_STATS").has_value();
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
  std::string text;
  void mark(const char* stage) {
    if (!on) return;
    auto now = std::chrono::steady_clock::now();
    char buf[64];
    snprintf(buf, sizeof buf, " %s=%.1fms", stage, std::chrono::duration<double, std::milli>(now - last).count());
    text += buf;
    last = now;
  }
  ~StageClock() {
    if (on) fprintf(stderr, "depmod: stats:%s\n", text.c_str());
  }
};

struct SymbolEntry {
  int32_t owner;  // module index, -1 for the kernel
  uint64_t crc;
};
using SymbolTable = std::unordered_map<std::string_view, SymbolEntry>;

// Where depmod reads and writes.
struct Paths {
  std::string dir;      // the module directory, ROOT/MODULEDIR/KVER
  std::string outdir;   // the same under -o
  std::string basedir;  // -b; "" for /
};

Paths paths_for(const DepmodOptions& opt) {
  const std::string root = opt.basedir.empty() ? "/" : opt.basedir;
  const std::string outroot = opt.outdir.empty() ? root : opt.outdir;
  return {path_join(path_join(root, opt.moduledir), opt.kver), path_join(path_join(outroot, opt.moduledir), opt.kver),
          opt.basedir == "/" ? "" : opt.basedir};
}

// -A: true when there is nothing to do (no module newer than modules.dep;
// always with -n).
bool outputs_current(const DepmodOptions& opt, const Paths& p) {
  if (opt.dry_run) return true;
  return outputs_up_to_date(p.dir, p.outdir);
}

// What -E / -F say the kernel itself exports, and what -e checks.
struct KernelExports {
  std::deque<KernelSymbol> syms;  // string_views into these live in the symbol table
  bool check_crcs = false;        // -E: compare the CRCs too
  bool errsyms = false;           // -e, when it has something to check against
  bool count_unresolved = false;  // -u, likewise
  char prefix = 0;                // -P: dropped from module symbols where they are matched
};

bool load_kernel_exports(const DepmodOptions& opt, KernelExports* k) {
  k->errsyms = opt.errsyms;
  k->prefix = opt.sym_prefix;
  if (!opt.symvers.empty()) {
    if (!load_symvers(opt.symvers, opt.sym_prefix, &k->syms)) return false;
    k->check_crcs = true;
  } else if (!opt.system_map.empty()) {
    if (!load_system_map(opt.system_map, opt.sym_prefix, &k->syms)) return false;
  }
  if (!opt.symvers.empty() || !opt.system_map.empty()) {
    for (const char* fake : {"__this_module", "_GLOBAL_OFFSET_TABLE_", "TOC."}) k->syms.push_back({fake, 0});
  } else if (k->errsyms) {
    log(Level::warning, "-e needs -E or -F");
    k->errsyms = false;
  }
  // -u: only the kernel's symbols from -E or -F tell an unresolved symbol
  // from one of the kernel's.
  k->count_unresolved = opt.unresolved_error;
  if (k->count_unresolved && opt.symvers.empty() && opt.system_map.empty()) {
    log(Level::warning, "-u needs -E or -F");
    k->count_unresolved = false;
  }
  return true;
}

// ---- scan: which module files, and where modules.dep goes ---------------

struct ScanResult {
  ModuleSet set;
  std::string target;                        // directory of the output files
  std::string depfile_name = "modules.dep";  // a modutils depfile= may rename it
};

// modutils: the path[] directories, the first file found winning.
void scan_legacy(const LegacyPlan& legacy, const Paths& p, ScanResult* r) {
  auto first_wins = [](const FoundModule&, const FoundModule&) { return false; };
  struct stat st;
  for (const auto& d : legacy.dirs)
    if (stat(d.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      scan_directory(d, p.dir, p.basedir, legacy.prune, first_wins, &r->set);
  size_t slash = legacy.depfile.rfind('/');
  if (slash != std::string::npos && slash + 1 < legacy.depfile.size()) {
    r->target = slash == 0 ? "/" : legacy.depfile.substr(0, slash);
    r->depfile_name = legacy.depfile.substr(slash + 1);
  }
}

// kmod: the module directory and depmod.d's external directories.
bool scan_depmod_d(const DepmodOptions& opt, const Paths& p, ScanResult* r) {
  DepmodSearchConfig cfg;
  if (!load_search_config(opt, &cfg)) return false;
  struct stat st;
  if (stat(p.dir.c_str(), &st) != 0) {
    log(Level::error, "could not open directory %s: %s", p.dir.c_str(), strerror(errno));
    return false;
  }
  scan_directory(p.dir, p.dir, p.basedir, cfg.excludes, cfg.prefer, &r->set);
  for (const auto& ext : cfg.externals)
    if (stat(ext.c_str(), &st) == 0) scan_directory(ext, p.dir, p.basedir, cfg.excludes, cfg.prefer, &r->set);
  return true;
}

bool scan_stage(const DepmodOptions& opt, const Paths& p, ScanResult* r) {
  r->target = p.outdir;
  if (!opt.files.empty()) {
    for (const auto& f : opt.files) {
      // As kmod: a named file that is not there stops the run (modutils'
      // form, depmod file..., prints the readable ones and fails after).
      struct stat st;
      if (!opt.files_dep_to_stdout && stat(f.c_str(), &st) != 0) {
        log(Level::fatal, "could not create module %s: %s", f.c_str(), strerror(errno));
        return false;
      }
      r->set.add(describe_module_file(f, p.dir, p.basedir), [](auto&, auto&) { return false; });
    }
    return true;
  }
  if (LegacyPlan legacy = plan_legacy_depmod(opt); legacy.active) {
    if (legacy.failed) return false;
    scan_legacy(legacy, p, r);
    return true;
  }
  return scan_depmod_d(opt, p, r);
}

// ---- parse: read every module once, drop the unreadable ones, order -----

// *skipped: some module could not be read.
bool parse_stage(const DepmodOptions& opt, const Paths& p, ModuleSet* set, DepmodTree* t, bool* skipped) {
  std::vector<ModuleElf> parsed;
  std::vector<std::string> errors;
  // Symbol names are kept as the modules spell them (messages show them so,
  // as kmod's do); the -P prefix is dropped where symbols are matched.
  parse_all(set->modules, 0, opt.threads, &parsed, &errors);
  std::vector<FoundModule> good;
  std::vector<ModuleElf> good_elf;
  for (size_t i = 0; i < set->modules.size(); ++i) {
    if (!errors[i].empty()) {
      log(Level::error, "%s: %s (module skipped)", set->modules[i].path.c_str(), errors[i].c_str());
      *skipped = true;
      continue;
    }
    good.push_back(std::move(set->modules[i]));
    good_elf.push_back(std::move(parsed[i]));
  }
  if (good.size() >= 65535) {
    log(Level::fatal, "too many modules: %zu", good.size());
    return false;
  }
  // `depmod file...` lists the modules in the order of the operands, as modutils did.
  std::vector<uint32_t> order(good.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!opt.files_dep_to_stdout) order = module_order(good, p.dir);
  for (uint32_t i : order) {
    t->mods.push_back(std::move(good[i]));
    t->elf.push_back(std::move(good_elf[i]));
  }
  return true;
}

// ---- resolve: symbols, dependency edges, cycles ---------------------------

// The kernel's symbols first, then each module's in module order; a later
// exporter of the same name replaces an earlier one, as in kmod.
SymbolTable symbol_table(const KernelExports& k, const DepmodTree& t) {
  SymbolTable symbols;
  size_t n_exports = k.syms.size();
  for (const auto& e : t.elf) n_exports += e.exports.size();
  symbols.reserve(n_exports * 2);
  for (const auto& s : k.syms) symbols[s.name] = {-1, s.crc};
  for (uint32_t i = 0; i < t.elf.size(); ++i)
    for (const auto& ex : t.elf[i].exports)
      if (std::string_view name = without_prefix(t.elf[i].str(ex.name), k.prefix); !name.empty())
        symbols[name] = {static_cast<int32_t>(i), ex.crc};
  return symbols;
}

// An edge from each module to the owner of every symbol it imports; -e
// warnings for unknown symbols (unless -q) and CRC mismatches; -v lines for
// new edges.  Returns how many unknown symbols -e or -u counted.
size_t add_dependencies(const SymbolTable& symbols, const KernelExports& k, const DepmodOptions& opt, DepmodTree* t) {
  size_t unresolved = 0;
  const uint32_t n = static_cast<uint32_t>(t->mods.size());
  t->graph = DepGraph(n);
  for (uint32_t i = 0; i < n; ++i) {
    const ModuleElf& e = t->elf[i];
    const char* path = t->mods[i].path.c_str();
    for (const auto& im : e.imports) {
      std::string_view name = e.str(im.name);
      auto it = symbols.find(without_prefix(name, k.prefix));
      if (it == symbols.end()) {
        if ((k.errsyms || k.count_unresolved) && !im.weak) {
          ++unresolved;
          if (!opt.quiet_unresolved)
            log(Level::warning, "%s needs unknown symbol %.*s", path, int(name.size()), name.data());
        }
        continue;
      }
      if (k.check_crcs && k.errsyms && !im.weak && it->second.crc != im.crc)
        log(Level::warning, "%s disagrees about version of symbol %.*s", path, int(name.size()), name.data());
      int32_t owner = it->second.owner;
      if (owner < 0 || static_cast<uint32_t>(owner) == i) continue;
      if (t->graph.add_edge(i, static_cast<uint32_t>(owner)) && opt.verbose)
        printf("%s needs \"%.*s\": %s\n", path, int(name.size()), name.data(), t->mods[owner].path.c_str());
    }
  }
  return unresolved;
}

// Names every cycle and how many modules are on one.
void report_cycles(const DepmodTree& t) {
  auto cycles = find_cycles(t.graph, t.order);
  std::vector<char> on_cycle(t.mods.size(), 0);
  size_t count = 0;
  for (const auto& c : cycles) {
    std::string text;
    for (size_t k = 0; k < c.size(); ++k) {
      if (k) text += " -> ";
      text += t.mods[c[k]].modname;
      if (!on_cycle[c[k]]) on_cycle[c[k]] = 1, ++count;
    }
    log(Level::error, "Cycle detected: %s", text.c_str());
  }
  log(Level::error, "Found %zu modules in dependency cycles!", count);
}

// False (after the messages) when the modules depend on each other in a
// cycle.  *unresolved: the unknown symbols -e or -u counted.
bool resolve_stage(const DepmodOptions& opt, const KernelExports& k, DepmodTree* t, size_t* unresolved) {
  SymbolTable symbols = symbol_table(k, *t);
  *unresolved = add_dependencies(symbols, k, opt, t);
  t->order = topo_sort(t->graph);
  if (!t->order.in_cycle.empty()) {
    report_cycles(*t);
    return false;
  }
  for (auto& [name, s] : symbols)
    if (s.owner >= 0) t->symbols.emplace_back(name, static_cast<uint32_t>(s.owner));
  std::sort(t->symbols.begin(), t->symbols.end(),
            [](const auto& a, const auto& b) { return kmod_hash_order_less(a.first, b.first, 2048); });
  return true;
}

// ---- outputs --------------------------------------------------------------

// Every file depmod writes, in kmod's order of writing (kept so that a
// reader watching the directory sees the same sequence).  The text files,
// in this order, are also what -n prints.
enum Out { kDep, kDepBin, kAlias, kAliasBin, kSoftdep, kWeakdep, kSymbols, kSymbolsBin, kBuiltinBin, kBuiltinAliasBin,
           kDevname, kOutCount };
struct OutputRow {
  Out id;
  const char* name;  // modules.dep: unless a modutils depfile= names it
  bool text;
};
constexpr OutputRow kOutputs[kOutCount] = {
    {kDep, "modules.dep", true},
    {kDepBin, "modules.dep.bin", false},
    {kAlias, "modules.alias", true},
    {kAliasBin, "modules.alias.bin", false},
    {kSoftdep, "modules.softdep", true},
    {kWeakdep, "modules.weakdep", true},
    {kSymbols, "modules.symbols", true},
    {kSymbolsBin, "modules.symbols.bin", false},
    {kBuiltinBin, "modules.builtin.bin", false},
    {kBuiltinAliasBin, "modules.builtin.alias.bin", false},
    {kDevname, "modules.devname", true},
};
using Outputs = std::array<OutputFile, kOutCount>;

void format_text_outputs(const DepmodOptions& opt, const Paths& p, const DepmodTree& t,
                         const std::vector<std::string>& dep_lines, Outputs* o) {
  (*o)[kDep].data = opt.modutils_layout ? format_modutils_dep(t, p.basedir) : format_modules_dep(dep_lines);
  (*o)[kAlias].data = format_modules_alias(t);
  (*o)[kSoftdep].data = format_modules_softdep(t);
  (*o)[kWeakdep].data = format_modules_weakdep(t);
  (*o)[kSymbols].data = format_modules_symbols(t);
  (*o)[kDevname].data = format_modules_devname(t);
}

bool build_index_outputs(const DepmodOptions& opt, const Paths& p, const DepmodTree& t,
                         const std::vector<std::string>& dep_lines, Outputs* o) {
  return build_module_indexes(t, dep_lines, opt.warn_dups, &(*o)[kDepBin], &(*o)[kAliasBin], &(*o)[kSymbolsBin]) &&
         build_builtin_indexes(p.dir, &(*o)[kBuiltinBin], &(*o)[kBuiltinAliasBin]);
}

// -n: the text files on stdout (`depmod file...`: modules.dep only).
int print_text_outputs(const Outputs& o, bool dep_only) {
  for (const OutputRow& row : kOutputs)
    if (row.text && (!dep_only || row.id == kDep)) fwrite(o[row.id].data.data(), 1, o[row.id].data.size(), stdout);
  return fflush(stdout) == 0 ? 0 : 1;
}

// ---- publish --------------------------------------------------------------

bool publish_stage(const ScanResult& scan, Outputs* o) {
  std::vector<OutputFile> files;
  for (const OutputRow& row : kOutputs) {
    OutputFile& f = (*o)[row.id];
    f.name = row.id == kDep ? scan.depfile_name : row.name;
    files.push_back(std::move(f));
  }
  std::string error;
  // MNG_DEPMOD_NO_SYNC=1 leaves the flushing out: make bench measures its cost.
  if (!write_output_set(scan.target, files, &error, !env_value("MNG_DEPMOD_NO_SYNC").has_value())) {
    log(Level::error, "%s", error.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_depmod(const DepmodOptions& opt) {
  const Paths p = paths_for(opt);
  if (opt.quick && outputs_current(opt, p)) return 0;

  StageClock clock;
  KernelExports kernel;
  if (!load_kernel_exports(opt, &kernel)) return 1;
  ScanResult scan;
  if (!scan_stage(opt, p, &scan)) return 1;
  clock.mark("scan");
  DepmodTree t;
  bool skipped = false;
  if (!parse_stage(opt, p, &scan.set, &t, &skipped)) return 1;
  clock.mark("parse");
  size_t unresolved = 0;
  if (!resolve_stage(opt, kernel, &t, &unresolved)) return 1;
  clock.mark("resolve");
  // modutils: unresolved symbols fail only with -u; an unreadable operand of
  // `depmod file...` fails too.
  const int status = (kernel.count_unresolved && unresolved) || (opt.files_dep_to_stdout && skipped) ? 1 : 0;

  Outputs out;
  std::vector<std::string> dep_lines = dependency_lines(t);
  format_text_outputs(opt, p, t, dep_lines, &out);
  if (opt.dry_run || opt.files_dep_to_stdout) return print_text_outputs(out, opt.files_dep_to_stdout) | status;
  clock.mark("text");
  if (!build_index_outputs(opt, p, t, dep_lines, &out)) return 1;
  clock.mark("indexes");
  if (!publish_stage(scan, &out)) return 1;
  clock.mark("write");
  return status;
}

}  // namespace mng
