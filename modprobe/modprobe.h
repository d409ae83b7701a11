// SPDX-License-Identifier: GPL-2.0-or-later
// One modprobe run, from the command line to the exit status, with the
// kernel, the output streams and the configuration locations injected so
// that tests can run it in-process against a simulated kernel.
#pragma once
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/kernel.h"

namespace mng {

struct RunEnv {
  std::vector<std::string> argv;           // argv[0] is the program name
  const char* modprobe_options = nullptr;  // $MODPROBE_OPTIONS (nullptr: unset)
  Kernel* kernel = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Where configuration is looked for (tests point these elsewhere).
  std::string etc_dir = "/etc";
  std::vector<std::string> modprobe_d_dirs;  // empty: kmod's default list
  // $MODULECONFIG and friends; nullptr: the process environment.
  const std::map<std::string, std::string>* environment = nullptr;
  bool as_root = false;    // effective uid 0: refuse configuration files others can change
  bool safe_mode = false;  // modutils' safe mode (is_safe_mode in options.h)
};

// Returns the exit status: kmod's 0/1, or modutils' 0/255/count for the
// legacy operations.
int run_modprobe(const RunEnv& env);

// kmod's joining of command-line module parameters: words separated by one
// space, a value with a space and no leading quote put in double quotes
// (bar="x y").
std::string options_from_args(const std::vector<std::string>& args, size_t first);

}  // namespace mng
