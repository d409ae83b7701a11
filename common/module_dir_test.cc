// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/module_dir.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_util.h"

using namespace mng;

TEST_CASE("the module directory falls back to the other of /lib/modules and /usr/lib/modules", "[moduledir]") {
  mng::testing::TempDir t;
  const std::string root = t.path;
  std::filesystem::create_directories(t / "usr/lib/modules/6.1.0");
  std::filesystem::create_directories(t / "lib/modules/5.10.0");
  // The configured directory has the kernel: it is used.
  CHECK(module_dir_for(root, "5.10.0", "/lib/modules") == "/lib/modules");
  // Only the other one has it: the other one.
  CHECK(module_dir_for(root, "6.1.0", "/lib/modules") == "/usr/lib/modules");
  CHECK(module_dir_for(root, "5.10.0", "/usr/lib/modules") == "/lib/modules");
  CHECK(module_dir_for(root + "/", "6.1.0", "/lib/modules/") == "/usr/lib/modules");
  // Neither: the configured one, for the error messages to name.
  CHECK(module_dir_for(root, "9.9", "/usr/lib/modules") == "/usr/lib/modules");
  // Another configured directory has no partner.
  CHECK(module_dir_for(root, "6.1.0", "/opt/modules") == "/opt/modules");
  CHECK(std::string(configured_module_dir()).front() == '/');
}
