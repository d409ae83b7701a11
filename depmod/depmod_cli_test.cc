// depmod's option table: --help lists every option, every listed spelling
// parses, and the Boost descriptions are the ones depmod always had.
#include "depmod/depmod_cli.h"

#include <boost/program_options.hpp>
#include <catch2/catch.hpp>
#include <sstream>

using namespace mng;
namespace po = boost::program_options;

namespace {

// Parses as depmod's main does; returns "" or Boost's message.
std::string parse(std::vector<std::string> words, po::variables_map* vm) {
  po::options_description all = cli_descriptions(depmod_option_table());
  all.add_options()("args", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("args", -1);
  try {
    po::store(po::command_line_parser(words)
                  .options(all)
                  .positional(pos)
                  .style(po::command_line_style::unix_style)
                  .run(),
              *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    return e.what();
  }
  return "";
}

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
                     {"verbose", 'v', false},     {"warn", 'w', false},    {"modutils-layout", 0, false},
                     {"allow-unsafe-config", 0, false}, {"version", 'V', false}, {"help", 'h', false}};
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
  CHECK(parsed == 33);  // 18 long spellings, 15 short ones
}
