// System.map and Module.symvers reading for depmod -e.
#include "depmod/kernel_symbols.h"

#include <catch2/catch.hpp>

#include "common/log.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("System.map: __ksymtab_ entries are the exports, prefix removed", "[depmod]") {
  TempDir t;
  write_file(t / "System.map",
             "ffffffff81000000 T __fentry__\n"
             "ffffffff81000010 r __ksymtab___fentry__\n"
             "bogus\n"
             "ffffffff81000020 r ___ksymtab_printk\n");
  LogCapture cap;
  std::deque<KernelSymbol> syms;
  REQUIRE(load_system_map(t / "System.map", 0, &syms));
  REQUIRE(syms.size() == 1);
  CHECK(syms[0].name == "__fentry__");
  CHECK(syms[0].crc == 0);
  CHECK(cap.lines == std::vector<std::string>{"ERROR: " + (t / "System.map") + ":3: invalid line: bogus"});
  // -P _: the prefix goes before the __ksymtab_ test.
  syms.clear();
  REQUIRE(load_system_map(t / "System.map", '_', &syms));
  REQUIRE(syms.size() == 1);
  CHECK(syms[0].name == "printk");
}

TEST_CASE("Module.symvers: vmlinux lines only, with their CRC", "[depmod]") {
  TempDir t;
  write_file(t / "Module.symvers",
             "0x12345678\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
             "0x0000abcd\tmod_a_fn\tdrivers/mod_a\tEXPORT_SYMBOL_GPL\t\n"
             "0xdeadbeef\tlast\tvmlinux\n"
             "0x1\tshort\n");
  LogCapture cap;
  std::deque<KernelSymbol> syms;
  REQUIRE(load_symvers(t / "Module.symvers", 0, &syms));
  REQUIRE(syms.size() == 2);
  CHECK(syms[0].name == "__fentry__");
  CHECK(syms[0].crc == 0x12345678);
  CHECK(syms[1].name == "last");
  CHECK(syms[1].crc == 0xdeadbeef);
  CHECK(cap.lines.size() == 1);
}

TEST_CASE("a missing symbol file is an error", "[depmod]") {
  LogCapture cap;
  std::deque<KernelSymbol> syms;
  CHECK_FALSE(load_symvers("/nonexistent-mng/Module.symvers", 0, &syms));
  CHECK_FALSE(load_system_map("/nonexistent-mng/System.map", 0, &syms));
  REQUIRE(cap.lines.size() == 2);
  CHECK(cap.lines[0].starts_with("ERROR: could not open /nonexistent-mng/Module.symvers"));
}
