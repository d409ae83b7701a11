// SPDX-License-Identifier: GPL-2.0-or-later
// System.map and Module.symvers reading for depmod -e.
#include "depmod/kernel_symbols.h"

#include <catch2/catch.hpp>

#include "common/log.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

struct Loaded {
  bool ok;
  std::deque<KernelSymbol> syms;
  std::vector<std::string> messages;
};

// Writes TEXT to a file named NAME and reads it with LOAD and PREFIX.
template <class Load>
Loaded load_text(Load load, const std::string& name, const std::string& text, char prefix = 0) {
  TempDir t;
  write_file(t / name, text);
  LogCapture cap;
  Loaded r;
  r.ok = load(t / name, prefix, &r.syms);
  r.messages = cap.lines;
  for (auto& m : r.messages)
    for (size_t p; (p = m.find(t.path)) != std::string::npos;) m.replace(p, t.path.size(), "DIR");
  return r;
}

const char kSystemMap[] =
    "ffffffff81000000 T __fentry__\n"
    "ffffffff81000010 r __ksymtab___fentry__\n"
    "bogus\n"
    "ffffffff81000020 r ___ksymtab_printk\n";

}  // namespace

TEST_CASE("System.map: __ksymtab_ entries are the exports", "[depmod]") {
  Loaded r = load_text(load_system_map, "System.map", kSystemMap);
  REQUIRE(r.ok);
  REQUIRE(r.syms.size() == 1);
  CHECK(r.syms[0].name == "__fentry__");
  CHECK(r.syms[0].crc == 0);
  CHECK(r.messages == std::vector<std::string>{"ERROR: DIR/System.map:3: invalid line: bogus"});
  // -P _: the prefix goes before the __ksymtab_ test.
  r = load_text(load_system_map, "System.map", kSystemMap, '_');
  REQUIRE(r.syms.size() == 1);
  CHECK(r.syms[0].name == "printk");
}

TEST_CASE("Module.symvers: vmlinux lines only, with their CRC", "[depmod]") {
  Loaded r = load_text(load_symvers, "Module.symvers",
                       "0x12345678\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n"
                       "0x0000abcd\tmod_a_fn\tdrivers/mod_a\tEXPORT_SYMBOL_GPL\t\n"
                       "0xdeadbeef\tlast\tvmlinux\n"
                       "0x1\tshort\n");
  REQUIRE(r.ok);
  REQUIRE(r.syms.size() == 2);
  CHECK(r.syms[0].name == "__fentry__");
  CHECK(r.syms[0].crc == 0x12345678);
  CHECK(r.syms[1].name == "last");
  CHECK(r.syms[1].crc == 0xdeadbeef);
  CHECK(r.messages == std::vector<std::string>{"ERROR: DIR/Module.symvers:4: invalid line: 0x1\tshort"});
}

TEST_CASE("a missing symbol file is fatal, in kmod's words", "[depmod]") {
  LogCapture cap;
  std::deque<KernelSymbol> syms;
  CHECK_FALSE(load_symvers("/nonexistent-mng/Module.symvers", 0, &syms));
  CHECK_FALSE(load_system_map("/nonexistent-mng/System.map", 0, &syms));
  REQUIRE(cap.lines.size() == 2);
  // (LogCapture shows levels other than error and info as OTHER: here FATAL.)
  CHECK(cap.lines[0] == "OTHER: could not load /nonexistent-mng/Module.symvers: No such file or directory");
  CHECK(cap.lines[1] == "OTHER: could not load /nonexistent-mng/System.map: No such file or directory");
  CHECK(syms.empty());
}
