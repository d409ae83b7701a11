#include "modprobe/commands.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

extern char** environ;

namespace mng {

std::vector<std::string> option_words(const std::string& options) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : options) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur.push_back(c);
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur.push_back(c);
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  out += "'";
  return out;
}

std::string substitute_cmdline_opts(const std::string& cmd, const std::string& options) {
  static const std::string kVar = "$CMDLINE_OPTS";
  if (cmd.find(kVar) == std::string::npos) return cmd;
  std::string quoted;
  for (const auto& w : option_words(options)) {
    if (!quoted.empty()) quoted += ' ';
    quoted += shell_quote(w);
  }
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t at = cmd.find(kVar, pos);
    if (at == std::string::npos) break;
    out.append(cmd, pos, at - pos);
    out += quoted;
    pos = at + kVar.size();
  }
  out.append(cmd, pos, std::string::npos);
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
