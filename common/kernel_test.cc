#include "common/kernel.h"

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

TEST_CASE("parse_proc_modules reads the 2.6+ layout", "[modprobe][kernel]") {
  auto v = parse_proc_modules(
      "snd_pcm 96625 2 snd_ctxfi,snd_echo3g, Live 0xf8a3c000\n"
      "pci_stub 12622 1 - Live 0x0000000000000000 (OE)\n"
      "garbage\n"
      "mod_x notanumber 0 - Live 0x0\n"
      "loading 100 0 - Loading 0x0\n");
  REQUIRE(v.size() == 3);
  CHECK(v[0].name == "snd_pcm");
  CHECK(v[0].size == 96625);
  CHECK(v[0].refcnt == 2);
  CHECK(v[0].users == std::vector<std::string>{"snd_ctxfi", "snd_echo3g"});
  CHECK(v[0].state == "Live");
  CHECK(v[1].users.empty());
  CHECK(v[2].state == "Loading");
}

TEST_CASE("RealKernel reads module state from a sysfs/procfs tree", "[modprobe][kernel]") {
  TempDir t;
  write_file(t / "sys/module/mod_a/initstate", "live\n");
  write_file(t / "sys/module/mod_a/refcnt", "2\n");
  write_file(t / "sys/module/mod_a/holders/mod_b", "");
  write_file(t / "sys/module/mod_a/holders/mod_c", "");
  write_file(t / "sys/module/going_one/initstate", "going\n");
  write_file(t / "sys/module/coming_one/initstate", "coming\n");
  write_file(t / "sys/module/ext4/parameters/x", "1");
  write_file(t / "sys/module/compression", "zstd\n");
  write_file(t / "proc/cmdline", "root=/dev/sda mod_a.level=3\n");
  write_file(t / "proc/modules", "mod_a 16384 2 mod_b,mod_c, Live 0x0\n");
  RealKernel k(t.path);
  CHECK(k.state("mod_a") == SysState::live);
  CHECK(k.state("going_one") == SysState::going);
  CHECK(k.state("coming_one") == SysState::coming);
  CHECK(k.state("ext4") == SysState::no_initstate);
  CHECK(k.state("nothere") == SysState::absent);
  CHECK(k.refcnt("mod_a") == 2);
  CHECK(k.refcnt("nothere") == -ENOENT);
  CHECK(k.holders("mod_a") == std::vector<std::string>{"mod_b", "mod_c"});
  CHECK(k.holders("nothere").empty());
  CHECK(k.compression() == "zstd");
  CHECK(k.cmdline() == "root=/dev/sda mod_a.level=3");
  std::vector<ProcModule> pm;
  REQUIRE(k.proc_modules(&pm));
  REQUIRE(pm.size() == 1);
  CHECK(pm[0].users.size() == 2);

  RealKernel empty(t / "nothing");
  CHECK(empty.compression().empty());
  CHECK(empty.cmdline().empty());
  CHECK_FALSE(empty.proc_modules(&pm));
}

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
