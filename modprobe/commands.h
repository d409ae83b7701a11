// SPDX-License-Identifier: GPL-2.0-or-later
// Running the shell commands written in the configuration (install,
// remove, pre-/post- commands).
//
// Only configuration text is given to /bin/sh -c.  The module name goes in
// the environment (MODPROBE_MODULE, as kmod sets it), never into the
// command string.  kmod pastes the module's options into the command where
// it says $CMDLINE_OPTS; those options may come from modprobe's own command
// line, so here they go in the environment too, one variable per option
// word (MODPROBE_CMDLINE_OPT_1, _2, ...) and one with the words joined by
// spaces (MODPROBE_CMDLINE_OPTS), and $CMDLINE_OPTS becomes references to
// them: "${MODPROBE_CMDLINE_OPT_1}" "${MODPROBE_CMDLINE_OPT_2}" ..., or
// ${MODPROBE_CMDLINE_OPTS} inside double quotes.  The shell then sees
// exactly the words kmod's shell would have produced from ordinary options
// (x=1 y="a b" gives 'x=1' 'y=a b'), and, since the shell never parses the
// value of a variable, no text from the command line can be read as shell
// syntax, whatever quotes the command puts around $CMDLINE_OPTS.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "modprobe/context.h"

namespace mng {

// Environment variables the option words are passed in.
inline constexpr const char* kOptsVar = "MODPROBE_CMDLINE_OPTS";
inline constexpr const char* kOptVarPrefix = "MODPROBE_CMDLINE_OPT_";
// CMD with every "$CMDLINE_OPTS" replaced by references to the option
// words, whose values are added to *ENV (when CMD uses $CMDLINE_OPTS).
std::string substitute_cmdline_opts(const std::string& cmd, const std::string& options,
                                    std::map<std::string, std::string>* env);

// Runs CMD with /bin/sh -c.  ENV entries are added to (and override) the
// process environment together with ctx.command_env.  Returns the exit
// status, 128+N for a signal, or -1 with *why set when it could not run.
int run_shell_command(Context& ctx, const std::string& cmd, const std::map<std::string, std::string>& env,
                      std::string* why);

}  // namespace mng
