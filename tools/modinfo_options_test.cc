// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_options.h"

#include <catch2/catch.hpp>

using namespace mng;

namespace {
ModinfoArgs parse(std::vector<std::string> words) {
  words.insert(words.begin(), "modinfo");
  return parse_modinfo_args(words);
}
}  // namespace

TEST_CASE("modinfo options: the field shortcuts and -F, the last one winning", "[modinfo]") {
  const std::pair<const char*, const char*> shortcuts[] = {
      {"-a", "author"}, {"-d", "description"}, {"-l", "license"}, {"-p", "parm"}, {"-n", "filename"}};
  for (auto [opt, field] : shortcuts) {
    ModinfoArgs a = parse({opt, "m"});
    REQUIRE(a.error.empty());
    CHECK(a.opts.field == field);
  }
  CHECK(parse({"-a", "-F", "vermagic", "m"}).opts.field == "vermagic");
  CHECK(parse({"--field=alias", "-l", "m"}).opts.field == "license");
  CHECK(parse({"-Fsig_key", "m"}).opts.field == "sig_key");
  CHECK_FALSE(parse({"m"}).opts.field.has_value());
}

TEST_CASE("modinfo options: -0 -m -k -b and operands anywhere", "[modinfo]") {
  ModinfoArgs a = parse({"one", "-0", "-k", "6.1", "two", "--basedir", "/r", "-m", "--", "-three"});
  REQUIRE(a.error.empty());
  CHECK(a.opts.separator == '\0');
  CHECK(a.opts.modname);
  CHECK(a.opts.kversion == "6.1");
  CHECK(a.opts.basedir == "/r");
  CHECK(a.opts.operands == std::vector<std::string>{"one", "two", "-three"});
  CHECK(parse({"m"}).opts.separator == '\n');
}

TEST_CASE("modinfo options: -h and -V stop reading; errors in getopt's words", "[modinfo]") {
  ModinfoArgs h = parse({"-h", "-x"});
  CHECK(h.error.empty());
  CHECK(h.opts.help);
  CHECK(parse({"-V"}).opts.version);
  CHECK(parse({"-x", "-h"}).error == "invalid option -- 'x'");
  CHECK(parse({"--bogus"}).error == "unrecognized option '--bogus'");
  CHECK(parse({"m", "-F"}).error == "option requires an argument -- 'F'");
  CHECK(parse({"m", "--field"}).error == "option '--field' requires an argument");
}

TEST_CASE("modinfo usage lists every option of the table", "[modinfo]") {
  std::string u = modinfo_usage("modinfo");
  CHECK(u.starts_with("Usage:\n\tmodinfo [options] <modulename|filename> [args]\nOptions:\n"));
  for (const CliOption& o : modinfo_option_table()) CHECK(u.find(cli_option_column(o)) != std::string::npos);
  CHECK(u.find("\t-F, --field=FIELD           Print only provided FIELD\n") != std::string::npos);
}
