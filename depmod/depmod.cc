// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/depmod.h"

#include <sys/stat.h>
#include <malloc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <deque>
#include <optional>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/helper_thread.h"
#include "common/log.h"
#include "conf/file_text.h"
#include "common/text_util.h"
#include "depmod/depmod_config_glue.h"
#include "common/module_dir.h"
#include "depmod/index_output.h"
#include "depmod/kernel_symbols.h"
#include "depmod/legacy_mode.h"
#include "depmod/module_cache.h"
#include "depmod/output_set.h"
#include "depmod/outputs.h"
#include "depmod/parse_stage.h"
#include "depmod/run_state.h"
#include "depmod/scan.h"
#include "depmod/stage_clock.h"
#include "depmod/symbol_table.h"
#include "depmod/text_output.h"

namespace mng {
namespace {

struct SymbolEntry {
  uint64_t crc;
  int32_t owner;   // module index, -1 for the kernel
  uint32_t index;  // in the owner's exports
};
using SymbolTable = NameTable<SymbolEntry>;

// Where depmod reads and writes.
struct Paths {
  std::string dir;      // the module directory, ROOT/MODULEDIR/KVER
  std::string outdir;   // the same under -o
  std::string basedir;  // -b; "" for /
};

Paths paths_for(const DepmodOptions& opt) {
  const std::string root = opt.basedir.empty() ? "/" : opt.basedir;
  const std::string outroot = opt.outdir.empty() ? root : opt.outdir;
  // Without -m: the build's module directory, or the other of /lib/modules
  // and /usr/lib/modules when only that one has the kernel.
  std::string moduledir = opt.moduledir_set ? opt.moduledir : module_dir_for(root, opt.kver).substr(1);
  return {path_join(path_join(root, moduledir), opt.kver), path_join(path_join(outroot, moduledir), opt.kver),
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
  bool legacy = false;                       // found by the modutils configuration
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
    r->legacy = true;
    scan_legacy(legacy, p, r);
    return true;
  }
  return scan_depmod_d(opt, p, r);
}

// ---- resolve: symbols, dependency edges, cycles ---------------------------

// The kernel's symbols first, then each module's in module order; a later
// exporter of the same name replaces an earlier one, as in kmod.
SymbolTable symbol_table(const KernelExports& k, const DepmodTree& t) {
  size_t n_exports = k.syms.size();
  for (const auto& e : t.elf) n_exports += e.exports.size();
  SymbolTable symbols(n_exports);
  for (const auto& s : k.syms) symbols[s.name] = {s.crc, -1, 0};
  for (uint32_t i = 0; i < t.elf.size(); ++i)
    for (uint32_t x = 0; x < t.elf[i].exports.size(); ++x) {
      const ExportedSymbol& ex = t.elf[i].exports[x];
      if (std::string_view name = without_prefix(t.elf[i].str(ex.name), k.prefix); !name.empty())
        symbols[name] = {ex.crc, static_cast<int32_t>(i), x};
    }
  return symbols;
}

// An edge from each module to the owner of every symbol it imports; -e
// warnings for unknown symbols (unless -q) and CRC mismatches; -v lines for
// new edges.  Returns how many unknown symbols -e or -u counted.
// Without messages to print, on two threads: each module's list of
// dependencies is its own, in first-reference order as below, and the
// users are counted after.
bool add_dependencies_quietly(const SymbolTable& symbols, const KernelExports& k, const DepmodOptions& opt,
                              DepmodTree* t, HelperThread* helper) {
  if (run_threads(opt) < 2 || k.errsyms || k.count_unresolved || opt.verbose) return false;
  const uint32_t n = static_cast<uint32_t>(t->mods.size());
  t->graph = DepGraph(n);
  std::atomic<uint32_t> next{0};
  auto work = [&] {
    constexpr uint32_t kChunk = 64;
    for (uint32_t from; (from = next.fetch_add(kChunk)) < n;)
      for (uint32_t i = from; i < std::min(n, from + kChunk); ++i) {
        const ModuleElf& e = t->elf[i];
        std::vector<uint32_t>& d = t->graph.deps[i];
        for (const auto& im : e.imports) {
          const SymbolEntry* it = symbols.find(without_prefix(e.str(im.name), k.prefix));
          if (!it || it->owner < 0 || static_cast<uint32_t>(it->owner) == i) continue;
          if (std::find(d.begin(), d.end(), static_cast<uint32_t>(it->owner)) == d.end()) d.push_back(it->owner);
        }
      }
  };
  run_beside(helper, work, work);
  for (const auto& d : t->graph.deps)
    for (uint32_t to : d) ++t->graph.users[to];
  return true;
}

size_t add_dependencies(const SymbolTable& symbols, const KernelExports& k, const DepmodOptions& opt, DepmodTree* t,
                        HelperThread* helper) {
  if (add_dependencies_quietly(symbols, k, opt, t, helper)) return 0;
  size_t unresolved = 0;
  const uint32_t n = static_cast<uint32_t>(t->mods.size());
  t->graph = DepGraph(n);
  for (uint32_t i = 0; i < n; ++i) {
    const ModuleElf& e = t->elf[i];
    const char* path = t->mods[i].path.c_str();
    for (const auto& im : e.imports) {
      std::string_view name = e.str(im.name);
      const SymbolEntry* it = symbols.find(without_prefix(name, k.prefix));
      if (!it) {
        if ((k.errsyms || k.count_unresolved) && !im.weak) {
          ++unresolved;
          if (!opt.quiet_unresolved)
            log(Level::warning, "%s needs unknown symbol %.*s", path, int(name.size()), name.data());
        }
        continue;
      }
      if (k.check_crcs && k.errsyms && !im.weak && it->crc != im.crc)
        log(Level::warning, "%s disagrees about version of symbol %.*s", path, int(name.size()), name.data());
      int32_t owner = it->owner;
      if (owner < 0 || static_cast<uint32_t>(owner) == i) continue;
      if (t->graph.add_edge(i, static_cast<uint32_t>(owner)) && opt.verbose)
        printf("%s needs \"%.*s\": %s\n", path, int(name.size()), name.data(), t->mods[owner].path.c_str());
    }
  }
  return unresolved;
}

// Names every cycle and how many modules are on one, as kmod does.
void report_cycles(const DepmodTree& t) {
  CycleReport r = find_cycles(t.graph, t.order);
  for (const auto& line : r.lines) {
    std::string text;
    for (size_t k = 0; k < line.size(); ++k) {
      if (k) text += " -> ";
      text += t.mods[line[k]].modname;
    }
    log(Level::error, "Cycle detected: %s", text.c_str());
  }
  if (r.truncated) log(Level::error, "Too many dependency cycles: stopped after %zu", r.lines.size());
  log(Level::error, "Found %zu modules in dependency cycles!", r.modules);
}

// False (after the messages) when the modules depend on each other in a
// cycle.  *unresolved: the unknown symbols -e or -u counted.
bool resolve_stage(const DepmodOptions& opt, const KernelExports& k, DepmodTree* t, size_t* unresolved,
                   HelperThread* helper) {
  SymbolTable symbols = symbol_table(k, *t);
  *unresolved = add_dependencies(symbols, k, opt, t, helper);
  t->order = topo_sort(t->graph);
  if (!t->order.in_cycle.empty()) {
    report_cycles(*t);
    return false;
  }
  // The imports are no longer needed; the table's keys point into the
  // pools they shrink, so from here on only its values are used.
  for (auto& e : t->elf) drop_imports(&e);
  struct Sym {
    uint32_t bucket;
    std::string_view name;
    uint32_t owner;
  };
  std::vector<Sym> owned;
  owned.reserve(symbols.size());
  // The table's hash of a name is the one kmod's table orders by.
  symbols.for_each([&](std::string_view, uint32_t hash, const SymbolEntry& s) {
    if (s.owner < 0) return;
    const ModuleElf& e = t->elf[s.owner];
    std::string_view name = without_prefix(e.str(e.exports[s.index].name), k.prefix);
    owned.push_back({hash & 2047, name, static_cast<uint32_t>(s.owner)});
  });
  symbols = SymbolTable();
  std::sort(owned.begin(), owned.end(), [](const Sym& a, const Sym& b) {
    return a.bucket != b.bucket ? a.bucket < b.bucket : a.name < b.name;
  });
  t->symbols.reserve(owned.size());
  for (const Sym& s : owned) t->symbols.emplace_back(s.name, s.owner);
  return true;
}

// ---- publish --------------------------------------------------------------

// What besides the modules decides the outputs (see inputs_digest).
std::string output_options(const DepmodOptions& opt, const Paths& p, const ScanResult& scan) {
  std::string text;
  for (const std::string* s : {&p.dir, &p.outdir, &p.basedir, &scan.target, &scan.depfile_name, &opt.kver})
    text.append(*s).push_back('\0');
  text += std::to_string(opt.modutils_layout) + std::to_string(static_cast<int>(opt.index_layout)) +
          std::to_string(static_cast<int>(static_cast<unsigned char>(opt.sym_prefix)));
  return text;
}

// Each file goes to its temporary file as soon as it is made, so that only
// one is held at a time on each lane; the cache's tail last, once it can
// record the others.  The renames follow kOutputs' order, the cache last.  INPUTS is recorded in the cache
// (0 when the run printed a warning or error since PROBLEMS were counted:
// a run that skipped the work would not repeat it).
bool publish_stage(const ScanResult& scan, const OutputInputs& in, ParseCache* cache, uint64_t inputs,
                   size_t problems, StageClock* clock) {
  std::string error;
  UniqueFd dir(open_output_dir(scan.target, true, &error));
  // Held until the directory is closed: runs writing here take turns.
  bool ok = dir.valid() && lock_output_dir(dir.get(), scan.target, &error);
  if (ok) recover_outputs(dir.get(), scan.target);
  std::optional<OutputSetWriter> w;
  // MNG_DEPMOD_NO_SYNC=1 leaves the flushing out: make bench measures its cost.
  if (ok) w.emplace(dir.get(), scan.target, !env_value("MNG_DEPMOD_NO_SYNC").has_value());
  std::vector<std::string> temps;
  // The cache's facts go to their temporary file while the index lane is
  // still busy; the record of the outputs, and the checksum, are appended
  // once the outputs exist.
  Made body;
  uint32_t body_crc = 0;
  auto write_body = [&] {
    if (!cache->write) return;
    body.tried = true;
    body_crc = cache_body_crc(cache->body());
    body.ok = w->write_temp({kModuleCacheName, std::move(cache->out)}, &body.temp, &body.error, false);
    std::string().swap(cache->out);
  };
  const auto sources = output_sources(inputs ? cache->base : 0, in.t, in.dep_lines);
  if (ok) {
    std::array<Made, kOutCount> made;
    if (inputs && !in.opt.warn_dups) {
      auto keep = kept_outputs(cache->last, cache->last_ctime, sources, dir.get(), output_names(scan.depfile_name));
      for (size_t i = 0; i < kOutCount; ++i) made[i].kept = keep[i];
    }
    make_outputs(in, scan.depfile_name, *w, write_body, &made);
    // Published in kOutputs' order, whichever lane finished first; on a
    // failure the temporaries written go with the writer.  A kept file
    // stays where it is.
    for (const OutputRow& row : kOutputs) {
      const Made& m = made[row.id];
      const std::string name = output_name(row, scan.depfile_name);
      if (m.kept) temps.push_back(name);
      if (m.ok) {
        w->adopt(name, m.temp);
        temps.push_back(m.temp);
      }
      clock->add(m.kept ? (name + "(kept)").c_str() : row.name, m.ms);
    }
    if (body.ok) w->adopt(kModuleCacheName, body.temp);
    clock->mark("outputs");
    // The first failure in publishing order ends the run.
    std::vector<const Made*> all;
    for (const Made& m : made) all.push_back(&m);
    all.push_back(&body);
    for (const Made* m : all)
      if (m->tried && !m->ok) {
        if (!m->error.empty()) log(Level::error, "%s", m->error.c_str());
        return false;
      }
  }
  if (ok && cache->write) {
    RunState state;
    state.sources.assign(sources.begin(), sources.end());
    // The temporaries keep size, inode and modification time when renamed.
    bool quiet = problems_logged() == problems;
    state.inputs = output_keys(dir.get(), temps, &state.outputs) && quiet ? inputs : 0;
    ok = w->append_temp(body.temp, cache_tail(body_crc, state), &error);
    clock->mark("cache-tail");
  }
  if (ok) ok = w->commit(&error);
  clock->mark("commit");
  if (!ok) log(Level::error, "%s", error.c_str());
  return ok;
}

// True when the outputs in the target directory are those the run would
// write (see nothing_changed), checked under the directory's lock, which
// is released again before returning; what a killed run left is cleared.
bool outputs_unchanged(const ModuleCache& cache, const struct stat& cache_st, uint64_t inputs,
                       const ScanResult& scan) {
  std::string error;
  UniqueFd dir(open_output_dir(scan.target, false, &error));
  if (!dir || !lock_output_dir(dir.get(), scan.target, &error) ||
      !nothing_changed(cache, cache_st, inputs, scan.set.modules, dir.get(), output_names(scan.depfile_name)))
    return false;
  recover_outputs(dir.get(), scan.target);
  return true;
}

}  // namespace

int run_depmod(const DepmodOptions& opt) {
  const Paths p = paths_for(opt);
  if (opt.quick && outputs_current(opt, p)) return 0;

  StageClock clock;
  KernelExports kernel;
  if (!load_kernel_exports(opt, &kernel)) return 1;
  // The cache belongs to a whole tree: `depmod VERSION file...` neither
  // reads nor writes it; -n reads it only.  It is read while the tree is
  // scanned, from the output directory (again if the scan names another:
  // modutils' depfile=); not under -v, whose line would come out of order.
  const bool use_cache = opt.use_cache && opt.files.empty();
  ModuleCache cache;
  struct stat cache_st {};
  bool cache_ok = false;
  // The run's second thread (declared after what its first task uses,
  // so that it is stopped first), for runs from the cache, which are short
  // enough for thread start-up to count; a full run starts its threads as
  // it needs them and keeps its peak memory lower so.
  std::optional<HelperThread> helper;
  if (use_cache && run_threads(opt) > 1) helper.emplace();
  HelperThread* h = helper ? &*helper : nullptr;
  const bool early = h && !opt.verbose;
  if (early) h->start([&] { cache_ok = load_cache(opt, p.outdir, &cache, &cache_st); });
  ScanResult scan;
  if (!scan_stage(opt, p, &scan)) return 1;
  clock.mark("scan");
  if (h) h->wait();
  ParseCache pc;
  if (use_cache) {
    if (!early || scan.target != p.outdir) {
      cache = ModuleCache(), cache_st = {};
      cache_ok = load_cache(opt, scan.target, &cache, &cache_st);
    }
    pc.write = cache_ok && !opt.dry_run;
    pc.in = &cache;
    pc.last = cache.state();
    pc.last_ctime = cache_st.st_ctim;
  }
  if (cache.size() == 0) helper.reset(), h = nullptr;
  clock.mark("cache");
  uint64_t inputs = pc.write && !scan.legacy
                        ? inputs_digest(output_options(opt, p, scan), p.dir, scan.set.modules, &pc.base)
                        : 0;
  // Nothing to do when the outputs are those a full run would write, as
  // long as the run would print nothing more either.
  if (inputs && !opt.warn_dups && !kernel.errsyms && !kernel.count_unresolved &&
      outputs_unchanged(cache, cache_st, inputs, scan)) {
    if (opt.verbose) printf("%s: nothing changed, the outputs are left as they are\n", scan.target.c_str());
    clock.mark("unchanged");
    return 0;
  }
  const size_t problems = problems_logged();
  DepmodTree t;
  bool skipped = false;
  if (!parse_stage(opt, p.dir, &scan.set, &t, &skipped, &pc, h)) return 1;
  clock.mark(("parse(" + std::to_string(pc.hits) + "-cached)").c_str());
  size_t unresolved = 0;
  if (!resolve_stage(opt, kernel, &t, &unresolved, h)) return 1;
  // What the imports and the old cache took goes back to the system
  // before the outputs are built (it sits in the parse threads' arenas),
  // for the peak memory of a full run; a run from the cache holds less,
  // and would only have to fault the pages in again.
  if (pc.hits == 0) malloc_trim(0);
  clock.mark("resolve");
  // modutils: unresolved symbols fail only with -u; an unreadable operand of
  // `depmod file...` fails too.
  const int status = (kernel.count_unresolved && unresolved) || (opt.files_dep_to_stdout && skipped) ? 1 : 0;

  std::vector<std::string> dep_lines = dependency_lines(t);
  const OutputInputs in{opt, p.dir, p.basedir, t, dep_lines, h};
  if (opt.dry_run || opt.files_dep_to_stdout) return print_text_outputs(in, opt.files_dep_to_stdout) | status;
  if (!publish_stage(scan, in, &pc, inputs, problems, &clock)) return 1;
  clock.mark("write");
  return status;
}

}  // namespace mng
