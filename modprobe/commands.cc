// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/commands.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

extern char** environ;

namespace mng {

std::string substitute_cmdline_opts(const std::string& cmd, const std::string& options,
                                    std::map<std::string, std::string>* env) {
  static const std::string kVar = "$CMDLINE_OPTS";
  if (cmd.find(kVar) == std::string::npos) return cmd;
  // The words themselves go in the environment; the command only gets
  // references to them.  The shell never parses the result of a parameter
  // expansion as syntax, so this holds wherever the configured command puts
  // $CMDLINE_OPTS: in double or single quotes, after a backslash or a '#',
  // in `...` or $(...).  (Pasting quoted words into the text did not: inside
  // "..." the single quotes are literal and $(...) ran.)
  std::vector<std::string> words = option_words(options);
  std::string joined, refs;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string name = kOptVarPrefix + std::to_string(i + 1);
    if (env) (*env)[name] = words[i];
    if (i) joined += ' ', refs += ' ';
    joined += words[i];
    refs += "\"${" + name + "}\"";
  }
  if (env) (*env)[kOptsVar] = joined;
  // Where the command has "...$CMDLINE_OPTS...", the joined words (the text
  // kmod's shell would see there); elsewhere one quoted word per option, as
  // kmod's shell splits ordinary options.  Only double quotes and
  // backslashes need following for that choice; safety does not depend on it.
  std::string out;
  bool in_single = false, in_double = false, escaped = false;
  for (size_t i = 0; i < cmd.size();) {
    if (cmd.compare(i, kVar.size(), kVar) == 0) {
      // After a backslash kmod's shell saw the first character of the
      // options made literal, i.e. the options; here the backslash would
      // take the opening quote of the references instead and leave the
      // command unbalanced.  A newline after it makes the two a line
      // continuation, which the shell drops.
      if (escaped) out += '\n';
      out += in_double ? "${" + std::string(kOptsVar) + "}" : refs;
      i += kVar.size();
      escaped = false;
      continue;
    }
    char c = cmd[i++];
    out.push_back(c);
    if (escaped) escaped = false;
    else if (in_single) in_single = c != '\'';
    else if (c == '\\') escaped = true;
    else if (c == '"') in_double = !in_double;
    else if (c == '\'' && !in_double) in_single = true;
  }
  return out;
}

int run_shell_command(Context& ctx, const std::string& cmd, const std::map<std::string, std::string>& env,
                      std::string* why) {
  // Everything printed so far must come before the command's own output.
  if (ctx.out) ctx.out->flush();
  std::cout.flush();
  std::fflush(nullptr);

  // The environment: ours, with the extra entries replacing same names.
  std::map<std::string, std::string> extra = ctx.command_env;
  for (const auto& [k, v] : env) extra[k] = v;
  std::vector<std::string> entries;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    std::string name = eq ? std::string(*e, eq - *e) : std::string(*e);
    if (extra.count(name)) continue;
    entries.emplace_back(*e);
  }
  for (const auto& [k, v] : extra) entries.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : entries) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string c = cmd;
  char sh[] = "/bin/sh", dash_c[] = "-c";
  char* argv[] = {sh, dash_c, c.data(), nullptr};

  pid_t pid = ::fork();
  if (pid < 0) {
    if (why) *why = std::strerror(errno);
    return -1;
  }
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);  // the tool ignores it; the command must not inherit that
    ::execve("/bin/sh", argv, envp.data());
    _exit(127);
  }
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) {
      if (why) *why = std::strerror(errno);
      return -1;
    }
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

}  // namespace mng
