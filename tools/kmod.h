// SPDX-License-Identifier: GPL-2.0-or-later
// The program called as kmod: kmod's own command line, `kmod [options]
// COMMAND [command options]` with the commands help, list (lsmod) and
// static-nodes, and kmod's help, messages and exit status.
#pragma once
#include <ostream>
#include <string>

namespace mng {

std::string kmod_usage(const std::string& program);

}  // namespace mng
