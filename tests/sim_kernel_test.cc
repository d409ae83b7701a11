// SPDX-License-Identifier: GPL-2.0-or-later
// The simulated kernel itself: loading real modules, failures to inject.
#include "tests/sim_kernel.h"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

struct Fd {
  int fd;
  explicit Fd(const std::string& p) : fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

TEST_CASE("SimKernel loads real modules only after their dependencies", "[modprobe][kernel]") {
  std::string dir = testmods_dir();
  SimKernel k;
  {
    Fd b(dir + "/mod_b.ko");
    REQUIRE(b.fd >= 0);
    CHECK(k.finit_module(b.fd, "", 0) == -ENOENT);  // sym_a unknown: mod_a not in
  }
  {
    Fd a(dir + "/mod_a.ko");
    CHECK(k.finit_module(a.fd, "level=5", 0) == 0);
    CHECK(k.finit_module(a.fd, "", 0) == -EEXIST);
  }
  {
    Fd b(dir + "/mod_b.ko");
    CHECK(k.finit_module(b.fd, "", 0) == 0);
  }
  CHECK(k.modules["mod_a"].params == "level=5");
  CHECK(k.state("mod_b") == SysState::live);
  CHECK(k.refcnt("mod_a") == 1);
  CHECK(k.holders("mod_a") == std::vector<std::string>{"mod_b"});
  CHECK(k.delete_module("mod_a", 0) == -EWOULDBLOCK);
  CHECK(k.delete_module("mod_b", 0) == 0);
  CHECK(k.delete_module("mod_a", 0) == 0);
  CHECK(k.delete_module("mod_a", 0) == -ENOENT);
  CHECK(k.log == std::vector<std::string>{"load mod_a level=5", "load mod_b", "unload mod_b", "unload mod_a"});
  // The kernel name comes from .modinfo, so mod-d.ko loads as mod_d.
  Fd d(dir + "/mod-d.ko");
  CHECK(k.finit_module(d.fd, "", 0) == 0);
  CHECK(k.loaded("mod_d"));
}

TEST_CASE("SimKernel injected failures and compressed files", "[modprobe][kernel]") {
  std::string dir = testmods_dir();
  TempDir t;
  REQUIRE(run("zstd -q -o " + t / "mod_a.ko.zst " + dir + "/mod_a.ko") == 0);
  SimKernel k;
  k.init_errno["fail_init"] = ENODEV;
  Fd f(dir + "/fail_init.ko");
  CHECK(k.finit_module(f.fd, "", 0) == -ENODEV);
  CHECK_FALSE(k.loaded("fail_init"));

  Fd z(t / "mod_a.ko.zst");
  CHECK(k.finit_module(z.fd, "", 0) == -ENOEXEC);  // compressed bytes are not ELF
  CHECK(k.finit_module(z.fd, "", kModuleInitCompressedFile) == -EINVAL);  // kernel can't decompress
  k.decompress = "zstd";
  CHECK(k.finit_module(z.fd, "", kModuleInitCompressedFile) == 0);
  CHECK(k.loaded("mod_a"));

  k.has_finit = false;
  Fd a(dir + "/mod_b.ko");
  CHECK(k.finit_module(a.fd, "", 0) == -ENOSYS);
  k.add_builtin("ext4");
  CHECK(k.state("ext4") == SysState::no_initstate);
  CHECK(k.delete_module("ext4", 0) == -ENOENT);
}

TEST_CASE("SimKernel releases extra references after a number of delete attempts", "[modprobe][kernel]") {
  SimKernel k;
  k.add_loaded("mod_a");
  k.modules["mod_a"].extra_refs = 1;
  k.refs_dropped_after["mod_a"] = 2;
  CHECK(k.delete_module("mod_a", 04000) == -EWOULDBLOCK);
  CHECK(k.last_delete_flags == 04000);
  CHECK(k.delete_module("mod_a", 0) == -EWOULDBLOCK);
  CHECK(k.delete_module("mod_a", 0) == 0);
  CHECK(k.calls == std::vector<std::string>{"delete mod_a", "delete mod_a", "delete mod_a"});
}
