// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/rmmod.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/kernel_ops.h"
#include "common/modname.h"
#include "tools/tools.h"

namespace mng {

namespace {

enum Id { kForce, kSyslog, kVerbose, kVersion, kHelp, kAll, kStack, kWait, kPersist };
enum Section { kMain, kOld };

const CliOption kRmmodOptions[] = {
    {'f', "force", nullptr,
     "forces a module unload and may crash your\nmachine. This requires Forced Module Removal\n"
     "option in your kernel. DANGEROUS",
     kForce, kMain},
    {'s', "syslog", nullptr, "print to syslog, not stderr", kSyslog, kMain},
    {'v', "verbose", nullptr, "enables more messages", kVerbose, kMain},
    {'V', "version", nullptr, "show version", kVersion, kMain},
    {'h', "help", nullptr, "show this help", kHelp, kMain},
    {'a', "all", nullptr, "remove every module nothing uses", kAll, kOld},
    {'r', "stacks", nullptr, "also remove the modules each one used,\nonce nothing else uses them", kStack, kOld},
    {'w', "wait", nullptr, "not supported: use modprobe -r -w MSEC", kWait, kOld},
    {'e', "persist", nullptr, "save persistent data without removing\n(2.4 kernels: does nothing)", kPersist,
     kOld},
};

constexpr size_t kWidth = 18;

struct Run {
  ToolEnv& env;
  ModuleOps ops;
  bool force;
  bool stack;
};

// kmod's checks before an unload; false after saying why it cannot be.
bool removable(Run& r, const std::string& name) {
  SysState s = r.env.kernel.state(name);
  if (s == SysState::no_initstate) {
    r.env.log.message(Level::error, "Module " + name + " is builtin.");
    return false;
  }
  if (s == SysState::absent) {
    r.env.log.message(Level::error, "Module " + name + " is not currently loaded");
    return false;
  }
  std::vector<std::string> holders = r.env.kernel.holders_listed(name);
  if (!holders.empty()) {
    std::string text = "Module " + name + " is in use by:";
    for (const auto& h : holders) text += " " + h;
    r.env.log.message(Level::error, text);
    return false;
  }
  if (r.env.kernel.refcnt(name) != 0) {
    r.env.log.message(Level::error, "Module " + name + " is in use");
    return false;
  }
  return true;
}

// The loaded modules NAME uses (those whose users include it).
std::vector<std::string> used_by(Run& r, const std::string& name) {
  std::vector<ProcModule> mods;
  std::vector<std::string> out;
  if (!r.env.kernel.proc_modules(&mods)) return out;
  for (const auto& m : mods)
    if (std::find(m.users.begin(), m.users.end(), name) != m.users.end()) out.push_back(m.name);
  return out;
}

bool unused(Run& r, const std::string& name) {
  return r.env.kernel.state(name) == SysState::live && r.env.kernel.holders(name).empty() &&
         r.env.kernel.refcnt(name) == 0;
}

// -r: what NAME used, each once nothing uses it any more, and so on down.
void remove_stack(Run& r, const std::vector<std::string>& deps, int* failures) {
  for (const auto& d : deps) {
    if (!unused(r, d)) continue;
    std::vector<std::string> below = used_by(r, d);
    int err = r.ops.remove(d);
    if (err < 0) {
      r.env.log.message(Level::error, "could not remove module " + d + ": " + std::strerror(-err));
      ++*failures;
      continue;
    }
    remove_stack(r, below, failures);
  }
}

// One operand; false when it failed.
bool remove_one(Run& r, const std::string& arg) {
  struct stat st;
  const std::string name = ::stat(arg.c_str(), &st) == 0 ? modname_from_path(arg) : normalize_modname(arg);
  if (!r.force && !removable(r, name)) return false;
  std::vector<std::string> deps = r.stack ? used_by(r, name) : std::vector<std::string>{};
  int err = r.ops.remove(name);
  if (err < 0) {
    r.env.log.message(Level::error, "could not remove module " + arg + ": " + std::strerror(-err));
    return false;
  }
  int failures = 0;
  remove_stack(r, deps, &failures);
  return failures == 0;
}

// -a: every module nothing uses, in /proc/modules order (newest first), and
// again while a pass frees more (the modules the removed ones used); a
// module the kernel finds busy when its turn comes is left.
int remove_unused(Run& r) {
  int failures = 0;
  for (bool progress = true; progress;) {
    progress = false;
    std::vector<ProcModule> mods;
    if (!r.env.kernel.proc_modules(&mods)) {
      r.env.log.message(Level::error, std::string("could not get list of modules: ") + std::strerror(errno));
      return failures + 1;
    }
    for (const auto& m : mods) {
      if (!unused(r, m.name)) continue;
      int err = r.ops.remove(m.name);
      if (err == 0) {
        progress = true;
      } else if (err != -EWOULDBLOCK && err != -EBUSY) {
        r.env.log.message(Level::error, "could not remove module " + m.name + ": " + std::strerror(-err));
        ++failures;
      }
    }
  }
  return failures;
}

// Applies the options; false (with *rc) when the run ends here.
bool take_options(const ToolArgs& a, ToolEnv& env, int* rc) {
  *rc = 1;
  if (!a.error.empty()) {
    env.log.plain(a.error, true);
    return false;
  }
  if (a.count(kHelp) || a.count(kVersion)) {
    env.out << (a.count(kHelp) ? rmmod_usage(env.log.program) : tool_version("rmmod"));
    *rc = 0;
    return false;
  }
  if (a.count(kWait)) {
    env.log.message(Level::error, "-w (--wait) is not supported; modprobe -r -w MSEC waits for a busy module");
    return false;
  }
  env.log.syslog = a.count(kSyslog) > 0;
  env.log.max_level += a.count(kVerbose);
  if (a.count(kPersist)) {
    // modutils saved the modules' persistent data and removed nothing.
    env.log.message(Level::warning, "-e (--persist): Linux 2.6 and later keep no persistent module data; "
                                    "nothing saved, nothing removed");
    *rc = 0;
    return false;
  }
  if (a.operands.empty() && !a.count(kAll)) {
    env.log.message(Level::error, "missing module name.");
    return false;
  }
  return true;
}

}  // namespace

std::string rmmod_usage(const std::string& program) {
  return "Usage:\n\t" + program + " [options] modulename ...\nOptions:\n" +
         cli_help_section(kRmmodOptions, kMain, kWidth) + "modutils options:\n" +
         cli_help_section(kRmmodOptions, kOld, kWidth);
}

int run_rmmod(const std::vector<std::string>& args, ToolEnv& env) {
  ToolArgs a = read_tool_args(kRmmodOptions, args);
  int rc;
  if (!take_options(a, env, &rc)) return rc;
  KernelOpFlags flags;
  flags.force_vermagic = flags.force_modversion = a.count(kForce) > 0;  // O_TRUNC
  Run r{env, ModuleOps(env.kernel, flags, Actions{a.count(kVerbose) ? &env.out : nullptr}), a.count(kForce) > 0,
        a.count(kStack) > 0};
  int failures = 0;
  for (const auto& arg : a.operands) failures += !remove_one(r, arg);
  if (a.count(kAll)) failures += remove_unused(r);
  return failures == 0 ? 0 : 1;
}

}  // namespace mng

int rmmod_main(int argc, char** argv) { return mng::run_tool(argc, argv, "rmmod", mng::run_rmmod); }
