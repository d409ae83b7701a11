// SPDX-License-Identifier: GPL-2.0-or-later
// The load and remove path both engines share, against the simulated kernel.
#include "common/kernel_ops.h"

#include <fcntl.h>

#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <cerrno>
#include <sstream>

#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

using Strings = std::vector<std::string>;

TEST_CASE("Actions: the action lines, or nothing without a stream", "[modprobe][kernel_ops]") {
  std::ostringstream s;
  Actions a{&s};
  a.insmod("/m/a.ko", "x=1 ");
  a.rmmod("mod_a");
  a.builtin("ext4");
  a.install("/bin/true", "");
  a.remove("/bin/false");
  a.line("/sbin/insmod /m/a.ko");
  CHECK(s.str() ==
        "insmod /m/a.ko x=1 \nrmmod mod_a\nbuiltin ext4\ninstall /bin/true \nremove /bin/false\n/sbin/insmod /m/a.ko\n");
  Actions none;
  none.insmod("/m/a.ko", "");
  none.rmmod("mod_a");
  CHECK(none.out == nullptr);
}

TEST_CASE("ModuleOps inserts files with the force flags", "[modprobe][kernel_ops]") {
  std::string dir = testmods_dir();
  SimKernel k;
  std::string detail;
  ModuleOps plain(k, {}, {});
  CHECK(plain.insert(dir + "/mod_a.ko", "level=5 ", &detail) == 0);
  CHECK(k.modules["mod_a"].params == "level=5");  // the trailing space is dropped
  CHECK(k.last_finit_flags == 0);
  CHECK(plain.insert(dir + "/mod_a.ko", "", &detail) == -EEXIST);
  CHECK(plain.insert(dir + "/no_such.ko", "", &detail) == -ENOENT);

  KernelOpFlags force;
  force.force_vermagic = force.force_modversion = true;
  ModuleOps forced(k, force, {});
  CHECK(forced.insert(dir + "/mod_b.ko", "", &detail) == 0);
  CHECK(k.last_finit_flags == (kModuleInitIgnoreVermagic | kModuleInitIgnoreModversions));
  CHECK(k.log == Strings{"load mod_a level=5", "load mod_b"});
}

TEST_CASE("ModuleOps refuses a FIFO or a device: nothing waits, nothing reaches the kernel", "[modprobe][kernel_ops]") {
  TempDir d;
  SimKernel k;
  std::string detail;
  ModuleOps ops(k, {}, {});
  REQUIRE(mkfifo((d.path + "/fifo.ko").c_str(), 0600) == 0);
  CHECK(ops.insert(d.path + "/fifo.ko", "", &detail) == -ENOEXEC);
  CHECK(detail == d.path + "/fifo.ko: not a regular file");
  CHECK(ops.insert("/dev/zero", "", &detail) == -ENOEXEC);
  CHECK(ops.insert(d.path, "", &detail) == -ENOEXEC);
  CHECK(detail == d.path + ": Is a directory");
  CHECK(k.log.empty());
}

TEST_CASE("ModuleOps removes with O_TRUNC under -f and retries a busy module for -w", "[modprobe][kernel_ops]") {
  SimKernel k;
  k.add_loaded("mod_a");
  k.add_loaded("mod_x");
  std::ostringstream s;
  ModuleOps ops(k, {}, Actions{&s});
  CHECK(ops.remove("mod-x") == 0);  // shown as given, removed by its kernel name
  CHECK(s.str() == "rmmod mod-x\n");
  CHECK(k.calls == Strings{"delete mod_x"});
  CHECK(k.last_delete_flags == O_NONBLOCK);

  KernelOpFlags f;
  f.force_modversion = true;
  f.wait_msec = 1000;
  ModuleOps waiting(k, f, {});
  k.modules["mod_a"].extra_refs = 1;
  k.refs_dropped_after["mod_a"] = 3;
  k.calls.clear();
  CHECK(waiting.remove("mod_a") == 0);
  CHECK(k.calls.size() == 4);
  CHECK(k.last_delete_flags == (O_NONBLOCK | O_TRUNC));

  // Without -w a busy module is tried once.
  k.add_loaded("mod_b");
  k.modules["mod_b"].extra_refs = 1;
  k.refs_dropped_after["mod_b"] = 3;
  k.calls.clear();
  CHECK(ops.remove("mod_b") == -EWOULDBLOCK);
  CHECK(k.calls == Strings{"delete mod_b"});
  // A short -w gives up.
  f.wait_msec = 3;
  f.force_modversion = false;
  ModuleOps brief(k, f, {});
  k.refs_dropped_after["mod_b"] = 1000;
  CHECK(brief.remove("mod_b") == -EWOULDBLOCK);
  CHECK(k.loaded("mod_b"));
}

TEST_CASE("ModuleOps rolls back newest first, without force or wait", "[modprobe][kernel_ops]") {
  SimKernel k;
  k.add_loaded("mod_a");
  k.add_loaded("mod_b", {"mod_a"});
  k.add_loaded("mod_c", {"mod_b"});
  KernelOpFlags f;
  f.force_vermagic = true;
  f.wait_msec = 1000;
  std::ostringstream s;
  ModuleOps ops(k, f, Actions{&s});
  ops.roll_back({"mod_a", "mod_b", "mod_c"});
  CHECK(k.log == Strings{"unload mod_c", "unload mod_b", "unload mod_a"});
  CHECK(s.str() == "rmmod mod_c\nrmmod mod_b\nrmmod mod_a\n");
  CHECK(k.last_delete_flags == O_NONBLOCK);
}

TEST_CASE("ModuleOps on a DryRunKernel touches neither files nor the kernel", "[modprobe][kernel_ops]") {
  SimKernel sim;
  sim.add_loaded("mod_a");
  DryRunKernel dry(sim);
  KernelOpFlags f;
  f.force_vermagic = true;
  ModuleOps ops(dry, f, {});
  std::string detail;
  CHECK(ops.insert("/no/such/file.ko", "x=1", &detail) == 0);
  CHECK(detail.empty());
  CHECK(ops.remove("mod_a") == 0);
  CHECK(ops.take_back("mod_a") == 0);
  CHECK(dry.recorded() == Strings{"finit x=1", "delete mod_a", "delete mod_a"});
  CHECK(sim.calls.empty());
  CHECK(sim.loaded("mod_a"));
}

TEST_CASE("insert_error_reason: the kernel's errno in words", "[modprobe][kernel_ops]") {
  CHECK(insert_error_reason(-EEXIST, "") == "Module already in kernel");
  CHECK(insert_error_reason(-ENOENT, "") == "Unknown symbol in module, or unknown parameter (see dmesg)");
  CHECK(insert_error_reason(-ENODEV, "") == "No such device");
  CHECK(insert_error_reason(-ENOEXEC, "/m/a.ko.xz: bad data") == "Exec format error (/m/a.ko.xz: bad data)");
}
