// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/cli_help.h"

#include <boost/program_options/value_semantic.hpp>
#include <algorithm>
#include <vector>

namespace po = boost::program_options;

namespace mng {

std::string cli_option_column(const CliOption& o) {
  std::string s = o.short_name ? std::string("-") + o.short_name + ", " : std::string("    ");
  s += "--";
  s += o.long_name;
  if (o.arg) s += o.arg;
  return s;
}

std::string cli_help_section(std::span<const CliOption> table, int section, size_t width) {
  std::string out;
  for (const CliOption& o : table) {
    if (o.section != section || !o.help) continue;
    std::string left = cli_option_column(o);
    left.resize(std::max(width, left.size() + 1), ' ');
    std::string_view text = o.help;
    bool first = true;
    for (;;) {
      size_t nl = text.find('\n');
      out += '\t';
      out += first ? left : std::string(width, ' ');
      out += text.substr(0, nl);
      out += '\n';
      first = false;
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
  }
  return out;
}

po::options_description cli_descriptions(std::span<const CliOption> table) {
  po::options_description desc;
  for (size_t i = 0; i < table.size(); ++i) {
    bool seen = false;
    for (size_t j = 0; j < i; ++j) seen = seen || table[j].id == table[i].id;
    if (seen) continue;
    std::string names;
    char short_name = 0;
    const char* help = "";
    for (size_t j = i; j < table.size(); ++j) {
      if (table[j].id != table[i].id) continue;
      if (!names.empty()) names += ',';
      names += table[j].long_name;
      if (table[j].short_name) short_name = table[j].short_name;
      if (table[j].help && !*help) help = table[j].help;
    }
    if (short_name) names += std::string(",") + short_name;
    if (table[i].arg && table[i].many)
      desc.add_options()(names.c_str(), po::value<std::vector<std::string>>()->composing(), help);
    else if (table[i].arg)
      desc.add_options()(names.c_str(), po::value<std::string>(), help);
    else desc.add_options()(names.c_str(), help);
  }
  return desc;
}

const CliOption* cli_find_key(std::span<const CliOption> table, const std::string& key) {
  for (const CliOption& o : table)
    if (key == o.long_name) return &o;
  return nullptr;
}

std::string cli_help_sections(std::span<const CliOption> table, std::initializer_list<CliHelpTitle> titles,
                              size_t width) {
  std::string out;
  for (const CliHelpTitle& t : titles) {
    if (!out.empty()) out += '\n';
    out += std::string(t.title) + ":\n" + cli_help_section(table, t.section, width);
  }
  return out;
}

}  // namespace mng
