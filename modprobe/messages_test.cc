// SPDX-License-Identifier: GPL-2.0-or-later
// Configuration messages reach the user through modprobe's logger: the
// program name is modprobe's, -q silences them, -s sends them to syslog.
// Nothing is written to the process's stderr behind the logger's back.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "common/log.h"
#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

// What FN wrote to file descriptor 2 (the process's own stderr).
std::string fd2_output(const std::function<void()>& fn) {
  TempDir t;
  std::string path = t / "stderr";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  fflush(stderr);
  int saved = ::dup(2);
  ::dup2(fd, 2);
  ::close(fd);
  fn();
  fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  return read_file(path);
}

struct Run {
  RunResult r{0, "", ""};
  std::string fd2;
};

// modprobe -d ROOT -S KVER ARGS... -C CONF x, with CONF holding a
// subdirectory named like a configuration file.
struct SubdirConfig {
  TempDir root, etc, conf;
  SimKernel kernel;
  std::string kver = "6.1.0-mng-test";
  SubdirConfig() {
    std::filesystem::create_directories(etc / "modprobe.d");
    std::filesystem::create_directories(conf / "sub.conf");
    write_file(conf / "a.conf", "alias mng-x mod_a\n");
  }
  std::string moddir() const { return root.path + "/lib/modules/" + kver; }
  Run run(std::vector<std::string> args) {
    RunEnv env;
    env.argv = {"modprobe", "-d", root.path, "-S", kver};
    env.argv.insert(env.argv.end(), args.begin(), args.end());
    env.argv.insert(env.argv.end(), {"-n", "-C", conf.path, "x"});
    env.kernel = &kernel;
    std::map<std::string, std::string> environment;
    env.environment = &environment;
    Run out;
    out.fd2 = fd2_output([&] { out.r = run_captured(env, etc); });
    return out;
  }
};

}  // namespace

TEST_CASE("a configuration error names modprobe, in kmod's layout", "[modprobe][log]") {
  SubdirConfig c;
  Run o = c.run({});
  CHECK(o.r.rc == 1);
  CHECK(o.r.err == "modprobe: ERROR: Directories inside directories are not supported: " + (c.conf / "sub.conf") +
                       "\nmodprobe: FATAL: Module x not found in directory " + c.moddir() + "\n");
  CHECK(o.fd2.empty());
}

TEST_CASE("-q silences configuration messages, -s sends them to syslog, not to stderr", "[modprobe][log]") {
  for (const char* flag : {"-q", "-s"}) {
    INFO(flag);
    SubdirConfig c;
    Run o = c.run({flag});
    CHECK(o.r.rc == 1);
    CHECK(o.r.err.empty());
    CHECK(o.fd2.empty());
  }
}

TEST_CASE("-s sends modutils' raw configuration warnings to syslog too", "[modprobe][log]") {
  TempDir root, etc;
  SimKernel kernel;
  std::filesystem::create_directories(etc / "modprobe.d");
  // Only the old name: modutils warns about /etc/conf.modules.
  write_file(etc / "conf.modules", "alias mng-x off\n");
  std::map<std::string, std::string> environment;
  auto run = [&](std::vector<std::string> extra) {
    RunEnv env;
    env.argv = {"modprobe", "-d", root.path, "-S", "2.4.37"};
    env.argv.insert(env.argv.end(), extra.begin(), extra.end());
    env.argv.insert(env.argv.end(), {"-n", "mng-x"});
    env.kernel = &kernel;
    env.environment = &environment;
    return run_captured(env, etc);
  };
  RunResult plain = run({});
  CHECK(plain.err.find("Warning: modutils is reading from " + (etc / "conf.modules")) == 0);
  RunResult logged = run({"-s"});
  CHECK(logged.rc == plain.rc);
  CHECK(logged.err.empty());
}

TEST_CASE("a run leaves the process logger as it found it", "[modprobe][log]") {
  const std::string before = logger().program;
  SubdirConfig c;
  c.run({});
  CHECK(logger().program == before);
  CHECK(logger().stream == nullptr);
}
