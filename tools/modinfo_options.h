// SPDX-License-Identifier: GPL-2.0-or-later
// modinfo's command line: kmod's options, read in order as getopt_long
// reads them (options and operands may mix, "--" ends the options, short
// options cluster, long names may be shortened), through
// Boost.Program_options over the option table in modinfo_options.cc.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/cli_help.h"

namespace mng {

struct ModinfoOptions {
  std::optional<std::string> field;  // -a -d -l -p -n -F: the last one given wins
  char separator = '\n';             // -0: '\0'
  bool modname = false;              // -m: operands are module names only
  std::optional<std::string> kversion;  // -k
  std::optional<std::string> basedir;   // -b
  bool help = false;                 // -h (stops reading, as kmod)
  bool version = false;              // -V (likewise)
  std::vector<std::string> operands;
};

struct ModinfoArgs {
  ModinfoOptions opts;
  // Non-empty: a command-line error in getopt's words, without the
  // program name ("invalid option -- 'x'").
  std::string error;
};

// ARGV[0] is the program name.
ModinfoArgs parse_modinfo_args(const std::vector<std::string>& argv);

// -h's text; PROGRAM as kmod shows its own name (the last component of argv[0]).
std::string modinfo_usage(const std::string& program);

// -V's two lines.
std::string modinfo_version_text();

std::span<const CliOption> modinfo_option_table();

}  // namespace mng
