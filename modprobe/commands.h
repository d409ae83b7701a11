// Running the shell commands written in the configuration (install,
// remove, pre-/post- commands).
//
// Only configuration text is given to /bin/sh -c.  The module name goes in
// the environment (MODPROBE_MODULE, as kmod sets it), never into the
// command string.  kmod pastes the module's options into the command where
// it says $CMDLINE_OPTS; those options may come from modprobe's own command
// line, so here each option word is put in single quotes first: the shell
// then sees exactly the words kmod's shell would have produced from
// ordinary options (x=1 y="a b" gives 'x=1' 'y=a b'), and no text from the
// command line can be read as shell syntax.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "modprobe/context.h"

namespace mng {

// Splits module options into words as a shell would (white space separates,
// '...' and "..." group and are removed).
std::vector<std::string> option_words(const std::string& options);
// A word in single quotes, safe for sh.
std::string shell_quote(const std::string& word);
// CMD with every "$CMDLINE_OPTS" replaced by the quoted option words.
std::string substitute_cmdline_opts(const std::string& cmd, const std::string& options);

// Runs CMD with /bin/sh -c.  ENV entries are added to (and override) the
// process environment together with ctx.command_env.  Returns the exit
// status, 128+N for a signal, or -1 with *why set when it could not run.
int run_shell_command(Context& ctx, const std::string& cmd, const std::map<std::string, std::string>& env,
                      std::string* why);

}  // namespace mng
