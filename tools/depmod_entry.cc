// SPDX-License-Identifier: GPL-2.0-or-later
// depmod's entry point: its command line (kmod's options, plus the legacy
// ones) read, then the run.
#include <sys/utsname.h>

#include <iostream>

#include "common/log.h"
#include "depmod/depmod.h"
#include "depmod/depmod_cli.h"
#include "tools/tool_cli.h"
#include "tools/tools.h"

int depmod_main(int argc, char** argv) {
  mng::set_log_program("depmod");
  struct utsname u;
  uname(&u);
  mng::DepmodCommand cmd = mng::parse_depmod_command_line(std::vector<std::string>(argv + 1, argv + argc), u.release);
  using Action = mng::DepmodCommand::Action;
  if (cmd.action == Action::help) {
    std::cout << mng::depmod_usage();
    return 0;
  }
  if (cmd.action == Action::version) {
    std::cout << mng::tool_version("depmod");
    return 0;
  }
  mng::logger().syslog = cmd.syslog;
  for (const auto& m : cmd.messages) mng::log(m.level, "%s", m.text.c_str());
  if (cmd.action == Action::usage_error) {
    std::cerr << "Try 'depmod --help' for more information.\n";
    return 1;
  }
  if (cmd.action == Action::error) return 1;
  return mng::run_depmod(cmd.opt);
}
