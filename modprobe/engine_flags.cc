// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/engine_flags.h"

namespace mng {

namespace {

// ACTIONS_OUT: where the action lines go (null: nowhere).
EngineFlags engine_flags(const ModprobeOptions& o, std::ostream* actions_out, bool ignore_loaded) {
  EngineFlags e;
  e.kernel = {.force_vermagic = o.force_vermagic, .force_modversion = o.force_modversion, .wait_msec = o.wait_msec};
  e.actions.out = actions_out;
  e.ignore_loaded = ignore_loaded;
  e.ignore_commands = o.ignore_commands;
  e.first_time = o.first_time;
  return e;
}

}  // namespace

KmodFlags kmod_flags(const ModprobeOptions& o, std::ostream* out) {
  KmodFlags f;
  static_cast<EngineFlags&>(f) = engine_flags(o, o.show_depends || o.verbose > 0 ? out : nullptr, o.show_depends);
  f.dry_run = o.dry_run || o.show_depends;
  f.use_blacklist = o.use_blacklist;
  f.remove_holders = o.remove_holders;
  return f;
}

LegacyFlags legacy_flags(const ModprobeOptions& o, std::ostream* out) {
  LegacyFlags f;
  static_cast<EngineFlags&>(f) = engine_flags(o, o.verbose > 0 ? out : nullptr, o.dry_run || o.show_depends);
  f.depends.out = out;
  f.show_depends = o.show_depends;
  f.run_commands = !o.dry_run;
  f.autoclean = o.autoclean;
  f.quiet = o.quiet;
  f.syslog = o.syslog;
  f.all = o.all;
  f.safe_mode = o.safe_mode;
  f.has_tag = o.has_tag;
  f.tag = o.tag;
  return f;
}

}  // namespace mng
