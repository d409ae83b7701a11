// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/kernel.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <utility>

#include "tests/sim_kernel.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

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
  const std::pair<const char*, const char*> tree[] = {
      {"sys/module/mod_a/initstate", "live\n"},
      {"sys/module/mod_a/refcnt", "2\n"},
      {"sys/module/mod_a/holders/mod_b", ""},
      {"sys/module/mod_a/holders/mod_c", ""},
      {"sys/module/going_one/initstate", "going\n"},
      {"sys/module/coming_one/initstate", "coming\n"},
      {"sys/module/ext4/parameters/x", "1"},
      {"sys/module/compression", "zstd\n"},
      {"proc/cmdline", "root=/dev/sda mod_a.level=3\n"},
      {"proc/modules", "mod_a 16384 2 mod_b,mod_c, Live 0x0\n"},
  };
  for (const auto& [path, text] : tree) write_file(t / path, text);
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

TEST_CASE("DryRunKernel asks the wrapped kernel and records what it would change", "[modprobe][kernel]") {
  SimKernel sim;
  sim.add_loaded("mod_a");
  sim.add_loaded("mod_b", {"mod_a"});
  sim.decompress = "xz";
  sim.cmdline_text = "quiet";
  DryRunKernel k(sim);
  CHECK(k.records_only());
  CHECK_FALSE(sim.records_only());
  CHECK(k.state("mod_a") == SysState::live);
  CHECK(k.state("mod_x") == SysState::absent);
  CHECK(k.refcnt("mod_a") == 1);
  CHECK(k.holders("mod_a") == std::vector<std::string>{"mod_b"});
  CHECK(k.compression() == "xz");
  CHECK(k.cmdline() == "quiet");
  CHECK(k.release() == "6.1.0-sim");
  std::vector<ProcModule> pm;
  CHECK(k.proc_modules(&pm));
  CHECK(pm.size() == 2);

  // Busy or absent, the wrapped kernel is never asked to change.
  CHECK(k.delete_module("mod_a", 0) == 0);
  CHECK(k.delete_module("mod_x", 0) == 0);
  CHECK(k.finit_module(-1, "level=5", 0) == 0);
  const uint8_t junk[4] = {1, 2, 3, 4};
  CHECK(k.init_module(junk, "") == 0);
  CHECK(k.recorded() == std::vector<std::string>{"delete mod_a", "delete mod_x", "finit level=5", "init "});
  CHECK(sim.calls.empty());
  CHECK(sim.loaded("mod_a"));
  CHECK(sim.log.empty());
}
