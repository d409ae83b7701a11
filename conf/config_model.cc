// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/config_model.h"

#include <mutex>
#include <unordered_set>

#include <fnmatch.h>

namespace mng {

const std::string* intern_file_name(const std::string& name) {
  static std::mutex lock;
  static auto* names = new std::unordered_set<std::string>;  // never destroyed: origins may outlive statics
  std::lock_guard<std::mutex> hold(lock);
  return &*names->insert(name).first;
}
namespace {

bool pattern_matches(const std::string& pattern, std::string_view name) {
  std::string n(name);
  return fnmatch(pattern.c_str(), n.c_str(), 0) == 0;
}

}  // namespace

const std::string& ConfAlias::target() const {
  static const std::string empty;
  return targets.empty() ? empty : targets.front();
}

std::string ConfOptions::joined() const {
  if (!is_legacy(source)) return text;
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

const char* command_keyword(CommandKind k) {
  switch (k) {
    case CommandKind::pre_install: return "pre-install";
    case CommandKind::install: return "install";
    case CommandKind::post_install: return "post-install";
    case CommandKind::pre_remove: return "pre-remove";
    case CommandKind::remove: return "remove";
    case CommandKind::post_remove: return "post-remove";
  }
  return "?";
}

const char* gen_file_base(GenFile f) {
  switch (f) {
    case GenFile::generic_string: return "generic_string";
    case GenFile::pcimap: return "pcimap";
    case GenFile::isapnpmap: return "isapnpmap";
    case GenFile::usbmap: return "usbmap";
    case GenFile::parportmap: return "parportmap";
    case GenFile::ieee1394map: return "ieee1394map";
    case GenFile::pnpbiosmap: return "pnpbiosmap";
    case GenFile::dep: return "dep";
  }
  return "?";
}

const ConfAlias* find_legacy_alias(const ConfigModel& m, std::string_view name) {
  for (const auto& a : m.aliases)
    if (is_legacy(a.source) && a.name == name) return &a;
  return nullptr;
}

std::vector<const ConfAlias*> match_kmod_aliases(const ConfigModel& m, std::string_view name) {
  std::vector<const ConfAlias*> out;
  for (const auto& a : m.aliases)
    if (!is_legacy(a.source) && pattern_matches(a.name, name)) out.push_back(&a);
  return out;
}

const ConfOptions* find_legacy_options(const ConfigModel& m, std::string_view name) {
  for (const auto& o : m.options)
    if (is_legacy(o.source) && o.module == name) return &o;
  return nullptr;
}

std::string kmod_options(const ConfigModel& m, std::string_view modname, std::string_view alias) {
  std::string out;
  for (const auto& o : m.options) {
    if (is_legacy(o.source)) continue;
    if (o.module != modname && (alias.empty() || o.module != alias)) continue;
    if (!out.empty()) out += ' ';
    out += o.text;
  }
  return out;
}

const ConfCommand* find_command(const ConfigModel& m, CommandKind kind, std::string_view name) {
  for (const auto& c : m.commands)
    if (c.kind == kind && is_legacy(c.source) && c.module == name) return &c;
  return find_kmod_command(m, kind, name);
}

const ConfCommand* find_kmod_command(const ConfigModel& m, CommandKind kind, std::string_view name) {
  for (const auto& c : m.commands)
    if (c.kind == kind && !is_legacy(c.source) && pattern_matches(c.module, name)) return &c;
  return nullptr;
}

const ConfCommand* find_kmod_command_named(const ConfigModel& m, CommandKind kind, std::string_view name) {
  for (const auto& c : m.commands)
    if (c.kind == kind && !is_legacy(c.source) && c.module == name) return &c;
  return nullptr;
}

const ConfModuleList* find_list(const std::vector<ConfModuleList>& list, std::string_view name) {
  for (const auto& e : list)
    if (e.name == name) return &e;
  return nullptr;
}

bool is_blacklisted(const ConfigModel& m, std::string_view modname) {
  for (const auto& b : m.blacklist)
    if (b.module == modname) return true;
  return false;
}

const ConfSoftdep* find_softdep(const ConfigModel& m, std::string_view modname) {
  for (const auto& s : m.softdeps)
    if (pattern_matches(s.module, modname)) return &s;
  return nullptr;
}

const ConfWeakdep* find_weakdep(const ConfigModel& m, std::string_view modname) {
  for (const auto& w : m.weakdeps)
    if (pattern_matches(w.module, modname)) return &w;
  return nullptr;
}

std::vector<std::string> prune_names(const ConfigModel& m) {
  std::vector<std::string> out;
  out.reserve(m.prune.size());
  for (const auto& p : m.prune) out.push_back(p.name);
  return out;
}

}  // namespace mng
