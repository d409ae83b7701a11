#include "depmod/depmod.h"

#include <sys/stat.h>
#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <thread>
#include <unordered_map>

#include "common/elf_module.h"
#include "common/log.h"
#include "common/superfast_hash.h"
#include "depmod/depmod_config_glue.h"
#include "depmod/index_output.h"
#include "depmod/legacy_mode.h"
#include "depmod/output_set.h"
#include "depmod/scan.h"
#include "depmod/text_output.h"

namespace mng {
namespace {

std::string join_path(std::string a, std::string_view b) {
  while (!a.empty() && a.back() == '/') a.pop_back();
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  return a + "/" + std::string(b);
}

bool mkdir_p(const std::string& dir) {
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    cur = dir.substr(0, pos);
    if (cur.empty()) continue;
    if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

// -A: true when no module under DIR is newer than DIR/modules.dep.
bool newer_module_exists(const std::string& dir, const timespec& ref) {
  DIR* d = opendir(dir.c_str());
  if (!d) return false;
  bool found = false;
  while (!found) {
    dirent* de = readdir(d);
    if (!de) break;
    std::string_view name = de->d_name;
    if (name == "." || name == ".." || name == "build" || name == "source") continue;
    std::string path = dir + "/" + std::string(name);
    struct stat st;
    if (stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      found = newer_module_exists(path, ref);
    } else if (S_ISREG(st.st_mode) && has_module_suffix(name)) {
      found = st.st_mtim.tv_sec > ref.tv_sec ||
              (st.st_mtim.tv_sec == ref.tv_sec && st.st_mtim.tv_nsec > ref.tv_nsec);
    }
  }
  closedir(d);
  return found;
}

struct KernelSymbol {
  std::string name;
  uint64_t crc;
};

// -F System.map: lines "ADDR TYPE NAME"; exports appear as __ksymtab_NAME.
bool load_system_map(const std::string& file, char prefix, std::deque<KernelSymbol>* out) {
  std::ifstream in(file);
  if (!in) {
    log(Level::error, "could not open %s: %s", file.c_str(), strerror(errno));
    return false;
  }
  std::string line;
  unsigned lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    size_t a = line.find(' ');
    size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    if (b == std::string::npos) {
      log(Level::error, "%s:%u: invalid line: %s", file.c_str(), lineno, line.c_str());
      continue;
    }
    std::string_view name = std::string_view(line).substr(b + 1);
    if (prefix && !name.empty() && name[0] == prefix) name.remove_prefix(1);
    if (name.substr(0, 10) != "__ksymtab_") continue;
    out->push_back({std::string(name.substr(10)), 0});
  }
  return true;
}

// -E Module.symvers: "CRC<TAB>NAME<TAB>vmlinux<TAB>..."; only vmlinux lines.
bool load_symvers(const std::string& file, char prefix, std::deque<KernelSymbol>* out) {
  std::ifstream in(file);
  if (!in) {
    log(Level::error, "could not open %s: %s", file.c_str(), strerror(errno));
    return false;
  }
  std::string line;
  unsigned lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    size_t a = line.find('\t');
    size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    if (b == std::string::npos) {
      log(Level::error, "%s:%u: invalid line: %s", file.c_str(), lineno, line.c_str());
      continue;
    }
    size_t c = line.find('\t', b + 1);
    std::string_view where = std::string_view(line).substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1);
    if (where != "vmlinux") continue;
    std::string_view name = std::string_view(line).substr(a + 1, b - a - 1);
    if (prefix && !name.empty() && name[0] == prefix) name.remove_prefix(1);
    out->push_back({std::string(name), strtoull(line.c_str(), nullptr, 16)});
  }
  return true;
}

// Loads and parses every module on THREADS threads.  Messages are kept per
// module and printed in module order, so output does not depend on timing.
void parse_all(const std::vector<FoundModule>& mods, char prefix, unsigned threads, std::vector<ModuleElf>* elf,
               std::vector<std::string>* errors) {
  elf->assign(mods.size(), ModuleElf{});
  errors->assign(mods.size(), std::string{});
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= mods.size()) return;
      std::string why;
      // Only the sections the parser needs are read (pread): mapping every
      // module costs far more in page faults on some machines.
      if (!read_module_elf(mods[i].path, &(*elf)[i], &why, prefix))
        (*errors)[i] = why.empty() ? "unreadable module" : why;
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, std::max<size_t>(1, mods.size() / 16));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Module order: kmod's by-name hash order, then modules.order entries first
// in file order (a stable sort, as glibc's qsort is for these arrays).
std::vector<uint32_t> module_order(const std::vector<FoundModule>& mods, const std::string& dir) {
  std::vector<uint32_t> order(mods.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return kmod_hash_order_less(mods[a].modname, mods[b].modname, 512);
  });
  std::string file = dir + "/modules.order";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    log(Level::warning, "could not open modules.order at %s: %s", dir.c_str(), strerror(errno));
    return order;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') {
    unsigned lines = static_cast<unsigned>(std::count(text.begin(), text.end(), '\n')) + 1;
    log(Level::error, "%s:%u corrupted line misses '\\n'", file.c_str(), lines);
    return order;
  }
  std::unordered_map<std::string, uint32_t> by_relpath;
  by_relpath.reserve(mods.size() * 2);
  for (uint32_t i = 0; i < mods.size(); ++i)
    if (!mods[i].relpath.empty()) by_relpath.emplace(uncompressed_relpath(mods[i].relpath), i);
  // Position in modules.order; modules not listed sort after all listed ones.
  std::vector<int64_t> key(mods.size(), 0);
  int64_t lineno = 0, total = std::count(text.begin(), text.end(), '\n') + 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    ++lineno;
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    auto it = by_relpath.find(line);
    if (it != by_relpath.end()) key[it->second] = lineno - total;
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return key[a] < key[b]; });
  return order;
}

// MNG_DEPMOD_STATS=1 prints how long each stage took, for make bench.
struct StageClock {
  bool on = getenv("MNG_DEPMOD_STATS") != nullptr;
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

}  // namespace

int run_depmod(const DepmodOptions& opt) {
  const std::string root = opt.basedir.empty() ? "/" : opt.basedir;
  const std::string dir = join_path(join_path(root, opt.moduledir), opt.kver);
  const std::string outroot = opt.outdir.empty() ? root : opt.outdir;
  const std::string outdir = join_path(join_path(outroot, opt.moduledir), opt.kver);
  const std::string basedir = opt.basedir == "/" ? "" : opt.basedir;

  if (opt.quick) {
    if (opt.dry_run) return 0;
    struct stat st;
    std::string dep = outdir + "/modules.dep";
    if (stat(dep.c_str(), &st) != 0) {
      log(Level::error, "could not fstatat(%s, modules.dep): %s", outdir.c_str(), strerror(errno));
    } else if (!newer_module_exists(dir, st.st_mtim)) {
      return 0;
    }
  }

  StageClock clock;
  bool errsyms = opt.errsyms;
  std::deque<KernelSymbol> kernel_syms;
  bool check_crcs = false;
  if (!opt.symvers.empty()) {
    if (!load_symvers(opt.symvers, opt.sym_prefix, &kernel_syms)) return 1;
    check_crcs = true;
  } else if (!opt.system_map.empty()) {
    if (!load_system_map(opt.system_map, opt.sym_prefix, &kernel_syms)) return 1;
  }
  if (!opt.symvers.empty() || !opt.system_map.empty()) {
    for (const char* fake : {"__this_module", "_GLOBAL_OFFSET_TABLE_", "TOC."}) kernel_syms.push_back({fake, 0});
  } else if (errsyms) {
    log(Level::warning, "-e needs -E or -F");
    errsyms = false;
  }
  // -u: unresolved symbols make the status 1; only the kernel's symbols
  // from -E or -F tell an unresolved symbol from one of the kernel's.
  bool count_unresolved = opt.unresolved_error;
  if (count_unresolved && opt.symvers.empty() && opt.system_map.empty()) {
    log(Level::warning, "-u needs -E or -F");
    count_unresolved = false;
  }
  size_t unresolved = 0;

  // Find the module files.
  ModuleSet set;
  std::string depfile_name = "modules.dep";
  std::string target = outdir;
  if (!opt.files.empty()) {
    for (const auto& f : opt.files) set.add(describe_module_file(f, dir, basedir), [](auto&, auto&) { return false; });
  } else if (LegacyPlan legacy = plan_legacy_depmod(opt); legacy.active) {
    if (legacy.failed) return 1;
    // modutils: the first file found under the path[] directories wins.
    auto first_wins = [](const FoundModule&, const FoundModule&) { return false; };
    struct stat st;
    for (const auto& d : legacy.dirs)
      if (stat(d.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        scan_directory(d, dir, basedir, legacy.prune, first_wins, &set);
    size_t slash = legacy.depfile.rfind('/');
    if (slash != std::string::npos && slash + 1 < legacy.depfile.size()) {
      target = slash == 0 ? "/" : legacy.depfile.substr(0, slash);
      depfile_name = legacy.depfile.substr(slash + 1);
    }
  } else {
    DepmodSearchConfig cfg;
    if (!load_search_config(opt, &cfg)) return 1;
    struct stat st;
    if (stat(dir.c_str(), &st) != 0) {
      log(Level::error, "could not open directory %s: %s", dir.c_str(), strerror(errno));
      return 1;
    }
    scan_directory(dir, dir, basedir, cfg.excludes, cfg.prefer, &set);
    for (const auto& ext : cfg.externals)
      if (stat(ext.c_str(), &st) == 0) scan_directory(ext, dir, basedir, cfg.excludes, cfg.prefer, &set);
  }

  clock.mark("scan");
  // Read every module once, on all cores; drop the unreadable ones.
  std::vector<ModuleElf> parsed;
  std::vector<std::string> errors;
  parse_all(set.modules, opt.sym_prefix, opt.threads, &parsed, &errors);
  std::vector<FoundModule> good;
  std::vector<ModuleElf> good_elf;
  bool skipped = false;
  for (size_t i = 0; i < set.modules.size(); ++i) {
    if (!errors[i].empty()) {
      log(Level::error, "%s: %s (module skipped)", set.modules[i].path.c_str(), errors[i].c_str());
      skipped = true;
      continue;
    }
    good.push_back(std::move(set.modules[i]));
    good_elf.push_back(std::move(parsed[i]));
  }
  if (good.size() >= 65535) {
    log(Level::fatal, "too many modules: %zu", good.size());
    return 1;
  }

  clock.mark("parse");
  DepmodTree t;
  // `depmod file...` lists the modules in the order of the operands, as modutils did.
  std::vector<uint32_t> order(good.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!opt.files_dep_to_stdout) order = module_order(good, dir);
  for (uint32_t i : order) {
    t.mods.push_back(std::move(good[i]));
    t.elf.push_back(std::move(good_elf[i]));
  }
  const uint32_t n = static_cast<uint32_t>(t.mods.size());

  // Symbols: the kernel's first, then each module's in module order; a
  // later exporter of the same name replaces an earlier one, as in kmod.
  std::unordered_map<std::string_view, SymbolEntry> symbols;
  size_t n_exports = kernel_syms.size();
  for (const auto& e : t.elf) n_exports += e.exports.size();
  symbols.reserve(n_exports * 2);
  for (const auto& k : kernel_syms) symbols[k.name] = {-1, k.crc};
  for (uint32_t i = 0; i < n; ++i)
    for (const auto& ex : t.elf[i].exports) symbols[t.elf[i].str(ex.name)] = {static_cast<int32_t>(i), ex.crc};

  t.graph = DepGraph(n);
  for (uint32_t i = 0; i < n; ++i) {
    const ModuleElf& e = t.elf[i];
    for (const auto& im : e.imports) {
      std::string_view name = e.str(im.name);
      auto it = symbols.find(name);
      if (it == symbols.end()) {
        if ((errsyms || count_unresolved) && !im.weak) {
          ++unresolved;
          if (!opt.quiet_unresolved)
            log(Level::warning, "%s needs unknown symbol %.*s", t.mods[i].path.c_str(), int(name.size()),
                name.data());
        }
        continue;
      }
      if (check_crcs && errsyms && !im.weak && it->second.crc != im.crc)
        log(Level::warning, "%s disagrees about version of symbol %.*s", t.mods[i].path.c_str(), int(name.size()),
            name.data());
      int32_t owner = it->second.owner;
      if (owner < 0 || static_cast<uint32_t>(owner) == i) continue;
      if (t.graph.add_edge(i, static_cast<uint32_t>(owner)) && opt.verbose)
        printf("%s needs \"%.*s\": %s\n", t.mods[i].path.c_str(), int(name.size()), name.data(),
               t.mods[owner].path.c_str());
    }
  }

  t.order = topo_sort(t.graph);
  if (!t.order.in_cycle.empty()) {
    auto cycles = find_cycles(t.graph, t.order);
    std::vector<char> on_cycle(n, 0);
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
    return 1;
  }

  for (auto& [name, s] : symbols)
    if (s.owner >= 0) t.symbols.emplace_back(name, static_cast<uint32_t>(s.owner));
  std::sort(t.symbols.begin(), t.symbols.end(),
            [](const auto& a, const auto& b) { return kmod_hash_order_less(a.first, b.first, 2048); });

  clock.mark("resolve");
  std::vector<std::string> dep_lines = dependency_lines(t);
  OutputFile dep{depfile_name, opt.modutils_layout ? format_modutils_dep(t, basedir) : format_modules_dep(dep_lines)};
  OutputFile alias{"modules.alias", format_modules_alias(t)};
  OutputFile softdep{"modules.softdep", format_modules_softdep(t)};
  OutputFile weakdep{"modules.weakdep", format_modules_weakdep(t)};
  OutputFile syms{"modules.symbols", format_modules_symbols(t)};
  OutputFile devname{"modules.devname", format_modules_devname(t)};
  // modutils: unresolved symbols fail only with -u; an unreadable operand of
  // `depmod file...` fails too.
  const int status = (count_unresolved && unresolved) || (opt.files_dep_to_stdout && skipped) ? 1 : 0;
  if (opt.dry_run || opt.files_dep_to_stdout) {
    std::vector<const OutputFile*> shown = {&dep, &alias, &softdep, &weakdep, &syms, &devname};
    if (opt.files_dep_to_stdout) shown.resize(1);
    for (const OutputFile* f : shown) fwrite(f->data.data(), 1, f->data.size(), stdout);
    return fflush(stdout) == 0 ? status : 1;
  }
  clock.mark("text");
  OutputFile dep_bin, alias_bin, syms_bin, builtin_bin, builtin_alias_bin;
  if (!build_module_indexes(t, dep_lines, opt.warn_dups, &dep_bin, &alias_bin, &syms_bin) ||
      !build_builtin_indexes(dir, &builtin_bin, &builtin_alias_bin))
    return 1;
  clock.mark("indexes");
  // kmod's order of writing, kept so that a reader watching the directory
  // sees the same sequence.
  std::vector<OutputFile> files;
  for (OutputFile* f : {&dep, &dep_bin, &alias, &alias_bin, &softdep, &weakdep, &syms, &syms_bin, &builtin_bin,
                        &builtin_alias_bin, &devname})
    files.push_back(std::move(*f));

  if (!mkdir_p(target)) {
    log(Level::error, "could not create directory %s: %s", target.c_str(), strerror(errno));
    return 1;
  }
  recover_outputs(target);
  std::string error;
  if (!publish_outputs(target, files, &error)) {
    log(Level::error, "%s", error.c_str());
    return 1;
  }
  clock.mark("write");
  return status;
}

}  // namespace mng
