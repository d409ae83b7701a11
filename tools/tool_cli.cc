// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/tool_cli.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <iostream>

#include "common/version.h"

namespace po = boost::program_options;

namespace mng {

int ToolArgs::count(int id) const {
  int n = 0;
  for (const auto& o : options) n += o.first == id;
  return n;
}

std::string ToolArgs::value(int id) const {
  std::string v;
  for (const auto& o : options)
    if (o.first == id) v = o.second;
  return v;
}

namespace {

// getopt's wording for what Boost refused.  A value can only be missing
// at the end, so the last word says how the option was written.
std::string getopt_message(const po::error& e, const std::vector<std::string>& words) {
  if (const auto* u = dynamic_cast<const po::unknown_option*>(&e)) {
    std::string name = u->get_option_name();
    if (name.starts_with("--")) return "unrecognized option '" + name + "'";
    return "invalid option -- '" + name.substr(name.starts_with("-") ? 1 : 0, 1) + "'";
  }
  if (const auto* s = dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
    std::string name = s->get_option_name();
    if (s->kind() == po::invalid_syntax::missing_parameter) {
      const std::string last = words.empty() ? name : words.back();
      if (last.starts_with("--")) return "option '" + last + "' requires an argument";
      return "option requires an argument -- '" + last.substr(last.size() - 1) + "'";
    }
    if (s->kind() == po::invalid_syntax::extra_parameter) return "option '" + name + "' doesn't allow an argument";
  }
  if (const auto* a = dynamic_cast<const po::ambiguous_option*>(&e))
    return "option '" + a->get_option_name() + "' is ambiguous";
  return e.what();
}

}  // namespace

ToolArgs read_tool_args(std::span<const CliOption> table, const std::vector<std::string>& words) {
  ToolArgs out;
  po::options_description desc = cli_descriptions(table);
  desc.add_options()("operands", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("operands", -1);
  try {
    po::parsed_options parsed = po::command_line_parser(words)
                                    .options(desc)
                                    .positional(pos)
                                    .style(po::command_line_style::unix_style)
                                    .run();
    for (const po::option& o : parsed.options) {
      if (o.string_key == "operands") {
        out.operands.insert(out.operands.end(), o.value.begin(), o.value.end());
        continue;
      }
      const CliOption* row = cli_find_key(table, o.string_key);
      if (row) out.options.emplace_back(row->id, o.value.empty() ? "" : o.value.front());
    }
  } catch (const po::error& e) {
    out.error = getopt_message(e, words);
  }
  return out;
}

std::string tool_version(const std::string& tool) {
  return "modutils-ng " + (tool.empty() ? "" : tool + " ") + "version " MNG_VERSION "\n" MNG_FEATURES "\n";
}

std::string program_name(const char* argv0) {
  std::string s = argv0 ? argv0 : "";
  size_t slash = s.rfind('/');
  return slash == std::string::npos ? s : s.substr(slash + 1);
}

int run_tool(int argc, char** argv, const char* fallback, ToolFunction tool) {
  RealKernel kernel;
  ToolEnv env{kernel, std::cout, Logger{}, ""};
  env.log.program = argc > 0 ? program_name(argv[0]) : fallback;
  if (env.log.program.empty()) env.log.program = fallback;
  env.log.max_level = static_cast<int>(Level::warning);
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  int rc = tool(args, env);
  std::cout.flush();
  return rc;
}

}  // namespace mng
