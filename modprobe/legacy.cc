// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/legacy.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/elf_module.h"
#include "conf/legacy_defaults.h"
#include "modprobe/legacy_engine.h"
#include "modprobe/legacy_walk.h"
#include "modprobe/show.h"

namespace mng {

namespace {

constexpr int kFail = 255;

// Operand and the sym=value words after it.
struct Operand {
  std::string name;
  std::vector<std::string> options;
};

std::vector<Operand> group_operands(const std::vector<std::string>& args) {
  std::vector<Operand> out;
  for (const auto& a : args) {
    if (a.find('=') != std::string::npos) {
      if (!out.empty()) out.back().options.push_back(a);
      continue;
    }
    out.push_back({a, {}});
  }
  return out;
}

// Glob characters make an operand a pattern over module files (modutils
// used its whole SHELL_META set; ':' and '+' are left out here so that
// kmod-style aliases such as pci:v... stay names).
bool is_pattern(const std::string& s) { return s.find_first_of("*?[]{}~") != std::string::npos; }

struct Run {
  Context& ctx;
  Resolver& r;
  LegacyFlags flags;
  std::vector<Operand> operands;
  LegacyEngine eng;
  std::vector<SearchPath> paths;
  bool walked = false;
  std::vector<WalkedFile> files;

  Run(Context& c, Resolver& res)
      : ctx(c), r(res), flags(legacy_flags(c.opts, c.out)), operands(group_operands(c.opts.args)), eng(c, res, flags) {
    paths = ctx.cfg.legacy_in_force ? ctx.cfg.paths : legacy_default_paths(ctx.root, ctx.kversion);
  }

  const std::vector<WalkedFile>& all_files() {
    if (!walked) {
      walked = true;
      std::vector<std::string> prune =
          ctx.cfg.legacy_in_force ? prune_names(ctx.cfg)
                                  : std::vector<std::string>(legacy_builtin_prune().begin(), legacy_builtin_prune().end());
      files = walk_module_paths(paths, prune);
    }
    return files;
  }

  std::vector<WalkedFile> tagged(std::vector<WalkedFile> in) {
    if (!flags.has_tag) return in;
    std::vector<WalkedFile> out;
    for (auto& f : in)
      if (file_has_tag(f, flags.tag, paths, ctx.root)) out.push_back(std::move(f));
    return out;
  }

  // Loads one resolved module (trying each modules.dep entry of its name).
  // 0 ok, -2 not found / missing piece (message printed), -3 failed.
  int load_resolved(const LResolved& res, const std::vector<std::string>& cmdline, int depth) {
    switch (res.kind) {
      case LResolved::off:
      case LResolved::null:
      case LResolved::builtin:
        return 0;
      case LResolved::alias_loop:
        ctx.legacy_message("alias loop detected on " + res.chain.front(), true);
        return -2;
      case LResolved::probe:
      case LResolved::probeall:
        return load_list(res.list, res.kind == LResolved::probeall, depth);
      case LResolved::command_only: {
        std::vector<LEntry> stack = {eng.single_entry(res)};
        const LEntry* failed = nullptr;
        return eng.load_stack(stack, cmdline, &failed);
      }
      case LResolved::not_found:
        ctx.legacy_message("Can't locate module " + res.chain.front());
        return -2;
      case LResolved::module:
        break;
    }
    int rc = -3;
    for (const auto& e : res.entries) {
      std::vector<LEntry> stack;
      std::string error;
      bool off = false;
      if (!eng.build_stack(e, res.chain, true, &stack, &error, &off)) {
        ctx.legacy_message(error, true);
        return -2;
      }
      if (off) return 0;
      const LEntry* failed = nullptr;
      rc = eng.load_stack(stack, cmdline, &failed);
      if (rc == 0) return 0;
    }
    return rc;
  }

  // probe: the first member that loads; probeall: all, success if one did.
  int load_list(const ConfModuleList* l, bool all, int depth) {
    if (depth > 32) return -3;
    bool any = false;
    for (const auto& m : l->modules) {
      int rc = load_name(m, {}, depth + 1);
      if (rc == 0) {
        any = true;
        if (!all) return 0;
      }
    }
    return any ? 0 : -3;
  }

  int load_name(const std::string& name, const std::vector<std::string>& cmdline, int depth) {
    // Safe mode: no name is a pattern (modutils: no glob expansion).
    if (is_pattern(name) && !flags.safe_mode) return load_pattern(name, cmdline);
    if (const ConfModuleList* p = find_list(ctx.cfg.probe, name)) return load_list(p, false, depth);
    if (const ConfModuleList* p = find_list(ctx.cfg.probeall, name)) return load_list(p, true, depth);
    return load_resolved(eng.resolve(name), cmdline, depth);
  }

  // -t and wildcard operands: the matching module files in walk order,
  // tried until one loads (every one with -a).
  int load_files(const std::vector<WalkedFile>& cands, const std::vector<std::string>& cmdline) {
    bool any = false, tried = false;
    for (const auto& f : cands) {
      DepEntry e;
      if (!eng.find_by_path(f.path, &e)) continue;
      tried = true;
      LResolved res;
      res.kind = LResolved::module;
      res.chain = {module_stem(f.path)};
      res.entries = {e};
      if (load_resolved(res, cmdline, 0) == 0) {
        any = true;
        if (!flags.all) return 0;
      }
    }
    if (any) return 0;
    return tried ? -3 : -2;
  }

  int load_pattern(const std::string& pattern, const std::vector<std::string>& cmdline) {
    int rc = load_files(tagged(match_operand(all_files(), pattern)), cmdline);
    if (rc == -2) ctx.legacy_message("Can't locate module " + pattern);
    return rc;
  }

  int do_load() {
    const std::vector<Operand>& ops = operands;
    if (ops.empty()) {
      if (flags.has_tag) {
        // -t alone stands for every module file: the pattern "*".  A
        // failed load has said why; finding nothing is said too.
        int rc = load_files(tagged(all_files()), {});
        if (rc == -2) ctx.legacy_message("Can't locate module *");
        return rc == 0 ? 0 : kFail;
      }
      ctx.raw_error("modprobe: Nothing to load ???\nSpecify at least a module or a wildcard like \\*");
      return 0;
    }
    bool any = false;
    for (const auto& op : ops) {
      int rc;
      if (flags.has_tag) {
        rc = load_pattern(op.name, op.options);
      } else {
        rc = load_name(op.name, op.options, 0);
        if (rc == -3) ctx.legacy_message("insmod " + op.name + " failed");
      }
      if (rc == 0) {
        any = true;
        if (!flags.all) return 0;
      }
    }
    return any ? 0 : kFail;
  }

  // -r: 0 or the errno of the named module's removal.
  int remove_name(const std::string& name, int depth) {
    if (depth > 32) return 0;
    for (const auto* lists : {&ctx.cfg.probe, &ctx.cfg.probeall})
      if (const ConfModuleList* l = find_list(*lists, name)) {
        int err = 0;
        for (const auto& m : l->modules)
          if (int e = remove_name(m, depth + 1)) err = e;
        return err;
      }
    LResolved res = eng.resolve(name);
    if (res.kind == LResolved::off || res.kind == LResolved::null) return 0;
    if (res.kind == LResolved::probe || res.kind == LResolved::probeall) {
      // An alias to a probe name ("alias /dev/sg* /dev/sg"): its members.
      int err = 0;
      for (const auto& m : res.list->modules)
        if (int e = remove_name(m, depth + 1)) err = e;
      return err;
    }
    std::vector<LEntry> stack;
    if (res.kind == LResolved::module) {
      std::string error;
      bool off = false;
      if (!eng.build_stack(res.entries.front(), res.chain, false, &stack, &error, &off)) {
        ctx.legacy_message(error, true);
        return EINVAL;
      }
      if (off) return 0;
    } else {
      // Not in modules.dep: the name itself.
      stack.push_back(eng.single_entry(res));
    }
    int top_err = 0;
    for (const LEntry& e : stack) {
      if (e.null_node || e.builtin) continue;
      if (!eng.is_loaded(e.kname)) {
        // --first-time: the named module not being there is a failure.
        if (e.top && flags.first_time) top_err = ENOENT;
        continue;
      }
      std::string k = normalize_modname(e.kname);
      // As the kmod engine: with -w the named module is not checked for
      // users beforehand, its removal is retried while it is busy.
      bool check_users = !(e.top && flags.kernel.wait_msec > 0);
      if (check_users && (ctx.kernel->refcnt(k) > 0 || !ctx.kernel->holders(k).empty())) {
        if (e.top) top_err = EBUSY;
        continue;
      }
      int err = eng.remove_entry(e, !e.top);
      if (err < 0 && e.top) top_err = -err;
    }
    return top_err;
  }

  int do_remove() {
    if (operands.empty()) {
      // modutils' autoclean (the cron job's "modprobe -r"): it asked the
      // kernel to drop the modules loaded with -k that nothing uses.  2.6
      // and later kernels keep no such flag, so nothing more is done.
      flags.actions.line("# autoclean");
      return 0;
    }
    int failures = 0;
    for (const auto& op : operands) {
      int err = remove_name(op.name, 0);
      if (err) {
        ++failures;
        if (!flags.quiet) ctx.raw_error(op.name + ": " + std::strerror(err));
      }
    }
    return failures;
  }

  // -R: the module names the operands resolve to.
  int do_resolve() {
    bool all_found = true;
    for (const auto& op : operands) {
      LResolved res = eng.resolve(op.name);
      switch (res.kind) {
        case LResolved::module:
        case LResolved::builtin:
        case LResolved::command_only:
          *ctx.out << normalize_modname(legacy_key(res.chain.back())) << "\n";
          break;
        case LResolved::probe:
        case LResolved::probeall:
          for (const auto& m : res.list->modules) *ctx.out << m << "\n";
          break;
        case LResolved::off:
        case LResolved::null:
          break;
        default:
          ctx.legacy_message("Can't locate module " + op.name);
          all_found = false;
      }
    }
    return all_found ? 0 : kFail;
  }

  int do_list() {
    std::vector<std::string> patterns;
    for (const auto& op : operands) patterns.push_back(op.name);
    for (const auto& f : tagged(all_files())) {
      std::string base = f.path.substr(f.path.rfind('/') + 1);
      bool match = patterns.empty();
      for (const auto& p : patterns)
        if (fnmatch(p.c_str(), base.c_str(), 0) == 0) match = true;
      if (match) *ctx.out << f.path << "\n";
    }
    return 0;
  }
};

bool open_depfile(Context& ctx) {
  std::string depfile = ctx.cfg.depfile();
  if (depfile.empty()) depfile = ctx.moddir + "/modules.dep";
  struct stat st;
  if (depfile == ctx.moddir + "/modules.dep") {
    ctx.dep_ok = ctx.dep.open_dir(ctx.moddir, &ctx.dep_error, ctx.root);
  } else {
    ctx.dep_ok = ctx.dep.open_text(depfile, {ctx.moddir, ctx.root}, &ctx.dep_error);
  }
  if (!ctx.dep_ok) {
    int e = ::stat(depfile.c_str(), &st) == 0 ? EACCES : ENOENT;
    ctx.legacy_message("Can't open dependencies file " + depfile + " (" + std::strerror(e) + ")", true);
    return false;
  }
  for (const auto& p : ctx.dep.problems()) ctx.legacy_message(p, true);
  // modutils' reminder, on stdout: the newest configuration file read
  // (included ones too) against the dependency file itself, not an index
  // built beside it; the message names the top-level file.
  if (!ctx.cfg.legacy_file.empty() && ::stat(depfile.c_str(), &st) == 0 && ctx.out) {
    bool newer = false;
    for (const auto& f : ctx.cfg.legacy_files) {
      struct stat cs;
      if (::stat(f.c_str(), &cs) == 0 && cs.st_mtime > st.st_mtime) newer = true;
    }
    if (newer) *ctx.out << "Note: " << ctx.cfg.legacy_file << " is more recent than " << depfile << "\n";
  }
  return true;
}

}  // namespace

bool legacy_wanted(const Context& ctx) {
  return ctx.cfg.legacy_in_force || ctx.opts.has_tag || ctx.opts.list || ctx.opts.autoclean;
}

int run_legacy(Context& ctx, Resolver& r) {
  if (ctx.cfg.modprobe_fails) return kFail;
  for (const auto& [k, v] : ctx.cfg.defines) ctx.command_env[k] = v;
  if (!open_depfile(ctx)) return kFail;
  Run run(ctx, r);
  if (ctx.opts.show_config) return show_config_and_indexes(ctx);
  if (ctx.opts.remove) return run.do_remove();
  if (ctx.opts.list) return run.do_list();
  if (ctx.opts.resolve_alias) return run.do_resolve();
  return run.do_load();
}

}  // namespace mng
