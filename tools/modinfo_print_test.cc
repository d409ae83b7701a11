// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_print.h"

#include <catch2/catch.hpp>

#include "tests/test_util.h"
#include "tools/modinfo_module.h"

using namespace mng;
using namespace mng::testing;

namespace {

// A literal with its NUL bytes, without the one that ends it.
template <size_t N>
std::string bin(const char (&s)[N]) {
  return std::string(s, N - 1);
}

ModinfoOptions opts(std::optional<std::string> field = std::nullopt, char sep = '\n') {
  ModinfoOptions o;
  o.field = std::move(field);
  o.separator = sep;
  return o;
}

std::string fields_text(const ModinfoOptions& o, const std::vector<ModinfoField>& f) {
  Logger quiet;
  quiet.file = nullptr;
  std::string out;
  print_module_fields(o, f, quiet, &out);
  return out;
}

}  // namespace

TEST_CASE("modinfo_hex: colons, and a new line with two tabs after every 20 bytes", "[modinfo]") {
  CHECK(modinfo_hex("") == "");
  CHECK(modinfo_hex("\x01") == "01");
  CHECK(modinfo_hex(bin("\x00\xab\xFF")) == "00:AB:FF");
  std::string b(41, '\x5a');
  std::string line = "5A";
  for (int i = 1; i < 20; ++i) line += ":5A";
  CHECK(modinfo_hex(b) == line + ":\n\t\t" + line + ":\n\t\t5A");
  CHECK(modinfo_hex(std::string(20, '\x5a')) == line);  // no break after the last byte
}

TEST_CASE("modinfo fields: keys padded to 16 columns, parameters last, newest first", "[modinfo]") {
  std::vector<ModinfoField> f = {{"license", "GPL"},      {"parmtype", "a:int"},         {"parm", "a:first"},
                                 {"parm", "b:only text"}, {"parmtype", "c:charp"},       {"description", "x"},
                                 {"averyveryverylongkey", "v"}, {"flag", ""}};
  CHECK(fields_text(opts(), f) ==
        "license:        GPL\n"
        "description:    x\n"
        "averyveryverylongkey:v\n"
        "flag:           \n"
        "parm:           c:charp\n"
        "parm:           b:only text\n"
        "parm:           a:first (int)\n");
  CHECK(fields_text(opts("parm"), f) == "c: (charp)\nb:only text\na:first (int)\n");
  CHECK(fields_text(opts(std::nullopt, '\0'), {{"license", "GPL"}, {"parm", "a:t"}}) ==
        bin("license=GPL\0parm:           a:t\0"));
  CHECK(fields_text(opts("license"), f) == "GPL\n");
  CHECK(fields_text(opts("parmtype"), f) == "a:int\nc:charp\n");
  CHECK(fields_text(opts("nothing"), f) == "");
}

TEST_CASE("modinfo fields: a parm without ':' is reported and left out", "[modinfo]") {
  Logger l;
  l.program = "modinfo";
  l.sink = [](Level, std::string_view t, void* c) { static_cast<std::string*>(c)->append(t); };
  std::string said;
  l.sink_ctx = &said;
  std::string out;
  print_module_fields(opts(), {{"parm", "broken"}, {"parm", "ok:yes"}}, l, &out);
  CHECK(out == "parm:           ok:yes\n");
  CHECK(said.find("Found invalid \"parm=broken\": missing ':'") != std::string::npos);
}

TEST_CASE("modinfo head: built-in modules get name: and (builtin)", "[modinfo]") {
  std::string out;
  CHECK_FALSE(print_module_head(opts(), "unix", "", &out));
  CHECK(out == "name:           unix\nfilename:       (builtin)\n");
  out.clear();
  CHECK(print_module_head(opts("filename"), "unix", "", &out));
  CHECK(out == "(builtin)\n");
  out.clear();
  CHECK_FALSE(print_module_head(opts("name"), "unix", "", &out));
  CHECK(out == "unix\n");
  out.clear();
  CHECK_FALSE(print_module_head(opts(std::nullopt, '\0'), "m", "/x/m.ko", &out));
  CHECK(out == bin("filename:       /x/m.ko\0"));
  out.clear();
  CHECK_FALSE(print_module_head(opts("name"), "m", "/x/m.ko", &out));
  CHECK(out.empty());  // a file's name comes from its own name= string
}

TEST_CASE("modinfo strings split at the first '='", "[modinfo]") {
  ModinfoField f = split_modinfo_string("a=b=c");
  CHECK((f.key == "a" && f.value == "b=c"));
  f = split_modinfo_string("lonely");
  CHECK((f.key == "lonely" && f.value.empty()));
}

TEST_CASE("modules.builtin.modinfo: the module's own run of strings", "[modinfo]") {
  TempDir d;
  d.write("modules.builtin.modinfo", bin("ab.license=GPL\0a.alias=x\0a.file=y\0b.z=1\0a.late=no\0"));
  std::vector<ModinfoField> f;
  CHECK(builtin_fields(d.path, "a", &f) == 0);
  REQUIRE(f.size() == 2);
  CHECK((f[0].key == "alias" && f[0].value == "x" && f[1].key == "file"));
  f.clear();
  CHECK(builtin_fields(d.path, "none", &f) == 0);
  CHECK(f.empty());
  TempDir e;
  CHECK(builtin_fields(e.path, "a", &f) == ENOENT);
  e.write("modules.builtin.modinfo", bin("nodot\0"));
  CHECK(builtin_fields(e.path, "a", &f) == EINVAL);
}
