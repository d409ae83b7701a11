// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/file_util.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/test_util.h"

using namespace mng;

TEST_CASE("read_file reads a whole regular file", "[file_util]") {
  testing::TempDir d;
  testing::write_file(d / "f", std::string("a\0b\nc", 5));
  std::string out, err;
  REQUIRE(read_file(d / "f", 100, &out, &err));
  CHECK(out == std::string("a\0b\nc", 5));
  CHECK(err.empty());
}

namespace {

// The errno of a read_file of PATH that must fail, after checking that it
// cleared the output and named the file in its message.
int read_errno(const std::string& path, std::size_t cap) {
  std::string out = "old", err;
  if (read_file(path, cap, &out, &err)) return 0;
  int e = errno;
  CHECK(out.empty());
  CHECK(err == path + ": " + (e == EINVAL ? "not a regular file" : std::strerror(e)));
  return e;
}

}  // namespace

TEST_CASE("read_file stops at the cap", "[file_util]") {
  testing::TempDir d;
  testing::write_file(d / "f", "0123456789");
  std::string out;
  CHECK(read_file(d / "f", 10, &out));
  CHECK(out == "0123456789");
  CHECK(read_errno(d / "f", 9) == EFBIG);
}

TEST_CASE("read_file refuses an endless device before reading; /dev/null reads as empty", "[file_util]") {
  // The cap would stop /dev/zero too, but only after cap bytes of memory.
  CHECK(read_errno("/dev/zero", std::size_t{1} << 20) == EINVAL);
  std::string out = "old";
  CHECK(read_file("/dev/null", 1000, &out));
  CHECK(out.empty());
  // A symbolic link is followed: what it points at decides.
  testing::TempDir d;
  REQUIRE(symlink("/dev/zero", (d / "modules.order").c_str()) == 0);
  CHECK(read_errno(d / "modules.order", 1000) == EINVAL);
}

TEST_CASE("read_file refuses directories and FIFOs without reading", "[file_util]") {
  testing::TempDir d;
  CHECK(read_errno(d.path, 1000) == EISDIR);
  // A FIFO with no writer: a blocking open or read would wait for ever.
  REQUIRE(mkfifo((d / "fifo").c_str(), 0600) == 0);
  CHECK(read_errno(d / "fifo", 1000) == EINVAL);
}

TEST_CASE("read_file names the file when it cannot be opened", "[file_util]") {
  CHECK(read_errno("/nonexistent/x", 10) == ENOENT);
}

TEST_CASE("UniqueFd closes what it owns, once", "[file_util]") {
  int raw;
  {
    UniqueFd fd = open_read("/dev/null");
    REQUIRE(fd);
    raw = fd.get();
    UniqueFd moved = std::move(fd);
    CHECK_FALSE(fd.valid());
    CHECK(moved.get() == raw);
    CHECK(fcntl(raw, F_GETFD) != -1);
  }
  CHECK(fcntl(raw, F_GETFD) == -1);
  UniqueFd kept = open_read("/dev/null");
  int r = kept.release();
  CHECK_FALSE(kept.valid());
  CHECK(fcntl(r, F_GETFD) != -1);
  ::close(r);
  CHECK_FALSE(open_read("/nonexistent/x"));
}

TEST_CASE("path_join puts exactly one slash between the parts", "[file_util]") {
  CHECK(path_join("/lib/modules", "6.1") == "/lib/modules/6.1");
  CHECK(path_join("/root//", "/lib/modules") == "/root/lib/modules");
  CHECK(path_join("", "/lib/modules") == "/lib/modules");
  CHECK(path_join("/", "lib") == "/lib");
  CHECK(path_join("a", "") == "a/");
}

TEST_CASE("real_path resolves links and dots, and keeps what it cannot resolve", "[file_util]") {
  testing::TempDir d;
  testing::write_file(d / "f", "x");
  REQUIRE(symlink((d / "f").c_str(), (d / "l").c_str()) == 0);
  std::string resolved = real_path(d / "f");
  CHECK(real_path(d / "l") == resolved);
  CHECK(real_path(d.path + "/./f") == resolved);
  CHECK(real_path(d / "missing") == d / "missing");
}

TEST_CASE("base_name is what follows the last slash", "[file_util]") {
  CHECK(base_name("/lib/modules/6.1/kernel/a.ko.xz") == "a.ko.xz");
  CHECK(base_name("a.ko") == "a.ko");
  CHECK(base_name("dir/") == "");
  CHECK(base_name("") == "");
}

TEST_CASE("env_value tells unset from empty", "[file_util]") {
  ::unsetenv("MNG_FILE_UTIL_TEST");
  CHECK_FALSE(env_value("MNG_FILE_UTIL_TEST"));
  ::setenv("MNG_FILE_UTIL_TEST", "", 1);
  CHECK(env_value("MNG_FILE_UTIL_TEST") == "");
  ::setenv("MNG_FILE_UTIL_TEST", "x y", 1);
  CHECK(env_value("MNG_FILE_UTIL_TEST") == "x y");
  ::unsetenv("MNG_FILE_UTIL_TEST");
}

TEST_CASE("env_value reads a given environment instead of the process's", "[file_util]") {
  ::setenv("MNG_FILE_UTIL_TEST", "process", 1);
  EnvMap env{{"A", "1"}, {"EMPTY", ""}};
  CHECK(env_value("A", &env) == "1");
  CHECK(env_value("EMPTY", &env) == "");
  CHECK_FALSE(env_value("MNG_FILE_UTIL_TEST", &env));  // the process environment is not consulted
  CHECK(env_value("MNG_FILE_UTIL_TEST") == "process");
  ::unsetenv("MNG_FILE_UTIL_TEST");
}
