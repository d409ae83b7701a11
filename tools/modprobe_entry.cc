// SPDX-License-Identifier: GPL-2.0-or-later
// modprobe's entry point: load and unload kernel modules (kmod and
// modutils compatible).
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "common/kernel.h"
#include "modprobe/modprobe.h"
#include "modprobe/options.h"
#include "tools/tools.h"

int modprobe_main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  mng::RealKernel kernel;
  mng::RunEnv env;
  env.argv.assign(argv, argv + argc);
  if (env.argv.empty()) env.argv.emplace_back("modprobe");
  // With stderr closed (as when the kernel runs modprobe), kmod logs to
  // syslog.
  if (fcntl(2, F_GETFD) < 0) env.argv.insert(env.argv.begin() + 1, "-s");
  const std::optional<std::string> modprobe_options = mng::env_value("MODPROBE_OPTIONS");
  env.modprobe_options = modprobe_options ? modprobe_options->c_str() : nullptr;
  env.kernel = &kernel;
  env.as_root = geteuid() == 0;
  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) environment.emplace_back(*e);
  env.safe_mode = mng::is_safe_mode(environment, getuid() != geteuid() || getgid() != getegid());
  env.out = &std::cout;
  env.err = &std::cerr;
  int rc = mng::run_modprobe(env);
  std::cout.flush();
  return rc;
}
