// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_options.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/value_semantic.hpp>

#include "common/version.h"

namespace po = boost::program_options;

namespace mng {
namespace {

enum Id { kAuthor, kDescription, kLicense, kParameters, kFilename, kNull, kModname, kField, kSetVersion,
          kBasedir, kVersion, kHelp };

// kmod's table order, which is also its --help order.
const CliOption kOptions[] = {
    {'a', "author", nullptr, "Print only 'author'", kAuthor, 0},
    {'d', "description", nullptr, "Print only 'description'", kDescription, 0},
    {'l', "license", nullptr, "Print only 'license'", kLicense, 0},
    {'p', "parameters", nullptr, "Print only 'parm'", kParameters, 0},
    {'n', "filename", nullptr, "Print only 'filename'", kFilename, 0},
    {'0', "null", nullptr, "Use \\0 instead of \\n", kNull, 0},
    {'m', "modname", nullptr, "Handle argument as module name instead of alias or filename", kModname, 0},
    {'F', "field", "=FIELD", "Print only provided FIELD", kField, 0},
    {'k', "set-version", "=VERSION", "Use VERSION instead of `uname -r`", kSetVersion, 0},
    {'b', "basedir", "=DIR", "Use DIR as filesystem root for /lib/modules", kBasedir, 0},
    {'V', "version", nullptr, "Show version", kVersion, 0},
    {'h', "help", nullptr, "Show this help", kHelp, 0},
};

// Applies one option; true when reading stops here (-h, -V).
bool apply(ModinfoOptions& o, int id, const std::string& value) {
  static const char* const kFields[] = {"author", "description", "license", "parm", "filename"};
  switch (id) {
    case kAuthor: case kDescription: case kLicense: case kParameters: case kFilename:
      o.field = kFields[id];
      break;
    case kNull: o.separator = '\0'; break;
    case kModname: o.modname = true; break;
    case kField: o.field = value; break;
    case kSetVersion: o.kversion = value; break;
    case kBasedir: o.basedir = value; break;
    case kVersion: o.version = true; return true;
    case kHelp: o.help = true; return true;
  }
  return false;
}

// Boost's messages in getopt's words.  A missing value can only be the
// last word's: getopt names a short option by its letter.
std::string getopt_words(const po::error& e, const std::vector<std::string>& words) {
  if (const auto* u = dynamic_cast<const po::unknown_option*>(&e)) {
    std::string name = u->get_option_name();
    if (name.size() == 2 && name[0] == '-') return std::string("invalid option -- '") + name[1] + "'";
    return "unrecognized option '" + name + "'";
  }
  if (const auto* s = dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
    std::string name = s->get_option_name();
    const std::string last = words.empty() ? "" : words.back();
    if (s->kind() == po::invalid_command_line_syntax::missing_parameter)
      return last.size() >= 2 && last[0] == '-' && last[1] != '-'
                 ? std::string("option requires an argument -- '") + last.back() + "'"
                 : "option '" + name + "' requires an argument";
    if (s->kind() == po::invalid_command_line_syntax::extra_parameter)
      return "option '" + name + "' doesn't allow an argument";
  }
  if (const auto* a = dynamic_cast<const po::ambiguous_option*>(&e))
    return "option '" + a->get_option_name() + "' is ambiguous";
  return e.what();
}

}  // namespace

ModinfoArgs parse_modinfo_args(const std::vector<std::string>& argv) {
  ModinfoArgs r;
  static const po::options_description named = cli_descriptions(kOptions);
  po::options_description desc;
  desc.add(named).add_options()("operands", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("operands", -1);
  std::vector<std::string> words(argv.begin() + (argv.empty() ? 0 : 1), argv.end());
  std::vector<po::option> parsed;
  try {
    parsed = po::command_line_parser(words)
                 .options(desc)
                 .positional(pos)
                 .style(po::command_line_style::unix_style)
                 .allow_unregistered()
                 .run()
                 .options;
  } catch (const po::error& e) {
    r.error = getopt_words(e, words);
    return r;
  }
  for (const po::option& opt : parsed) {
    if (opt.position_key != -1) {
      r.opts.operands.push_back(opt.value.front());
      continue;
    }
    const CliOption* row = opt.unregistered ? nullptr : cli_find_key(kOptions, opt.string_key);
    if (!row) {
      const std::string& key = opt.string_key;
      r.error = key.size() == 2 && key[0] == '-' ? std::string("invalid option -- '") + key[1] + "'"
                                                 : std::string("unrecognized option '") + (key.starts_with("--") ? "" : "--") + key + "'";
      return r;
    }
    if (apply(r.opts, row->id, opt.value.empty() ? std::string() : opt.value.front())) return r;
  }
  return r;
}

std::string modinfo_usage(const std::string& program) {
  return "Usage:\n\t" + program + " [options] <modulename|filename> [args]\nOptions:\n" +
         cli_help_section(kOptions, 0, 28);
}

std::string modinfo_version_text() {
  return "modutils-ng modinfo version " MNG_VERSION " (kmod 30 compatible)\n" MNG_FEATURES "\n";
}

std::span<const CliOption> modinfo_option_table() { return kOptions; }

}  // namespace mng
