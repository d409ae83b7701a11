#include "common/module_sections.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/elf_module.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {
// Everything the parser extracts, as one comparable string.
std::string summary(const ModuleElf& e) {
  std::string s;
  for (auto& x : e.exports) s += "E " + std::string(e.str(x.name)) + " " + std::to_string(x.crc) + "\n";
  for (auto& x : e.imports) s += "I " + std::string(e.str(x.name)) + " " + std::to_string(x.crc) + (x.weak ? " w\n" : "\n");
  for (auto& x : e.modinfo) s += "M " + std::string(e.str(x.key)) + "=" + std::string(e.str(x.value)) + "\n";
  return s;
}
}  // namespace

TEST_CASE("reading only the needed sections parses like the whole file", "[sections]") {
  TempDir t;
  SectionReader reader;  // reused across modules, as depmod does
  int n = 0;
  for (auto& ent : std::filesystem::directory_iterator(testmods_dir())) {
    std::string path = ent.path();
    if (ent.path().extension() != ".ko") continue;
    ModuleBytes whole;
    std::string why;
    REQUIRE(load_module_file(path, &whole, &why));
    ModuleElf a, b;
    REQUIRE(parse_module_elf(whole.bytes(), &a, &why));
    std::span<const uint8_t> image;
    REQUIRE(read_module_sections(path, &reader, &image, &why));
    REQUIRE(parse_module_elf(image, &b, &why));
    INFO(path);
    CHECK(summary(a) == summary(b));
    CHECK(!a.exports.empty() + !a.imports.empty() > 0);
    ++n;
  }
  CHECK(n >= 8);
  // A compressed module goes through decompression.
  copy_file(testmods_dir() + "/mod_a.ko", t / "mod_a.ko");
  REQUIRE(run("xz -f " + t / "mod_a.ko") == 0);
  std::span<const uint8_t> image;
  std::string why;
  REQUIRE(read_module_sections(t / "mod_a.ko.xz", &reader, &image, &why));
  ModuleElf c;
  REQUIRE(parse_module_elf(image, &c, &why));
  CHECK(summary(c).find("E sym_a ") != std::string::npos);
}

TEST_CASE("damaged files read through sections fail cleanly", "[sections]") {
  TempDir t;
  std::string good = read_file(testmods_dir() + "/mod_b.ko");
  SectionReader reader;
  std::string why;
  std::span<const uint8_t> image;
  write_file(t / "empty.ko", "");
  CHECK_FALSE(read_module_sections(t / "empty.ko", &reader, &image, &why));
  CHECK(why == "empty file");
  CHECK_FALSE(read_module_sections(t / "missing.ko", &reader, &image, &why));
  for (size_t len : {1u, 16u, 63u, 64u, 200u, 4096u, 20000u}) {
    if (len >= good.size()) continue;
    write_file(t / "cut.ko", good.substr(0, len));
    ModuleElf e;
    INFO(len);
    if (read_module_sections(t / "cut.ko", &reader, &image, &why)) CHECK_FALSE(parse_module_elf(image, &e, &why));
  }
  // Section header offset pointing past the end.
  std::string bad = good;
  for (int i = 0; i < 8; ++i) bad[0x28 + i] = '\x7f';
  write_file(t / "shoff.ko", bad);
  ModuleElf e;
  REQUIRE(read_module_sections(t / "shoff.ko", &reader, &image, &why));
  CHECK_FALSE(parse_module_elf(image, &e, &why));
}
