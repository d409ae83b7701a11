// SPDX-License-Identifier: GPL-2.0-or-later
// depmod's option table: --help lists every option, every listed spelling
// parses, and the Boost descriptions are the ones depmod always had.
#include "depmod/depmod_cli.h"

#include <boost/program_options.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "tests/test_util.h"

using namespace mng;
namespace po = boost::program_options;

namespace {

// Parses as depmod's main does; returns "" or Boost's message.
std::string parse(std::vector<std::string> words, po::variables_map* vm) { return read_depmod_words(words, vm); }

}  // namespace

TEST_CASE("depmod's descriptions: the names, values and repeats it had", "[depmod][options]") {
  struct Old {
    const char* key;
    char short_name;
    bool value;
  };
  const Old old[] = {{"all", 'a', false},        {"quick", 'A', false},   {"basedir", 'b', true},
                     {"outdir", 'o', true},       {"moduledir", 'm', true}, {"config", 'C', true},
                     {"symvers", 'E', true},      {"filesyms", 'F', true}, {"errsyms", 'e', false},
                     {"dry-run", 'n', false},     {"show", 0, false},      {"symbol-prefix", 'P', true},
                     {"verbose", 'v', false},     {"warn", 'w', false},    {"jobs", 'j', true},
                     {"modutils-layout", 0, false}, {"index-layout", 0, true},   {"allow-unsafe-config", 0, false}, {"no-cache", 0, false},
                     {"version", 'V', false},     {"help", 'h', false},
                     // modutils' -q -u -r -s and kmod's old --map, after the others.
                     {"quiet", 'q', false},       {"unresolved-error", 'u', false}, {"root", 'r', false},
                     {"syslog", 's', false},      {"map", 0, false}};
  po::options_description desc = cli_descriptions(depmod_option_table());
  REQUIRE(desc.options().size() == std::size(old));
  for (size_t i = 0; i < std::size(old); ++i) {
    INFO("option " << old[i].key);
    const po::option_description& d = *desc.options()[i];
    CHECK(d.long_name() == old[i].key);
    if (old[i].short_name) CHECK(desc.find_nothrow(std::string("-") + old[i].short_name, false) == &d);
    else CHECK(d.format_name() == std::string("--") + old[i].key);
    CHECK((d.semantic()->max_tokens() == 1) == old[i].value);
  }
  po::variables_map vm;
  CHECK(parse({"-C", "a", "--config=b", "-Cc", "-n", "--show", "5.1"}, &vm) == "");
  CHECK(vm["config"].as<std::vector<std::string>>() == std::vector<std::string>{"a", "b", "c"});
  CHECK(vm.count("dry-run") == 1);
  CHECK(vm.count("show") == 1);
  CHECK(parse_depmod_command_line({"5.1"}, "6.0").opt.use_cache);
  CHECK_FALSE(parse_depmod_command_line({"--no-cache", "5.1"}, "6.0").opt.use_cache);
  po::variables_map bad;
  CHECK(parse({"-x"}, &bad) == "unrecognised option '-x'");
  CHECK(parse({"-b"}, &bad) == "the required argument for option '--basedir' is missing");
}

TEST_CASE("depmod --help lists every option of the table in kmod's layout, and each listed one parses",
          "[depmod][options][help]") {
  const std::string help = depmod_usage();
  for (const CliOption& o : depmod_option_table()) {
    INFO("option --" << o.long_name);
    REQUIRE(o.help);
    CHECK(help.find("\t" + cli_option_column(o) + " ") != std::string::npos);
  }
  CHECK(help.find("--args") == std::string::npos);
  CHECK(help.find("\t-a, --all                   Probe all modules") != std::string::npos);
  CHECK(help.find("\t-b, --basedir=DIR           Use an image of a module tree.\n") != std::string::npos);
  std::istringstream in(help);
  std::string line;
  size_t parsed = 0;
  while (std::getline(in, line)) {
    bool short_form = line.size() > 3 && line[0] == '\t' && line[1] == '-';
    if (!short_form && !line.starts_with("\t    --")) continue;
    std::string column = line.substr(1, line.find("  ", 5) - 1);
    size_t eq = column.find('=');
    std::vector<std::vector<std::string>> forms;
    std::string long_form = column.substr(column.find("--"));
    forms.push_back({long_form.substr(0, long_form.find('=')) + (eq != std::string::npos ? "=x" : "")});
    if (short_form) {
      forms.push_back({column.substr(0, 2)});
      if (eq != std::string::npos) forms.back().push_back("x");
    }
    for (const auto& words : forms) {
      INFO("help line: " << line);
      po::variables_map vm;
      CHECK(parse(words, &vm) == "");
      CHECK(vm.size() == 1);
      ++parsed;
    }
  }
  CHECK(parsed == 46);  // 26 long spellings, 20 short ones
  CHECK(help.find("Old options, accepted so that existing scripts keep working:\n"
                  "\t-q, --quiet                 Print no message about unresolved\n") != std::string::npos);
  CHECK(help.find("\tdepmod [options] file...\n") != std::string::npos);
}

namespace {

DepmodCommand command(std::vector<std::string> words) { return parse_depmod_command_line(words, "9.9.9-running"); }

std::string messages(const DepmodCommand& c) {
  std::string out;
  for (const auto& m : c.messages) out += m.text + "\n";
  return out;
}

// Runs the body with the current directory set to DIR, restoring it after.
template <class F>
void in_directory(const std::string& dir, F body) {
  std::string old = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  try {
    body();
  } catch (...) {
    std::filesystem::current_path(old);
    throw;
  }
  std::filesystem::current_path(old);
}

}  // namespace

TEST_CASE("depmod -a -q -r -u: modutils' options run, with modutils' meanings", "[depmod][options][legacy]") {
  using Action = DepmodCommand::Action;
  DepmodCommand c = command({"-a", "-q", "-r", "-u"});
  CHECK(c.action == Action::run);
  CHECK(messages(c) == "");
  CHECK(c.opt.quiet_unresolved);
  CHECK(c.opt.unresolved_error);
  CHECK_FALSE(c.syslog);
  CHECK(c.opt.kver == "9.9.9-running");
  // Bundled, and in long form.
  c = command({"-aqru"});
  CHECK(c.action == Action::run);
  CHECK((c.opt.quiet_unresolved && c.opt.unresolved_error));
  c = command({"--quiet", "--root", "--unresolved-error", "--syslog", "2.4.20"});
  CHECK(c.action == Action::run);
  CHECK((c.opt.quiet_unresolved && c.opt.unresolved_error && c.syslog));
  CHECK(c.opt.kver == "2.4.20");
  // None of them is on by default.
  c = command({"-a"});
  CHECK_FALSE((c.opt.quiet_unresolved || c.opt.unresolved_error || c.syslog));
  // -s: messages to syslog.
  CHECK(command({"-s"}).syslog);
}

TEST_CASE("depmod --map is ignored with kmod 30's warning; -m keeps naming the module directory",
          "[depmod][options][legacy]") {
  DepmodCommand c = command({"--map", "-a"});
  CHECK(c.action == DepmodCommand::Action::run);
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].level == Level::warning);
  CHECK(c.messages[0].text == "Ignored deprecated option --map");
  CHECK(command({"--map=x"}).action == DepmodCommand::Action::usage_error);
  c = command({"-m", "boot/mods", "5.1"});
  CHECK(c.action == DepmodCommand::Action::run);
  CHECK(c.opt.moduledir == "boot/mods");
  CHECK(messages(c) == "");
}

TEST_CASE("depmod operands: a module file is known by what it is, not by where it stands",
          "[depmod][options][legacy]") {
  using Action = DepmodCommand::Action;
  // kmod's form: a version, then absolute module files.
  DepmodCommand c = command({"5.10.0", "/x/a.ko"});
  CHECK(c.action == Action::run);
  CHECK(c.opt.kver == "5.10.0");
  CHECK(c.opt.files == std::vector<std::string>{"/x/a.ko"});
  CHECK_FALSE(c.opt.files_dep_to_stdout);
  CHECK(messages(command({"5.10.0", "rel.ko"})) == "rel.ko: not absolute path.\n");
  CHECK(command({"5.10.0", "rel.ko"}).action == Action::error);
  c = command({"notaversion"});
  CHECK(c.action == Action::error);
  CHECK(messages(c) == "Bad version passed notaversion\n");
  CHECK(c.messages[0].level == Level::error);
  // modutils' form: a path with '/' first, even one that does not exist.
  c = command({"-A", "/nowhere/a.o", "/nowhere/b.o"});
  CHECK(c.action == Action::run);
  CHECK(c.opt.kver == "9.9.9-running");
  CHECK(c.opt.files == std::vector<std::string>{"/nowhere/a.o", "/nowhere/b.o"});
  CHECK(c.opt.files_dep_to_stdout);
  CHECK(c.opt.modutils_layout);
  CHECK_FALSE(c.opt.quick);
  // An existing file in the current directory, without '/': a module file;
  // the other relative operands are taken from the current directory too.
  mng::testing::TempDir t;
  mng::testing::write_file(t / "mod_a.o", "x");
  std::filesystem::create_directories(t / "2.4.20");
  in_directory(t.path, [&] {
    DepmodCommand f = command({"mod_a.o", "sub/mod_b.o", "later.o"});
    CHECK(f.action == Action::run);
    CHECK(f.opt.files_dep_to_stdout);
    CHECK(f.opt.files == std::vector<std::string>{t / "mod_a.o", t / "sub/mod_b.o", t / "later.o"});
    // A directory named like a version is still the version.
    DepmodCommand v = command({"2.4.20"});
    CHECK(v.action == Action::run);
    CHECK(v.opt.kver == "2.4.20");
    CHECK(v.opt.files.empty());
    // A missing name without '/' is no file: still checked as a version.
    CHECK(messages(command({"missing.o"})) == "Bad version passed missing.o\n");
  });
}

TEST_CASE("--index-layout picks kmod 30's or kmod 34's node order; kmod 30's by default", "[depmod][options]") {
  CHECK(command({"1.2.3"}).opt.index_layout == IndexLayout::post_order);
  CHECK(command({"--index-layout=kmod34", "1.2.3"}).opt.index_layout == IndexLayout::pre_order);
  CHECK(command({"--index-layout", "kmod30", "1.2.3"}).opt.index_layout == IndexLayout::post_order);
  DepmodCommand bad = command({"--index-layout=kmod33", "1.2.3"});
  CHECK(bad.action == DepmodCommand::Action::usage_error);
  CHECK(messages(bad).find("kmod33") != std::string::npos);
}
