// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/lookup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/modname.h"

namespace mng {

ModNode* Resolver::get(const std::string& name, const std::string& alias) {
  std::string key = alias.empty() ? name : name + "\\" + alias;
  auto& slot = pool_[key];
  if (!slot) {
    slot = std::make_unique<ModNode>();
    slot->name = name;
    slot->alias = alias;
  }
  return slot.get();
}

ModNode* Resolver::from_path(const std::string& path) { return get(modname_from_path(path)); }

void Resolver::add_index_matches(LazyIndex& idx, const std::string& name, std::vector<ModNode*>* out,
                                 std::string* err) {
  std::string why;
  const IndexFile* f = idx.get(&why);
  if (!f) {
    if (!why.empty()) ctx_.message(Msg::error, why);
    return;
  }
  std::vector<IndexValue> vals;
  if (!f->search_wild(name, &vals, &why)) {
    ctx_.message(Msg::error, why);
    if (err) *err = why;
    return;
  }
  for (const auto& v : vals) out->push_back(get(std::string(v.value), name));
}

bool Resolver::lookup(std::string_view given, std::vector<ModNode*>* out, std::string* err) {
  out->clear();
  std::optional<std::string> normalized = normalize_alias(given);
  if (!normalized) {
    if (err) *err = "invalid module name '" + std::string(given) + "'";
    return false;
  }
  const std::string& name = *normalized;
  // 1. configuration aliases
  for (const ConfAlias* a : match_kmod_aliases(ctx_.cfg, name)) out->push_back(get(a->target(), a->name));
  if (!out->empty()) return true;
  // 2. modules.dep
  if (name.find(':') == std::string::npos && ctx_.dep_ok) {
    DepEntry e;
    std::string why;
    if (ctx_.dep.lookup(name, &e, &why)) {
      ModNode* m = get(e.name);
      if (!m->dep_known) {
        m->dep_known = m->has_dep = true;
        m->dep = std::move(e);
      }
      out->push_back(m);
      return true;
    }
    if (!why.empty()) ctx_.message(Msg::error, why);
  }
  // 3. symbols
  if (name.starts_with("symbol:")) {
    add_index_matches(ctx_.symbols_idx, name, out, err);
    if (!out->empty()) return true;
  }
  // 4. commands naming the module exactly
  for (CommandKind kind : {CommandKind::install, CommandKind::remove}) {
    const ConfCommand* c = find_kmod_command_named(ctx_.cfg, kind, name);
    if (!c) continue;
    ModNode* m = get(name);
    if (kind == CommandKind::install) m->lookup_install = c;
    else m->lookup_remove = c;
    out->push_back(m);
    return true;
  }
  // 5. modules.alias.bin
  add_index_matches(ctx_.alias_idx, name, out, err);
  if (!out->empty()) return true;
  // 6. modules.builtin.bin
  if (builtin_has(name)) {
    ModNode* m = get(name);
    m->builtin = 1;
    out->push_back(m);
    return true;
  }
  // 7. modules.builtin.alias.bin
  add_index_matches(ctx_.builtin_alias_idx, name, out, err);
  return true;
}

bool Resolver::dep_entry(ModNode* m) {
  if (!m->dep_known) {
    m->dep_known = true;
    m->has_dep = ctx_.dep_ok && ctx_.dep.lookup(m->name, &m->dep);
  }
  return m->has_dep;
}

std::string Resolver::path(ModNode* m) {
  if (!m->explicit_path.empty()) return m->explicit_path;
  return dep_entry(m) ? m->dep.path : std::string();
}

std::vector<ModNode*> Resolver::dependencies(ModNode* m) {
  std::vector<ModNode*> out;
  if (!dep_entry(m)) return out;
  std::vector<DepEntry> order = ctx_.dep.load_order(m->dep);
  // As libkmod: a dependency file that is not there (a stale modules.dep,
  // or a path with a space, which the format cannot hold) voids the
  // module's dependency list, with a message naming the file.
  for (const auto& d : order) {
    struct stat st;
    if (d.path.empty() || ::stat(d.path.c_str(), &st) == 0) continue;
    if (!m->dep_error_reported)
      ctx_.message(Msg::error, "dependency " + d.path + " of " + m->name + " in " + ctx_.dep.file() + ": " +
                                   std::strerror(errno));
    m->dep_error_reported = true;
    return out;
  }
  for (auto& d : order) {
    ModNode* n = get(d.name);
    if (!n->dep_known) {
      n->dep_known = n->has_dep = true;
      n->dep = std::move(d);
    }
    out.push_back(n);
  }
  return out;
}

bool Resolver::is_builtin(ModNode* m) {
  if (m->builtin < 0) {
    m->builtin = builtin_has(m->name) ? 1 : 0;
  }
  return m->builtin == 1;
}

bool Resolver::builtin_has(const std::string& name) {
  std::string why;
  const IndexFile* f = ctx_.builtin_idx.get(&why);
  IndexValue v;
  bool found = false;
  if (f && f->lookup(name, &v, &found, &why) && found) return true;
  if (!why.empty() && !builtin_error_reported_) ctx_.message(Msg::error, why);
  builtin_error_reported_ |= !why.empty();
  return false;
}

ModState Resolver::state(ModNode* m) {
  if (is_builtin(m)) return ModState::builtin;
  switch (ctx_.kernel->state(m->name)) {
    case SysState::absent: return ModState::absent;
    case SysState::live: return ModState::live;
    case SysState::going: return ModState::going;
    case SysState::coming:
    case SysState::no_initstate: return ModState::coming;
  }
  return ModState::absent;
}

bool Resolver::in_kernel(ModNode* m) {
  ModState s = state(m);
  return s == ModState::live || s == ModState::builtin;
}

int Resolver::refcnt(ModNode* m) { return ctx_.kernel->refcnt(m->name); }

std::string Resolver::options(ModNode* m) { return kmod_options(ctx_.cfg, m->name, m->alias); }

const ConfCommand* Resolver::install_command(ModNode* m) {
  return m->lookup_install ? m->lookup_install : find_kmod_command(ctx_.cfg, CommandKind::install, m->name);
}

const ConfCommand* Resolver::remove_command(ModNode* m) {
  return m->lookup_remove ? m->lookup_remove : find_kmod_command(ctx_.cfg, CommandKind::remove, m->name);
}

void Resolver::softdeps(ModNode* m, std::vector<ModNode*>* pre, std::vector<ModNode*>* post) {
  pre->clear();
  post->clear();
  const ConfSoftdep* sd = find_softdep(ctx_.cfg, m->name);
  if (!sd) return;
  std::vector<ModNode*> found;
  for (const auto& n : sd->pre)
    if (lookup(n, &found)) pre->insert(pre->end(), found.begin(), found.end());
  for (const auto& n : sd->post)
    if (lookup(n, &found)) post->insert(post->end(), found.begin(), found.end());
}

bool Resolver::blacklisted(ModNode* m) { return is_blacklisted(ctx_.cfg, m->name); }

void Resolver::reset_marks() {
  for (auto& [key, m] : pool_) m->visited = m->required = false;
}

}  // namespace mng
