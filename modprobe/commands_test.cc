// SPDX-License-Identifier: GPL-2.0-or-later
// $CMDLINE_OPTS substitution and the shell commands of the configuration.
#include "modprobe/commands.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

// Runs CMD as an install command with module options OPTIONS; returns the
// exit status.
int run_install_text(const std::string& cmd, const std::string& options) {
  Context ctx;
  std::map<std::string, std::string> env = {{"MODPROBE_MODULE", "mod_a"}};
  std::string text = substitute_cmdline_opts(cmd, options, &env);
  std::string why;
  return run_shell_command(ctx, text, env, &why);
}

}  // namespace

TEST_CASE("$CMDLINE_OPTS becomes references to the option words in the environment", "[commands]") {
  std::map<std::string, std::string> env;
  CHECK(substitute_cmdline_opts("echo $CMDLINE_OPTS x", "a=1 'b=c d'", &env) ==
        "echo \"${MODPROBE_CMDLINE_OPT_1}\" \"${MODPROBE_CMDLINE_OPT_2}\" x");
  CHECK(env["MODPROBE_CMDLINE_OPT_1"] == "a=1");
  CHECK(env["MODPROBE_CMDLINE_OPT_2"] == "b=c d");
  CHECK(env["MODPROBE_CMDLINE_OPTS"] == "a=1 b=c d");
  // Inside double quotes: the joined words.
  CHECK(substitute_cmdline_opts("echo \"<$CMDLINE_OPTS>\" '\"' $CMDLINE_OPTS", "a", &env) ==
        "echo \"<${MODPROBE_CMDLINE_OPTS}>\" '\"' \"${MODPROBE_CMDLINE_OPT_1}\"");
  // No $CMDLINE_OPTS: the command as written, nothing added.
  env.clear();
  CHECK(substitute_cmdline_opts("echo $CMDLINE_OPT x", "a", &env) == "echo $CMDLINE_OPT x");
  CHECK(env.empty());
  CHECK(substitute_cmdline_opts("echo $CMDLINE_OPTS.", "", &env) == "echo .");
}

TEST_CASE("no option word reaches the shell as syntax, whatever quotes surround $CMDLINE_OPTS", "[commands]") {
  TempDir dir;
  std::string out = dir / "out", pwn = dir / "PWN";
  std::string options = "'p=1;touch " + pwn + "' 'q=$(touch " + pwn + ")' 'r=`touch " + pwn +
                        "`' \"s=';touch " + pwn + ";'\" 't=\"$(touch " + pwn + ")\"' 'u=x\ntouch " + pwn +
                        " #'";
  // Before the fix, pasting '...'-quoted words into "...", '...', after '#'
  // or inside `...` let some of these run touch.
  const char* commands[] = {
      "echo $CMDLINE_OPTS >OUT",
      "echo \"$CMDLINE_OPTS\" >OUT",
      "echo '$CMDLINE_OPTS' >OUT",
      "sh -c 'echo $CMDLINE_OPTS' >OUT",
      "echo `echo $CMDLINE_OPTS` >OUT",
      "echo \"$(echo \"$CMDLINE_OPTS\")\" >OUT",
      "echo x >OUT # $CMDLINE_OPTS",
      "echo \\$CMDLINE_OPTS >OUT",
  };
  for (const char* c : commands) {
    std::string cmd = c;
    cmd.replace(cmd.find("OUT"), 3, out);
    INFO(cmd);
    run_install_text(cmd, options);
    CHECK_FALSE(std::filesystem::exists(pwn));
    std::filesystem::remove(pwn);
  }

  // The text arrives as written.
  std::string want = "p=1;touch " + pwn + " q=$(touch " + pwn + ") r=`touch " + pwn + "` s=';touch " + pwn +
                     ";' t=\"$(touch " + pwn + ")\" u=x\ntouch " + pwn + " #\n";
  REQUIRE(run_install_text("printf '%s\\n' \"$CMDLINE_OPTS\" >" + out, options) == 0);
  CHECK(read_file(out) == want);
  REQUIRE(run_install_text("printf '<%s>' $CMDLINE_OPTS >" + out, "a=1 'b=c  d' '' \"*\"") == 0);
  CHECK(read_file(out) == "<a=1><b=c  d><><*>");
  // After a backslash: the options, as kmod's shell gave them, not a quoting error.
  REQUIRE(run_install_text("printf '<%s>' \\$CMDLINE_OPTS >" + out, "a=1 'b=c  d'") == 0);
  CHECK(read_file(out) == "<a=1><b=c  d>");
  REQUIRE(run_install_text("printf '<%s>' \"\\$CMDLINE_OPTS\" >" + out, "a=1 'b=c  d'") == 0);
  CHECK(read_file(out) == "<a=1 b=c  d>");
  CHECK(substitute_cmdline_opts("echo \\$CMDLINE_OPTS", "a", nullptr) == "echo \\\n\"${MODPROBE_CMDLINE_OPT_1}\"");
  // And through a nested shell, which reads the environment too.
  REQUIRE(run_install_text("sh -c 'printf \"<%s>\" $CMDLINE_OPTS' >" + out, "a=1 'b=c  d'") == 0);
  CHECK(read_file(out) == "<a=1><b=c  d>");
  CHECK_FALSE(std::filesystem::exists(pwn));
}

TEST_CASE("a command runs with SIGPIPE at its default though the tool ignores it", "[commands]") {
  TempDir dir;
  std::string out = dir / "sigign";
  auto old = std::signal(SIGPIPE, SIG_IGN);
  int rc = run_install_text("grep '^SigIgn:' /proc/self/status >" + out, "");
  std::signal(SIGPIPE, old);
  REQUIRE(rc == 0);
  std::string line = read_file(out);  // "SigIgn:\t<hex mask>\n"
  REQUIRE(line.starts_with("SigIgn:\t"));
  unsigned long long mask = std::stoull(line.substr(8), nullptr, 16);
  CHECK((mask & (1ull << (SIGPIPE - 1))) == 0);
}
