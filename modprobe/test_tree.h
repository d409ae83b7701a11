// Module trees of the real test modules for modprobe's unit tests, with
// modules.dep and indexes written by Debian's kmod depmod (the reference).
#pragma once
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace mng::testing {

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
