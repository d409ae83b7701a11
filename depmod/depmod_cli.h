// depmod's command line: the option table Boost parses and --help lists.
#pragma once
#include <span>
#include <string>

#include "common/cli_help.h"

namespace mng {

// Every option depmod takes; each id is one Boost description.
std::span<const CliOption> depmod_option_table();

// The text printed by --help, its option lines made from the table.
std::string depmod_usage();

}  // namespace mng
