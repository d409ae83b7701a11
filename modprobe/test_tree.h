// Module trees of the real test modules for modprobe's unit tests, with
// modules.dep and indexes written by Debian's kmod depmod (the reference).
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "modprobe/modprobe.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

namespace mng::testing {

struct RunResult {
  int rc;
  std::string out, err;
};

// Marks loaded in K what loading mod_c and mod_e leaves: mod_a, mod_b
// (used by mod_c and mod_e), mod_d (used by mod_e), mod_c, mod_e.
inline void load_c_and_e_stacks(SimKernel* k) {
  k->add_loaded("mod_a");
  k->add_loaded("mod_b", {"mod_a"});
  k->add_loaded("mod_d");
  k->add_loaded("mod_c", {"mod_b"});
  k->add_loaded("mod_e", {"mod_b", "mod_d"});
}

// run_modprobe in-process with ENV (argv, kernel, environment, flags as the
// caller set them), configuration from ETC (ETC/modules.conf and ETC/modprobe.d
// as the only modprobe.d directory), and stdout/stderr captured.
inline RunResult run_captured(RunEnv env, const TempDir& etc) {
  std::ostringstream out, err;
  env.out = &out;
  env.err = &err;
  env.etc_dir = etc.path;
  env.modprobe_d_dirs = {etc / "modprobe.d"};
  int rc = run_modprobe(env);
  return {rc, out.str(), err.str()};
}

// ROOT/lib/modules/KVER with mod_a, mod_b, mod_c, boot_one, boot_two in
// kernel/misc and mod-d, mod_e, fail_init in kernel/drivers/net (the loop
// modules are left out: kmod's depmod refuses cycles).
struct ModTree {
  TempDir dir;
  std::string kver;
  std::string moddir;  // ROOT/lib/modules/KVER
  std::string root() const { return dir.path; }
};

inline void fill_mod_tree(ModTree* t, bool run_depmod = true) {
  std::string src = testmods_dir();
  t->kver = testmods_kver();
  t->moddir = t->dir.path + "/lib/modules/" + t->kver;
  for (const char* m : {"mod_a", "mod_b", "mod_c", "boot_one", "boot_two"})
    copy_file(src + "/" + m + ".ko", t->moddir + "/kernel/misc/" + m + ".ko");
  for (const char* m : {"mod-d", "mod_e", "fail_init"})
    copy_file(src + "/" + m + ".ko", t->moddir + "/kernel/drivers/net/" + m + ".ko");
  if (run_depmod && run("/usr/sbin/depmod -b " + t->dir.path + " " + t->kver + " 2>/dev/null") != 0)
    throw std::runtime_error("kmod depmod failed on " + t->dir.path);
}

}  // namespace mng::testing
