// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/insmod.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/kernel_ops.h"
#include "common/modname.h"
#include "tools/tools.h"

namespace mng {

namespace {

enum Id { kForce, kSyslog, kProbe, kVerbose, kQuiet, kDryRun, kName, kVersion, kHelp, kLegacy };
enum Section { kMain, kOld };

// kmod's -p, -s, -f, -V, -h first; then modutils'.
const CliOption kInsmodOptions[] = {
    {'f', "force", nullptr, "ignore the module's version magic and\nsymbol versions (may crash the kernel)", kForce,
     kMain},
    {'s', "syslog", nullptr, "print to syslog, not stderr", kSyslog, kMain},
    {'p', "probe", nullptr, "accepted and ignored, as kmod does", kProbe, kMain},
    {'v', "verbose", nullptr, "print the module loaded and its parameters", kVerbose, kMain},
    {'q', "quiet", nullptr, "print no messages", kQuiet, kMain},
    {'n', "noload", nullptr, "do everything but load the module", kDryRun, kMain},
    {'o', "name", " NAME", "the module's name (must be its own)", kName, kMain},
    {'V', "version", nullptr, "show version", kVersion, kMain},
    {'h', "help", nullptr, "show this help", kHelp, kMain},
    // modutils 2.4's options that only mean something on 2.4 kernels.
    {'k', "autoclean", nullptr, "autoclean flag (2.4 kernels)", kLegacy, kOld},
    {'m', "map", nullptr, "print a load map (2.4)", kLegacy + 1, kOld},
    {'x', "noexport", nullptr, "do not export symbols (2.4)", kLegacy + 2, kOld},
    {'X', "export", nullptr, "export symbols (2.4)", kLegacy + 3, kOld},
    {'L', "lock", nullptr, "lock the file while loading (2.4)", kLegacy + 4, kOld},
    {'y', "noksymoops", nullptr, "no ksymoops symbols (2.4)", kLegacy + 5, kOld},
    {'Y', "ksymoops", nullptr, "ksymoops symbols (2.4)", kLegacy + 6, kOld},
    {'N', "numeric-only", nullptr, "version check by number only (2.4)", kLegacy + 7, kOld},
    {'S', "kallsyms", nullptr, "add kallsyms data (2.4)", kLegacy + 8, kOld},
    {'r', "root", nullptr, "allow files not owned by root (2.4)", kLegacy + 9, kOld},
    {'e', "persist", " FILE", "persistent data file (2.4)", kLegacy + 10, kOld},
    {'O', "blob", " FILE", "write the loaded image to FILE (2.4)", kLegacy + 11, kOld},
    {'P', "prefix", " PREFIX", "symbol prefix (2.4)", kLegacy + 12, kOld},
};

constexpr size_t kWidth = 18;

// kmod's reasons for the errors a load most often ends with.
std::string load_error(int err) {
  switch (err) {
    case ENOEXEC: return "Invalid module format";
    case ENOENT: return "Unknown symbol in module";
    case ESRCH: return "Module has wrong symbol version";
    case EINVAL: return "Invalid parameters";
    default: return std::strerror(err);
  }
}

// Applies the options; false (with *rc) when the run ends here.
bool take_options(const ToolArgs& a, ToolEnv& env, KernelOpFlags* flags, int* rc) {
  if (!a.error.empty()) {
    env.log.plain(a.error, true);
    *rc = 1;
    return false;
  }
  if (a.count(kHelp)) {
    env.out << insmod_usage(env.log.program);
    *rc = 0;
    return false;
  }
  if (a.count(kVersion)) {
    env.out << tool_version("insmod");
    *rc = 0;
    return false;
  }
  flags->force_vermagic = flags->force_modversion = a.count(kForce) > 0;
  env.log.syslog = a.count(kSyslog) > 0;
  env.log.quiet = a.count(kQuiet) > 0;
  for (const CliOption& o : kInsmodOptions)
    if (o.section == kOld && a.count(o.id))
      env.log.message(Level::warning, std::string("-") + o.short_name + " (--" + o.long_name +
                                          "): a modutils 2.4 option with no effect on Linux 2.6 and later; ignored");
  return true;
}

}  // namespace

std::string insmod_usage(const std::string& program) {
  return "Usage:\n\t" + program + " [options] filename [args]\nOptions:\n" +
         cli_help_section(kInsmodOptions, kMain, kWidth) + "modutils 2.4 options, accepted with a warning:\n" +
         cli_help_section(kInsmodOptions, kOld, kWidth + 6);
}

int run_insmod(const std::vector<std::string>& args, ToolEnv& env) {
  ToolArgs a = read_tool_args(kInsmodOptions, args);
  KernelOpFlags flags;
  int rc = 0;
  if (!take_options(a, env, &flags, &rc)) return rc;
  if (a.operands.empty()) {
    env.log.message(Level::error, "missing filename.");
    return 1;
  }
  const std::string& file = a.operands[0];
  if (file == "-") {
    env.log.message(Level::error, "this tool does not support loading from stdin!");
    return 1;
  }
  std::string params;
  for (size_t i = 1; i < a.operands.size(); ++i) params += (i > 1 ? " " : "") + a.operands[i];
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    env.log.message(Level::error, "could not load module " + file + ": " + std::strerror(errno));
    return 1;
  }
  if (a.count(kName) && normalize_modname(a.value(kName)) != modname_from_path(file)) {
    env.log.message(Level::error, "could not load module " + file + " as " + a.value(kName) +
                                      ": the kernel names it " + modname_from_path(file) + " itself");
    return 1;
  }
  DryRunKernel dry(env.kernel);
  Kernel& kernel = a.count(kDryRun) ? static_cast<Kernel&>(dry) : env.kernel;
  ModuleOps ops(kernel, flags, Actions{a.count(kVerbose) ? &env.out : nullptr});
  ops.actions().insmod(file, params);
  std::string detail;
  int err = ops.insert(file, params, &detail);
  if (err < 0) {
    env.log.message(Level::error, "could not insert module " + file + ": " + load_error(-err) +
                                      (detail.empty() ? "" : " (" + detail + ")"));
    return 1;
  }
  return 0;
}

}  // namespace mng

int insmod_main(int argc, char** argv) { return mng::run_tool(argc, argv, "insmod", mng::run_insmod); }
