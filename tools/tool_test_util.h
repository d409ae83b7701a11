// SPDX-License-Identifier: GPL-2.0-or-later
// Test-only: runs one of the small tools against a simulated kernel and
// keeps its exit status, standard output and messages.
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "tests/sim_kernel.h"
#include "tools/tool_cli.h"

namespace mng::testing {

struct ToolRun {
  SimKernel kernel;
  std::string root;  // ToolEnv::root
  std::string out, err;
  int rc = -1;

  int operator()(ToolFunction tool, const char* program, const std::vector<std::string>& args) {
    std::ostringstream o, e;
    ToolEnv env{kernel, o, Logger{}, root};
    env.log.program = program;
    env.log.stream = &e;
    env.log.max_level = static_cast<int>(Level::warning);
    rc = tool(args, env);
    out = o.str();
    err = e.str();
    return rc;
  }
};

}  // namespace mng::testing
