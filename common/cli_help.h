// SPDX-License-Identifier: GPL-2.0-or-later
// One table per tool describes its command line: the Boost.Program_options
// descriptions the parser uses and the --help lines are both made from it,
// so the two cannot disagree.
//
// The help layout is kmod's: a tab, the option column padded to a fixed
// width ("-a, --all", "    --first-time" when there is no short name, the
// argument as written after the long name: "=FILE", " <MSEC>"), then the
// text; further lines of the text start under the first one.
#pragma once
#include <boost/program_options/options_description.hpp>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>

namespace mng {

struct CliOption {
  char short_name;        // 0: long name only
  const char* long_name;  // never null
  const char* arg;        // nullptr: takes no value; else how help shows it
  const char* help;       // lines separated by '\n'; nullptr: accepted, not listed
  int id;                 // rows sharing an id are spellings of one option
  int section;            // which help section lists the row
  bool many = false;      // the value may be given again (collected in order)
};

// The option column of a row ("-C, --config=FILE").
std::string cli_option_column(const CliOption& o);

// The help lines of one section, in table order.
std::string cli_help_section(std::span<const CliOption> table, int section, size_t width);

// Titled sections ("TITLE:\n" and its lines), a blank line between two.
struct CliHelpTitle {
  const char* title;
  int section;
};
std::string cli_help_sections(std::span<const CliOption> table, std::initializer_list<CliHelpTitle> titles,
                              size_t width);

// Boost descriptions: one per id, named by the id's long names in table
// order (the first one is the key) and its short name.  Options with an
// argument take one string (a list of them for `many`).
boost::program_options::options_description cli_descriptions(std::span<const CliOption> table);

// The row whose long name is a Boost key made by cli_descriptions.
const CliOption* cli_find_key(std::span<const CliOption> table, const std::string& key);

}  // namespace mng
