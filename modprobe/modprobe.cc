// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/modprobe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "common/modname.h"
#include "common/module_dir.h"
#include "conf/load_config.h"
#include "modprobe/context.h"
#include "modprobe/engine_flags.h"
#include "modprobe/legacy.h"
#include "modprobe/lookup.h"
#include "modprobe/probe.h"
#include "modprobe/remove.h"
#include "modprobe/show.h"

namespace mng {

std::string options_from_args(const std::vector<std::string>& args, size_t first) {
  std::string out;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!out.empty()) out += ' ';
    size_t eq = a.find('=');
    bool quote = false;
    if (eq != std::string::npos) {
      char c = eq + 1 < a.size() ? a[eq + 1] : '\0';
      quote = c != '"' && c != '\'' && a.find(' ', eq + 1) != std::string::npos;
    }
    if (quote) out += a.substr(0, eq + 1) + "\"" + a.substr(eq + 1) + "\"";
    else out += a;
  }
  return out;
}

namespace {

void report_config_errors(Context& ctx, const std::vector<ConfigError>& errors) {
  for (const auto& e : errors) {
    if (e.level == ConfErrorLevel::warning) {
      ctx.raw_error(e.message);
    } else if (is_legacy(e.source)) {
      ctx.legacy_message(e.message, e.level == ConfErrorLevel::error);
    } else {
      ctx.message(e.level == ConfErrorLevel::info ? Msg::info : Msg::error, e.message);
    }
  }
}

std::string add_env_options(const char* current, const ModprobeOptions& o) {
  std::string s = current ? current : "";
  auto add = [&](const std::string& w) {
    if (!s.empty()) s += ' ';
    s += w;
  };
  for (const auto& c : o.configs) add("-C " + c);
  // A nested modprobe (from an install command) must read the same files.
  if (o.allow_unsafe_config) add("--allow-unsafe-config");
  if (o.syslog) add("-s");
  if (o.quiet) add("-q");
  for (int i = 0; i < o.verbose; ++i) add("-v");
  return s;
}

bool looks_like_path(const std::string& a) { return a.starts_with("/") || a.starts_with("./"); }

// kmod makes a relative path absolute with the working directory as
// get_current_dir_name() gives it ($PWD when that is the same directory)
// and the path as typed after it: "./x.ko" is shown as "CWD/./x.ko".
std::string absolute_from_cwd(const std::string& p) {
  if (p.starts_with("/")) return p;
  char* cwd = ::get_current_dir_name();
  if (!cwd) return p;
  std::string r = std::string(cwd) + "/" + p;
  ::free(cwd);
  return r;
}

// kmod's insmod(): one name, all the modules it stands for.
int kmod_insmod(Context& ctx, Resolver& r, const KmodFlags& f, const std::string& name, const std::string* extra) {
  std::vector<ModNode*> list;
  std::string why;
  bool ok = true;
  if (looks_like_path(name) && !ctx.opts.resolve_alias && !ctx.opts.safe_mode) {
    // Only a module file: a directory, a device or a FIFO is "not found"
    // and never reaches the kernel.
    struct stat st;
    if (::stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode) && has_module_suffix(name)) {
      ModNode* m = r.from_path(name);
      m->explicit_path = absolute_from_cwd(name);
      list.push_back(m);
    }
  } else {
    ok = r.lookup(name, &list, &why);
  }
  if (!ok || list.empty()) {
    ctx.message(ctx.opts.all ? Msg::warning : Msg::fatal,
                "Module " + name + " not found in directory " + ctx.moddir);
    return -ENOENT;
  }
  int err = 0;
  for (ModNode* m : list) {
    if (ctx.opts.resolve_alias) {
      *ctx.out << m->name << "\n";
      err = 0;
      continue;
    }
    ProbeOutcome o = probe_insert(ctx, r, f, m, extra);
    err = o.err;
    if (err >= 0) {
      err = 0;
      continue;
    }
    std::string who = "'" + m->name + "'";
    if (o.failed && o.failed != m) who = "'" + o.failed->name + "' (needed by '" + m->name + "')";
    ctx.message(Msg::error, "could not insert " + who + ": " + insert_error_reason(err, o.detail));
  }
  return err;
}

int kmod_rmmod(Context& ctx, Resolver& r, const KmodFlags& f, const std::string& name) {
  std::vector<ModNode*> list;
  std::string why;
  bool ok = r.lookup(name, &list, &why);
  if (!ok || list.empty()) {
    // A loaded module modules.dep does not know is still removed by name.
    std::optional<std::string> n = ok ? normalize_alias(name) : std::nullopt;
    if (n && ctx.kernel->state(*n) == SysState::live) {
      list.push_back(r.get(*n));
    } else {
      ctx.message(ctx.opts.all ? Msg::warning : Msg::fatal, "Module " + name + " not found.");
      return -ENOENT;
    }
  }
  int err = 0;
  for (ModNode* m : list) {
    int e = remove_module(ctx, r, f, m, true);
    if (e < 0) err = e;
  }
  return err;
}

int run_kmod(Context& ctx, Resolver& r) {
  const auto& o = ctx.opts;
  const auto& args = o.args;
  if (o.show_config) return show_config_and_indexes(ctx);
  if (args.empty()) {
    ctx.message(Msg::error, "missing parameters. See -h.");
    return 1;
  }
  if (o.show_modversions) return show_modversions(ctx, args[0]);
  if (o.show_exports) return show_exports(ctx, args[0]);
  const KmodFlags f = kmod_flags(o, ctx.out);
  int err = 0;
  if (o.remove) {
    for (const auto& a : args) {
      int e = kmod_rmmod(ctx, r, f, a);
      if (e < 0) err = e;
    }
  } else if (o.all) {
    for (const auto& a : args) {
      int e = kmod_insmod(ctx, r, f, a, nullptr);
      if (e < 0) err = e;
    }
  } else {
    std::string extra = options_from_args(args, 1);
    err = kmod_insmod(ctx, r, f, args[0], &extra);
  }
  return err < 0 ? 1 : 0;
}

// Opens modules.dep(.bin) for kmod's engine.  A missing file is not worth
// a word (kmod says nothing either); one that cannot be read (a FIFO,
// /dev/zero), a damaged index or line is.
void open_moddep(Context& ctx) {
  ctx.dep_ok = ctx.dep.open_dir(ctx.moddir, &ctx.dep_error);
  if (!ctx.dep_ok && errno != ENOENT && !ctx.dep_error.empty()) ctx.message(Msg::error, ctx.dep_error);
  for (const auto& p : ctx.dep.problems()) ctx.message(Msg::error, p);
}

}  // namespace

int run_modprobe(const RunEnv& env) {
  ParsedOptions p = parse_modprobe_args(env.argv, env.modprobe_options, env.safe_mode);
  Context ctx;
  ctx.kernel = env.kernel;
  ctx.out = env.out;
  ctx.err = env.err;
  if (!p.ok) {
    *ctx.err << p.usage_error;
    if (p.plain_error) ctx.legacy_message(p.error, true);
    else if (!p.error.empty()) ctx.message(Msg::error, p.error);
    return 1;
  }
  ctx.opts = std::move(p.opts);
  // Whatever the libraries log during this run goes where ctx's messages go.
  LoggerScope log_scope(ctx.logger());
  const ModprobeOptions& o = ctx.opts;
  // -n and -D load and unload nothing: the kernel only records those calls.
  std::unique_ptr<DryRunKernel> dry_kernel;
  if (o.dry_run || o.show_depends) {
    dry_kernel = std::make_unique<DryRunKernel>(*env.kernel);
    ctx.kernel = dry_kernel.get();
  }
  if (o.help) {
    *ctx.out << modprobe_usage();
    return 0;
  }
  if (o.version) {
    *ctx.out << modprobe_version_text();
    return 0;
  }

  ctx.kversion = o.kversion.empty() ? ctx.kernel->release() : o.kversion;
  ctx.root = o.dirname;
  // The build's module directory (or the other of /lib/modules and
  // /usr/lib/modules), absolute against the working directory as kmod does.
  std::string moddir = ctx.root + module_dir_for(ctx.root, ctx.kversion) + "/" + ctx.kversion;
  if (moddir[0] != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd)) moddir = std::string(cwd) + "/" + moddir;
  }
  ctx.set_moddir(moddir);

  const ConfigOptions co{.config_paths = o.configs,
                         .root = ctx.root,
                         .kernel_version = ctx.kversion,
                         .kernel_cmdline = ctx.kernel->cmdline(),
                         .etc_dir = env.etc_dir,
                         .modprobe_d_dirs = env.modprobe_d_dirs,
                         .module_dir = ctx.moddir,
                         .environment = env.environment,
                         .safe_mode = o.safe_mode,
                         .autoclean = o.autoclean,
                         .trusted_only = env.as_root && !o.allow_unsafe_config};
  std::vector<ConfigError> errors;
  ctx.cfg = load_modprobe_config(co, &errors);
  report_config_errors(ctx, errors);
  if (!ctx.cfg.untrusted_files.empty()) return 1;

  ctx.command_env["MODPROBE_OPTIONS"] = add_env_options(env.modprobe_options, o);
  if (ctx.command_env["MODPROBE_OPTIONS"].empty()) ctx.command_env.erase("MODPROBE_OPTIONS");

  Resolver r(ctx);
  // Reading one file: the same in both worlds.
  if ((o.show_modversions || o.show_exports) && !o.show_config) {
    if (o.args.empty()) {
      ctx.message(Msg::error, "missing parameters. See -h.");
      return 1;
    }
    return o.show_modversions ? show_modversions(ctx, o.args[0]) : show_exports(ctx, o.args[0]);
  }
  if (legacy_wanted(ctx)) {
    ctx.legacy = true;
    return run_legacy(ctx, r);
  }
  open_moddep(ctx);
  return run_kmod(ctx, r);
}

}  // namespace mng
