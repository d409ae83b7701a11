// SPDX-License-Identifier: GPL-2.0-or-later
// Reading configuration files, and which ones root refuses.
#include "conf/file_text.h"

#include <catch2/catch.hpp>

#include "conf/config_model.h"
#include "conf/depmod_config.h"
#include "conf/legacy_read.h"
#include "conf/load_config.h"
#include "conf/modprobe_d.h"
#include "tests/test_util.h"

using namespace mng;
using mng::testing::TempDir;
using mng::testing::write_file;

namespace {

struct stat status(uid_t uid, gid_t gid, mode_t mode) {
  struct stat st {};
  st.st_uid = uid;
  st.st_gid = gid;
  st.st_mode = S_IFREG | mode;
  return st;
}

// What config_file_distrust says about a file this process just created
// with mode 0666: the owner if we are not root, else the permission.
std::string fresh_file_distrust() {
  return geteuid() == 0 ? "writable by everyone" : "owned by uid " + std::to_string(geteuid());
}

std::string world_writable(const std::string& path, const std::string& text) {
  write_file(path, text);
  chmod(path.c_str(), 0666);
  return path;
}

}  // namespace

TEST_CASE("root trusts only files no other user can change", "[conf][trust]") {
  CHECK(config_file_distrust(status(0, 0, 0644)) == "");
  CHECK(config_file_distrust(status(0, 0, 0664)) == "");  // group root may write
  CHECK(config_file_distrust(status(0, 0, 0400)) == "");
  CHECK(config_file_distrust(status(1000, 0, 0644)) == "owned by uid 1000");
  CHECK(config_file_distrust(status(0, 0, 0646)) == "writable by everyone");
  CHECK(config_file_distrust(status(0, 0, 0666)) == "writable by everyone");
  CHECK(config_file_distrust(status(0, 100, 0664)) == "writable by group 100");
  CHECK(config_file_distrust(status(0, 100, 0644)) == "");
  struct stat null = status(0, 0, 0666);
  null.st_mode = S_IFCHR | 0666;
  CHECK(config_file_distrust(null) == "");
  null.st_uid = 5;
  CHECK(config_file_distrust(null) == "owned by uid 5");
  CHECK(untrusted_config_message("/etc/x.conf", "writable by everyone") ==
        "/etc/x.conf is writable by everyone: refusing to read it as root (--allow-unsafe-config overrides)");
}

TEST_CASE("read_config_text refuses an untrusted file only when asked", "[conf][trust]") {
  TempDir d;
  std::string f = world_writable(d / "a.conf", "alias x y\n");
  std::string text, why;
  CHECK(read_config_text(f, &text) == ConfigRead::ok);
  CHECK(text == "alias x y\n");
  text.clear();
  CHECK(read_config_text(f, &text, true, &why) == ConfigRead::untrusted);
  CHECK(text.empty());
  CHECK(why == untrusted_config_message(f, fresh_file_distrust()));
  CHECK(read_config_text(d / "missing.conf", &text, true, &why) == ConfigRead::unreadable);
  if (geteuid() == 0) {  // a file root owns and only root writes is read
    chmod(f.c_str(), 0644);
    CHECK(read_config_text(f, &text, true, &why) == ConfigRead::ok);
  }
}

TEST_CASE("modprobe.d, legacy files and their includes, depmod.d: refused files are named", "[conf][trust]") {
  TempDir d;
  std::vector<ConfigError> errors;

  ConfigModel m;
  std::string pd = world_writable(d / "modprobe.d/evil.conf", "install foo /tmp/x\n");
  CHECK_FALSE(parse_modprobe_d_file(&m, pd, &errors, true));
  CHECK(m.untrusted_files == std::vector<std::string>{pd});
  CHECK(m.commands.empty());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == untrusted_config_message(pd, fresh_file_distrust()));
  CHECK(parse_modprobe_d_file(&m, pd, &errors, false));  // the override
  CHECK(m.commands.size() == 1);

  // A legacy file including an untrusted one.
  errors.clear();
  std::string inc = world_writable(d / "inc.conf", "pre-install foo /tmp/x\n");
  write_file(d / "modules.conf", "include " + inc + "\n");
  if (geteuid() == 0) {
    ConfigOptions co;
    co.config_paths = {d / "modules.conf"};
    co.kernel_version = "2.4.37";
    co.trusted_only = true;
    ConfigModel lm = load_modprobe_config(co, &errors);
    CHECK(lm.untrusted_files == std::vector<std::string>{inc});
    CHECK(lm.modprobe_fails);
    bool named = false;
    for (const auto& e : errors) named |= e.message == untrusted_config_message(inc, "writable by everyone");
    CHECK(named);
  }

  DepmodConfig dc;
  std::string dd = world_writable(d / "depmod.d/evil.conf", "search extra\n");
  CHECK_FALSE(load_depmod_config({d / "depmod.d"}, "6.1.0", &dc, "", true));
  CHECK(dc.untrusted_files == std::vector<std::string>{dd});
  CHECK(dc.search == std::vector<std::string>{"updates"});
  DepmodConfig dc2;
  CHECK(load_depmod_config({d / "depmod.d"}, "6.1.0", &dc2, "", false));
  CHECK(dc2.search == std::vector<std::string>{"extra"});
}

TEST_CASE("kmod_logical_lines joins backslash lines as kmod does", "[conf][file_text]") {
  auto lines = kmod_logical_lines("a \\\nb\nc\\d\\\\e\n\n#x\\\ny\nlast");
  REQUIRE(lines.size() == 5);
  CHECK(lines[0].text == "a b");  // backslash-newline adds nothing
  CHECK(lines[0].line == 2);      // numbered by the last physical line
  CHECK(lines[1].text == "cd\\e");
  CHECK(lines[1].line == 3);
  CHECK(lines[2].text == "");
  CHECK(lines[2].line == 4);
  CHECK(lines[3].text == "#xy");  // comments are the caller's business
  CHECK(lines[3].line == 6);
  CHECK(lines[4].text == "last");  // no newline at the end
  CHECK(lines[4].line == 7);
  auto eof = kmod_logical_lines("x\\");
  REQUIRE(eof.size() == 1);
  CHECK(eof[0].text == "x\xff");
  CHECK(eof[0].line == 1);
  CHECK(kmod_logical_lines("\\\n").empty());  // nothing stored: no line
  auto nul = kmod_logical_lines(std::string("ab\0cd\nz\n", 8));
  REQUIRE(nul.size() == 2);
  CHECK(nul[0].text == "ab");
  CHECK(nul[1].line == 2);
}

TEST_CASE("read_config_text refuses a FIFO instead of waiting on it", "[conf][file_text]") {
  TempDir d;
  REQUIRE(mkfifo((d / "fifo.conf").c_str(), 0600) == 0);
  std::string out;
  std::string why;
  CHECK(read_config_text(d / "fifo.conf", &out, false, &why) == ConfigRead::unreadable);
  CHECK(why == d / "fifo.conf" + ": not a regular file");
  CHECK(read_config_text(d.path, &out) == ConfigRead::unreadable);
  why.clear();
  CHECK(read_config_text(d / "missing.conf", &out, false, &why) == ConfigRead::unreadable);
  CHECK(why.empty());  // skipped silently, as by libkmod
  // A modprobe.d entry that is a FIFO is named, once, and nothing is read.
  ConfigModel m;
  std::vector<ConfigError> errors;
  CHECK_FALSE(parse_modprobe_d_file(&m, d / "fifo.conf", &errors, false));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == d / "fifo.conf" + ": not a regular file (ignored)");
  CHECK(m.modprobe_d_files.empty());
  write_file(d / "a.conf", "alias a b\n");
  CHECK(read_config_text(d / "a.conf", &out) == ConfigRead::ok);
  CHECK(out == "alias a b\n");
}
