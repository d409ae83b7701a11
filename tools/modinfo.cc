// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>

#include "common/file_util.h"
#include "common/kernel.h"
#include "common/log.h"
#include "common/modname.h"
#include "modprobe/context.h"
#include "modprobe/lookup.h"
#include "tools/modinfo_module.h"
#include "tools/modinfo_options.h"
#include "tools/modinfo_print.h"

namespace mng {
namespace {

// What one run works with.
struct Run {
  const ModinfoOptions& o;
  std::ostream& out;
  Logger log;
  Context ctx;
  Resolver res{ctx};

  Run(const ModinfoOptions& opts, std::ostream& o_, std::ostream& e) : o(opts), out(o_) {
    log.program = "modinfo";
    log.stream = &e;
    log.file = nullptr;
    ctx.program = "modinfo";
    ctx.err = &e;
  }
  void error(const std::string& text) const { log.message(Level::error, text); }
  // Prints one module; 0 or an errno.
  int show(const std::string& name, const std::string& path, bool builtin);
  int show_path(const std::string& operand);
  int show_name(const std::string& operand);
  int show_alias(const std::string& operand);
};

std::string absolute(const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof cwd)) return p;
  return std::string(cwd) + "/" + p;
}

// kmod's test: an existing regular file with a module's file name.
bool is_module_filename(const std::string& s) {
  struct stat st;
  if (::stat(s.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  for (const char* ext : {".ko", ".ko.gz", ".ko.xz", ".ko.zst"})
    if (s.ends_with(ext)) return true;
  return false;
}

int Run::show(const std::string& name, const std::string& path, bool builtin) {
  std::string text;
  bool done = print_module_head(o, name, path, &text);
  out << text;
  if (done) return 0;
  std::vector<ModinfoField> fields;
  int e = path.empty() ? (builtin ? builtin_fields(ctx.moddir, name, &fields) : ENOENT)
                       : module_file_fields(path, &fields);
  // Without a file, a missing modules.builtin.modinfo (old kernels) or a
  // module the indexes name but nothing describes shows only the head.
  if (path.empty() && e == ENOENT) return 0;
  if (e != 0) {
    error("could not get modinfo from '" + name + "': " + std::strerror(e));
    return e;
  }
  text.clear();
  print_module_fields(o, fields, log, &text);
  out << text;
  return 0;
}

int Run::show_path(const std::string& operand) {
  std::string path = absolute(operand);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    error("Module file " + operand + " not found.");
    return ENOENT;
  }
  return show(modname_from_path(path), path, false);
}

int Run::show_name(const std::string& operand) {
  std::string name = normalize_modname(operand);
  DepEntry e;
  if (ctx.dep_ok && ctx.dep.lookup(name, &e)) return show(e.name, e.path, false);
  ModNode* m = res.get(name);
  if (res.is_builtin(m)) return show(name, "", true);
  error("Module name " + operand + " not found.");
  return ENOENT;
}

int Run::show_alias(const std::string& operand) {
  std::vector<ModNode*> mods;
  std::string why;
  if (!res.lookup(operand, &mods, &why)) {
    error("Module alias " + operand + " not found.");
    return EINVAL;
  }
  if (mods.empty()) {
    error("Module " + operand + " not found.");
    return ENOENT;
  }
  int r = 0;
  for (ModNode* m : mods) {
    std::string path = res.path(m);
    int e = show(m->name, path, path.empty() && res.is_builtin(m));
    if (e) r = e;
  }
  return r;
}

// ROOT/lib/modules/KVERSION as kmod builds it (no slashes merged),
// relative to the current directory when ROOT is.
std::string module_dir(const ModinfoOptions& o) {
  std::string kver = o.kversion ? *o.kversion : RealKernel().release();
  return absolute(o.basedir.value_or("") + "/lib/modules/" + kver);
}

}  // namespace

int run_modinfo(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  const std::string program = argv.empty() ? "modinfo" : argv[0];
  ModinfoArgs a = parse_modinfo_args(argv);
  if (!a.error.empty()) {
    err << program << ": " << a.error << "\n";
    return 1;
  }
  const ModinfoOptions& o = a.opts;
  if (o.help) {
    out << modinfo_usage(std::string(base_name(program)));
    return 0;
  }
  if (o.version) {
    out << modinfo_version_text();
    return 0;
  }
  Run run(o, out, err);
  if (o.operands.empty()) {
    run.error("missing module or filename.");
    return 1;
  }
  const std::string moddir = module_dir(o);
  run.ctx.set_moddir(moddir);
  run.ctx.dep_ok = run.ctx.dep.open_dir(moddir, &run.ctx.dep_error);
  int status = 0;
  for (const std::string& operand : o.operands) {
    int e = o.modname                     ? run.show_name(operand)
            : is_module_filename(operand) ? run.show_path(operand)
                                          : run.show_alias(operand);
    if (e) status = 1;
  }
  out.flush();
  return status;
}

int modinfo_main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return run_modinfo(args, std::cout, std::cerr);
}

}  // namespace mng
