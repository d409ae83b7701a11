#include "modprobe/engine_flags.h"

namespace mng {

namespace {

KernelOpFlags kernel_op_flags(const ModprobeOptions& o) {
  KernelOpFlags k;
  k.force_vermagic = o.force_vermagic;
  k.force_modversion = o.force_modversion;
  k.wait_msec = o.wait_msec;
  return k;
}

}  // namespace

KmodFlags kmod_flags(const ModprobeOptions& o, std::ostream* out) {
  KmodFlags f;
  f.kernel = kernel_op_flags(o);
  if (o.show_depends || o.verbose > 0) f.actions.out = out;
  f.dry_run = o.dry_run || o.show_depends;
  f.ignore_loaded = o.show_depends;
  f.first_time = o.first_time;
  f.ignore_commands = o.ignore_commands;
  f.use_blacklist = o.use_blacklist;
  f.remove_holders = o.remove_holders;
  return f;
}

LegacyFlags legacy_flags(const ModprobeOptions& o, std::ostream* out) {
  LegacyFlags f;
  f.kernel = kernel_op_flags(o);
  if (o.verbose > 0) f.actions.out = out;
  f.depends.out = out;
  f.show_depends = o.show_depends;
  f.run_commands = !o.dry_run;
  f.ignore_loaded = o.dry_run || o.show_depends;
  f.ignore_commands = o.ignore_commands;
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
