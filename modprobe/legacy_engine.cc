// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/legacy_engine.h"

#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/text_util.h"
#include "modprobe/commands.h"
#include "common/kernel_ops.h"
#include "modprobe/legacy_walk.h"

namespace mng {

namespace {

const char* hook_word(CommandKind k) { return command_keyword(k); }

// A devfs name ("/dev/sg0"): the first legacy alias whose name, starting
// with '/', matches it as a shell pattern and that does not map it to itself.
const ConfAlias* find_devfs_alias(const ConfigModel& cfg, const std::string& name) {
  for (const auto& a : cfg.aliases) {
    if (!is_legacy(a.source) || !a.name.starts_with('/') || a.target() == name) continue;
    if (a.name == name || fnmatch(a.name.c_str(), name.c_str(), 0) == 0) return &a;
  }
  return nullptr;
}

}  // namespace

std::string legacy_key(const std::string& name) {
  std::string b(base_name(name));
  for (const char* suf : {".o.gz", ".o", ".mod"})
    if (b.ends_with(suf) && b.size() > std::strlen(suf)) return b.substr(0, b.size() - std::strlen(suf));
  return b;
}

std::string strip_module_suffix(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  for (const char* suf : {".ko.gz", ".ko.xz", ".ko.zst", ".ko", ".o.gz", ".o", ".mod"})
    if (name.ends_with(suf) && name.size() > std::strlen(suf)) return name.substr(0, name.size() - std::strlen(suf));
  return name;
}

// --- resolution -------------------------------------------------------------

LResolved LegacyEngine::resolve(const std::string& name, std::vector<LResolved>* also) {
  LResolved res;
  res.chain = {name};
  std::string cur = name;
  int steps = 0;
  for (;;) {
    const ConfAlias* a =
        cur.starts_with('/') ? find_devfs_alias(ctx_.cfg, cur) : find_legacy_alias(ctx_.cfg, legacy_key(cur));
    if (!a || a->target().empty()) break;
    const std::string& t = a->target();
    if (t == "off") {
      res.kind = LResolved::off;
      return res;
    }
    if (t == "null") {
      res.chain.push_back(t);
      res.kind = LResolved::null;
      return res;
    }
    if (t == cur || ++steps > 1000) {
      res.kind = LResolved::alias_loop;
      return res;
    }
    res.chain.push_back(t);
    cur = t;
  }
  const std::string final_name = res.chain.back();
  if (ctx_.dep_ok) res.entries = ctx_.dep.lookup_all(final_name);
  if (res.entries.empty() && ctx_.dep_ok) {
    // "ext4.ko", "ne.o": the module of that file name.
    std::string stem = strip_module_suffix(final_name);
    if (stem != final_name && !(res.entries = ctx_.dep.lookup_all(stem)).empty()) res.chain.push_back(stem);
  }
  if (!res.entries.empty()) {
    res.kind = LResolved::module;
    return res;
  }
  if (res.chain.size() > 1) {
    if ((res.list = find_list(ctx_.cfg.probe, final_name))) {
      res.kind = LResolved::probe;
      return res;
    }
    if ((res.list = find_list(ctx_.cfg.probeall, final_name))) {
      res.kind = LResolved::probeall;
      return res;
    }
  }
  if (resolve_kmod_way(final_name, &res, also)) return res;
  for (const auto& n : res.chain)
    if (const ConfCommand* c = find_command(ctx_.cfg, CommandKind::install, n); c && is_legacy(c->source)) {
      res.kind = LResolved::command_only;
      return res;
    }
  res.kind = LResolved::not_found;
  return res;
}

// The kmod way: modprobe.d aliases, modules.alias.bin, symbols, built-ins.
// True when FINAL_NAME is found so (*res is then the answer).
bool LegacyEngine::resolve_kmod_way(const std::string& final_name, LResolved* res, std::vector<LResolved>* also) {
  std::vector<ModNode*> nodes;
  if (r_.lookup(final_name, &nodes) && !nodes.empty()) {
    const std::vector<std::string> chain = res->chain;
    for (ModNode* n : nodes) {
      std::string p = r_.path(n);
      if (p.empty()) continue;
      LResolved one;
      one.kind = LResolved::module;
      one.chain = chain;
      if (n->name != final_name) one.chain.push_back(n->name);
      one.entries.push_back(n->dep);
      if (res->kind != LResolved::module) *res = std::move(one);
      else if (also) also->push_back(std::move(one));
      else break;
    }
    if (res->kind == LResolved::module) return true;
    for (ModNode* n : nodes) {
      if (r_.is_builtin(n)) {
        if (n->name != final_name) res->chain.push_back(n->name);
        res->kind = LResolved::builtin;
        return true;
      }
      if (r_.install_command(n)) {
        if (n->name != final_name) res->chain.push_back(n->name);
        res->kind = LResolved::command_only;
        return true;
      }
    }
  }
  return false;
}

void LegacyEngine::ensure_path_map() {
  if (path_map_ready_) return;
  path_map_ready_ = true;
  std::vector<DepEntry> all;
  std::string err;
  if (ctx_.dep_ok && ctx_.dep.all(&all, &err))
    for (auto& e : all) by_real_path_.emplace(real_path(e.path), std::move(e));
}

bool LegacyEngine::find_by_path(const std::string& path, DepEntry* out) {
  // The usual case: the entry of the file's own name.
  for (auto& e : ctx_.dep.lookup_all(modname_from_path(path)))
    if (e.path == path) {
      *out = std::move(e);
      return true;
    }
  ensure_path_map();
  auto it = by_real_path_.find(real_path(path));
  if (it == by_real_path_.end()) return false;
  *out = it->second;
  return true;
}

// --- stacks -------------------------------------------------------------------

std::string LegacyEngine::kname_for(const DepEntry& e, const std::vector<std::string>& chain) {
  // The first "-o NAME" of the chain's options names the module in the kernel.
  for (const auto& n : chain)
    if (const ConfOptions* o = find_legacy_options(ctx_.cfg, legacy_key(n))) {
      MergedOptions m;
      m.add_group(o->words, false);
      std::string k = m.object_name();
      if (!k.empty()) return k;
    }
  return modname_from_path(e.path);
}

LEntry LegacyEngine::single_entry(const LResolved& res) {
  LEntry e;
  e.chain = res.chain;
  e.kname = normalize_modname(legacy_key(res.chain.back()));
  e.builtin = res.kind == LResolved::builtin;
  e.command_only = res.kind == LResolved::command_only;
  e.null_node = res.kind == LResolved::null;
  e.top = true;
  return e;
}

bool LegacyEngine::build_stack(const DepEntry& e, const std::vector<std::string>& chain, bool loading,
                               std::vector<LEntry>* stack, std::string* error, bool* off) {
  stack_ = stack;
  loading_ = loading;
  error_ = error;
  off_ = off;
  *off = false;
  return build(e, chain, LMode::normal, 0, true);
}

bool LegacyEngine::add_named(const std::string& name, LMode mode, const std::string& needed_by, bool optional,
                             int depth) {
  return add_resolved(resolve(name), name, mode, needed_by, optional, depth);
}

bool LegacyEngine::add_softdeps(const std::vector<std::string>& names, LMode mode, const std::string& needed_by,
                                int depth) {
  // As the kmod engine: every module a name finds (an alias may stand for
  // several), in the kmod engine's order.  Each is put in front of the
  // stack, so they are added last first.
  std::vector<LResolved> all;
  for (const auto& n : names) {
    std::vector<LResolved> also;
    all.push_back(resolve(n, &also));
    for (auto& a : also) all.push_back(std::move(a));
  }
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (!add_resolved(*it, it->chain.front(), mode, needed_by, true, depth)) return false;
  return true;
}

bool LegacyEngine::add_resolved(const LResolved& res, const std::string& name, LMode mode,
                                const std::string& needed_by, bool optional, int depth) {
  switch (res.kind) {
    case LResolved::off:
      if (!optional) *off_ = true;
      return true;
    case LResolved::null:
    case LResolved::builtin:
      return true;
    case LResolved::module: {
      std::string k = kname_for(res.entries.front(), res.chain);
      if (mode == LMode::above)
        for (const auto& s : *stack_)
          if (s.kname == k) return true;
      return build(res.entries.front(), res.chain, mode, depth + 1, false);
    }
    case LResolved::command_only: {
      LEntry le = single_entry(res);
      le.mode = mode;
      le.top = false;
      auto it = std::find_if(stack_->begin(), stack_->end(), [&](const LEntry& s) { return s.kname == le.kname; });
      if (it != stack_->end()) stack_->erase(it);
      if (loading_) stack_->insert(stack_->begin(), std::move(le));
      else stack_->push_back(std::move(le));
      return true;
    }
    default:
      if (optional) return true;
      *error_ = "Can't locate module " + name + " which is needed for " + needed_by;
      return false;
  }
}

bool LegacyEngine::build(const DepEntry& e, const std::vector<std::string>& chain, LMode mode, int depth, bool top) {
  if (depth > 128) {
    std::string names;
    for (const auto& s : *stack_) names += " " + s.kname;
    *error_ = "Too deep recursion in module dependencies!\nmodprobe: Circular dependency?" + names;
    return false;
  }
  const std::string me = legacy_key(chain.back());
  std::string kname = kname_for(e, chain);

  // 1. above lists of every name of the chain (and post softdeps).
  for (const auto& n : chain)
    if (const ConfModuleList* l = find_list(ctx_.cfg.above, legacy_key(n)))
      for (const auto& a : l->modules)
        if (!add_named(a, LMode::above, me, false, depth)) return false;
  std::vector<std::string> pre, post;
  if (loading_)
    if (const ConfSoftdep* sd = find_softdep(ctx_.cfg, kname)) {
      pre = sd->pre;
      post = sd->post;
    }
  if (!add_softdeps(post, LMode::above, me, depth)) return false;

  // 2. the module itself, moved if it is on the stack already.
  LEntry le;
  le.kname = kname;
  le.chain = chain;
  le.entry = e;
  le.mode = mode;
  le.top = top;
  auto it = std::find_if(stack_->begin(), stack_->end(), [&](const LEntry& s) { return s.kname == kname; });
  if (it != stack_->end()) {
    le.top = le.top || it->top;
    if (it->mode == LMode::normal) le.mode = LMode::normal;
    stack_->erase(it);
  }
  if (loading_) stack_->insert(stack_->begin(), std::move(le));
  else stack_->push_back(std::move(le));

  // 3. below lists (and pre softdeps), 4. modules.dep dependencies.
  for (const auto& n : chain)
    if (const ConfModuleList* l = find_list(ctx_.cfg.below, legacy_key(n)))
      for (const auto& b : l->modules)
        if (!add_named(b, LMode::below, me, false, depth)) return false;
  if (!add_softdeps(pre, LMode::below, me, depth)) return false;
  for (const auto& d : e.deps) {
    DepEntry de;
    if (!find_by_path(d, &de)) {
      *error_ = "Can't locate module " + module_stem(d) + " which is needed for " + me;
      return false;
    }
    if (!build(de, {module_stem(d)}, LMode::normal, depth + 1, false)) return false;
  }
  return true;
}

// --- options ----------------------------------------------------------------

MergedOptions LegacyEngine::options_for(const LEntry& e, const std::vector<std::string>& cmdline) {
  MergedOptions m;
  // The module's own options, then each alias's back toward the request.
  for (auto it = e.chain.rbegin(); it != e.chain.rend(); ++it)
    if (const ConfOptions* o = find_legacy_options(ctx_.cfg, legacy_key(*it))) m.add_group(o->words, true);
  // modprobe.d and kernel command line options for the module and aliases.
  std::vector<std::string> names = {e.kname};
  for (const auto& n : e.chain) {
    std::string u = normalize_modname(n);
    if (std::find(names.begin(), names.end(), u) == names.end()) names.push_back(u);
  }
  for (const auto& o : ctx_.cfg.options) {
    if (is_legacy(o.source)) continue;
    if (std::find(names.begin(), names.end(), o.module) == names.end()) continue;
    m.add_group(option_words(o.text), false);
  }
  if (e.top) m.add_group(cmdline, true);
  return m;
}

std::string LegacyEngine::insmod_line(const LEntry& e, const MergedOptions& o) {
  std::string line = "/sbin/insmod";
  bool never_autoclean = false;
  for (const auto& n : e.chain)
    if (const ConfOptions* co = find_legacy_options(ctx_.cfg, legacy_key(n)); co && co->never_autoclean)
      never_autoclean = true;
  if (flags_.autoclean && !never_autoclean) line += " -k";
  if (flags_.quiet) line += " -q";
  if (flags_.syslog) line += " -s";
  if (ctx_.cfg.has_insmod_opt)
    for (std::string_view w : strtok_split(ctx_.cfg.insmod_opt)) line.append(" ").append(w);
  line += " " + e.entry.path;
  for (const auto& w : o.words) line += " " + w;
  if (line.size() > 2000) line = line.substr(0, 2000) + " ...";
  return line;
}

bool LegacyEngine::is_loaded(const std::string& kname) {
  ModNode* n = r_.get(normalize_modname(kname));
  ModState s = r_.state(n);
  return s == ModState::live || s == ModState::builtin || s == ModState::coming;
}

// --- loading and removing ----------------------------------------------------

bool LegacyEngine::run_hooks(CommandKind kind, const LEntry& e, const std::string& options, bool quiet, bool* ran) {
  if (ran) *ran = false;
  // -i (kmod's --ignore-install/--ignore-remove): configured install and
  // remove commands often call modprobe -i themselves.
  if (flags_.ignore_commands && (kind == CommandKind::install || kind == CommandKind::remove)) return true;
  for (const auto& n : e.chain) {
    const ConfCommand* c = find_command(ctx_.cfg, kind, legacy_key(n));
    if (!c) continue;
    // A modprobe.d install/remove line applies to its module's name only.
    if (!is_legacy(c->source) && normalize_modname(n) != e.kname) continue;
    if (ran) *ran = true;
    std::map<std::string, std::string> env = {{"MODPROBE_MODULE", e.kname}};
    std::string text = is_legacy(c->source) ? c->command : substitute_cmdline_opts(c->command, options, &env);
    flags_.actions.line("# " + std::string(hook_word(kind)) + " " + legacy_key(n) + ":");
    flags_.actions.line(c->command);
    if (!flags_.run_commands) continue;
    std::string why;
    int st = run_shell_command(ctx_, text, env, &why);
    if (st != 0) {
      if (!quiet) ctx_.legacy_message(std::string(hook_word(kind)) + " " + legacy_key(n) + " failed");
      return false;
    }
  }
  return true;
}

int LegacyEngine::load_stack(std::vector<LEntry>& stack, const std::vector<std::string>& cmdline,
                             const LEntry** failed) {
  std::vector<const LEntry*> loaded_here;
  *failed = nullptr;
  ModuleOps ops(*ctx_.kernel, flags_.kernel, flags_.actions);
  // A failed entry: take back what this run loaded, newest first.
  auto fail = [&](const LEntry& e) {
    *failed = &e;
    for (auto it = loaded_here.rbegin(); it != loaded_here.rend(); ++it)
      if (!(*it)->command_only) remove_entry(**it, true, true);
    return -3;
  };
  for (const LEntry& e : stack) {
    if (e.null_node) continue;
    if (flags_.show_depends) {
      show_depends_line(e, cmdline);
      continue;
    }
    if (e.builtin) continue;
    if (!flags_.ignore_loaded && !e.command_only && is_loaded(e.kname)) {
      if (!(e.top && flags_.first_time)) continue;
      // --first-time, as the kmod engine: the named module being there
      // already is a failure.
      ctx_.legacy_message("could not insert '" + e.kname + "': " + insert_error_reason(-EEXIST, ""));
      return fail(e);
    }
    MergedOptions o = options_for(e, cmdline);
    std::string params = o.kernel_params();
    bool ok = run_hooks(CommandKind::pre_install, e, params, false, nullptr);
    bool installed = false;
    if (ok) ok = run_hooks(CommandKind::install, e, params, false, &installed);
    if (ok && !installed && !e.command_only) {
      if (flags_.actions.out) flags_.actions.line(insmod_line(e, o));
      std::string detail;
      int err = ops.insert(e.entry.path, params, &detail);
      if (err == -EEXIST) err = 0;  // loaded meanwhile: fine, as modutils' insmod
      if (err < 0) {
        ctx_.legacy_message("could not insert '" + e.kname + "': " + insert_error_reason(err, detail));
        ctx_.legacy_message("insmod " + e.entry.path + " failed");
        ok = false;
      }
    }
    if (ok) ok = run_hooks(CommandKind::post_install, e, params, false, nullptr);
    if (ok) {
      loaded_here.push_back(&e);
      continue;
    }
    if (e.mode != LMode::normal) continue;  // above/below failures are ignored
    return fail(e);
  }
  return 0;
}

void LegacyEngine::show_depends_line(const LEntry& e, const std::vector<std::string>& cmdline) {
  // kmod's -D lines, which initramfs builders parse.
  const Actions& a = flags_.depends;
  if (!a.out) return;
  MergedOptions o = options_for(e, cmdline);
  const ConfCommand* c = find_command(ctx_.cfg, CommandKind::install, legacy_key(e.chain.back()));
  if (e.builtin) a.builtin(e.kname);
  else if (c) a.install(c->command, o.kernel_params());
  else if (!e.command_only) a.insmod(e.entry.path, o.kernel_params());
}

int LegacyEngine::remove_entry(const LEntry& e, bool quiet, bool taking_back) {
  if (!run_hooks(CommandKind::pre_remove, e, "", quiet, nullptr)) return -EINVAL;
  bool removed_by_command = false;
  if (!run_hooks(CommandKind::remove, e, "", quiet, &removed_by_command)) return -EINVAL;
  if (!removed_by_command) {
    ModuleOps ops(*ctx_.kernel, flags_.kernel, flags_.actions);
    int err = taking_back ? ops.take_back(e.kname) : ops.remove(e.kname);
    if (err < 0) return err;
  }
  if (!run_hooks(CommandKind::post_remove, e, "", quiet, nullptr)) return -EINVAL;
  return 0;
}

}  // namespace mng
