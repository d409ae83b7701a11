// SPDX-License-Identifier: GPL-2.0-or-later
// Putting single modules into the kernel and taking them out again: the
// one path both modprobe engines (kmod's and modutils') go through.  It
// needs only the Kernel, so the other module tools can share it.
//
// Inserting goes through insert_module_file (insert.h) with the force
// flags; removing is delete_module(O_NONBLOCK), with O_TRUNC when forcing,
// retried while the module is busy for up to the -w time; taking back what a
// failed load inserted is a plain delete_module(O_NONBLOCK) per module,
// newest first.  Under -n or -D the kernel is a DryRunKernel, so none of
// these reach the running kernel and each answers 0.
//
// The action lines are the same words in both engines ("insmod PATH OPTS",
// "rmmod NAME", ...); each engine decides when they are shown by giving
// Actions a stream or not.  Messages stay with the engines, whose texts
// differ.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "common/kernel.h"

namespace mng {

struct KernelOpFlags {
  bool force_vermagic = false;    // -f, --force-vermagic
  bool force_modversion = false;  // -f, --force-modversion
  unsigned wait_msec = 0;         // -w: how long a busy module is retried
  bool forcing() const { return force_vermagic || force_modversion; }
};

// The action lines, on OUT (nothing when it is null).
struct Actions {
  std::ostream* out = nullptr;
  void insmod(const std::string& path, const std::string& options) const;
  void rmmod(const std::string& name) const;
  void builtin(const std::string& name) const;
  void install(const std::string& command, const std::string& options) const;
  void remove(const std::string& command) const;
  // A line of the engine's own layout.
  void line(const std::string& text) const;
};

class ModuleOps {
 public:
  ModuleOps(Kernel& kernel, const KernelOpFlags& flags, Actions actions)
      : kernel_(kernel), flags_(flags), actions_(actions) {}

  // Inserts the file at PATH with PARAMS (no action line: the engines'
  // differ).  0 or a negative errno; *detail as insert_module_file.
  int insert(const std::string& path, const std::string& params, std::string* detail);
  // "rmmod NAME", then delete_module with the force flag, a busy module
  // retried for up to wait_msec.  NAME is shown as given and normalised for
  // the kernel.  0 or a negative errno.
  int remove(const std::string& name);
  // Taking back one module a failed load inserted: "rmmod NAME", then
  // delete_module(O_NONBLOCK) once, whatever the force and wait flags.
  int take_back(const std::string& name);
  // take_back for each of NAMES, the newest (last) first.
  void roll_back(const std::vector<std::string>& names);

  const Actions& actions() const { return actions_; }
  Kernel& kernel() { return kernel_; }

 private:
  Kernel& kernel_;
  KernelOpFlags flags_;
  Actions actions_;
};

// The reason given after "could not insert 'NAME': " for ERR (a negative
// errno), with DETAIL in parentheses when there is one.
std::string insert_error_reason(int err, const std::string& detail);

}  // namespace mng
