// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/options.h"
#include "common/file_util.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/option.hpp>
#include <boost/program_options/options_description.hpp>
#include <boost/program_options/parsers.hpp>
#include <boost/program_options/positional_options.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "common/cli_help.h"
#include "common/version.h"

namespace po = boost::program_options;

namespace mng {

namespace {

enum Id {
  kAll, kRemove, kRemoveHolders, kWait, kResolveAlias, kFirstTime, kIgnore, kBlacklist, kForce,
  kForceModversion, kForceVermagic, kShowDepends, kShowConfig, kShowModversions, kShowExports, kDryRun,
  kConfig, kDirname, kSetVersion, kSyslog, kQuiet, kVerbose, kVersion, kHelp, kType, kList, kAutoclean,
  kAllowUnsafeConfig,
};

enum Section { kManagement, kQuery, kGeneral };

// The order is kmod's getopt_long table: a long name given in part names
// the first row it starts, two such rows are ambiguous when their ids
// differ, and the ambiguity message lists rows in this order.  Within a
// section it is also the --help order.
const CliOption kOptions[] = {
    {'a', "all", nullptr, "Consider every non-argument to\nbe a module name to be inserted\nor removed (-r)", kAll,
     kManagement},
    {'r', "remove", nullptr, "Remove modules instead of inserting", kRemove, kManagement},
    {0, "remove-dependencies", nullptr, "Deprecated: use --remove-holders", kRemoveHolders, kManagement},
    {0, "remove-holders", nullptr, "Also remove module holders (use together with -r)", kRemoveHolders, kManagement},
    {'w', "wait", " <MSEC>",
     "When removing a module, wait up to MSEC for\nmodule's refcount to become 0 so it can be\n"
     "removed (use together with -r)",
     kWait, kManagement},
    {'R', "resolve-alias", nullptr, "Only lookup and print alias and exit", kResolveAlias, kQuery},
    {'R', "show-alias", nullptr, nullptr, kResolveAlias, kQuery},  // kmod's old name, unlisted there too
    {0, "first-time", nullptr, "Fail if module already inserted or removed", kFirstTime, kManagement},
    {'i', "ignore-install", nullptr, "Ignore install commands", kIgnore, kManagement},
    {'i', "ignore-remove", nullptr, "Ignore remove commands", kIgnore, kManagement},
    {'b', "use-blacklist", nullptr, "Apply blacklist to resolved alias.", kBlacklist, kManagement},
    {'f', "force", nullptr, "Force module insertion or removal.\nimplies --force-modversions and\n--force-vermagic",
     kForce, kManagement},
    {0, "force-modversion", nullptr, "Ignore module's version", kForceModversion, kManagement},
    {0, "force-vermagic", nullptr, "Ignore module's version magic", kForceVermagic, kManagement},
    {'D', "show-depends", nullptr, "Only print module dependencies and exit", kShowDepends, kQuery},
    {'c', "showconfig", nullptr, "Print out known configuration and exit", kShowConfig, kQuery},
    {'c', "show-config", nullptr, "Same as --showconfig", kShowConfig, kQuery},
    {0, "show-modversions", nullptr, "Dump module symbol version and exit", kShowModversions, kQuery},
    {0, "dump-modversions", nullptr, "Same as --show-modversions", kShowModversions, kQuery},
    {0, "show-exports", nullptr, "Only print module exported symbol versions and exit", kShowExports, kQuery},
    {'n', "dry-run", nullptr, "Do not execute operations, just print out", kDryRun, kGeneral},
    {'n', "show", nullptr, "Same as --dry-run", kDryRun, kGeneral},
    {'C', "config", "=FILE", "Use FILE instead of default search paths", kConfig, kGeneral},
    {'d', "dirname", "=DIR", "Use DIR as filesystem root for /lib/modules", kDirname, kGeneral},
    {'S', "set-version", "=VERSION", "Use VERSION instead of `uname -r`", kSetVersion, kGeneral},
    {'s', "syslog", nullptr, "print to syslog, not stderr", kSyslog, kGeneral},
    {'q', "quiet", nullptr, "disable messages", kQuiet, kGeneral},
    {'v', "verbose", nullptr, "enables more messages", kVerbose, kGeneral},
    {'V', "version", nullptr, "show version", kVersion, kGeneral},
    {'h', "help", nullptr, "show this help", kHelp, kGeneral},
    // modutils
    {'t', "type", " TAG", "Only modules under a path[TAG] directory\nor with /TAG/ in their path (modutils)", kType,
     kManagement},
    {'l', "list", nullptr, "List module files (modutils)", kList, kQuery},
    {'k', "autoclean", nullptr, "modutils' autoclean flag (implies -q)", kAutoclean, kManagement},
    {0, "allow-unsafe-config", nullptr,
     "As root, read configuration files that a user\nother than root could change (refused otherwise)",
     kAllowUnsafeConfig, kGeneral},
};

constexpr size_t kHelpWidth = 28;

// What safe mode lets a caller choose (see options.h).
bool allowed_in_safe_mode(const CliOption& o) { return o.short_name && std::strchr("abknqsv", o.short_name); }

// How an option is named in messages: its short name, else its first long one.
std::string option_display(const CliOption& o) {
  if (o.short_name) return std::string("-") + o.short_name;
  return std::string("--") + o.long_name;
}

// The row a long name given on the command line stands for, as getopt_long
// picks it: the exact name, else the first row it is the start of.
const CliOption* long_row(std::string_view name) {
  for (const CliOption& o : kOptions)
    if (name == o.long_name) return &o;
  for (const CliOption& o : kOptions)
    if (std::string_view(o.long_name).starts_with(name)) return &o;
  return nullptr;
}

// getopt_long's list for a name that starts several options.
std::string ambiguity(std::string_view name, std::string_view written) {
  const CliOption* first = long_row(name);
  std::string msg = "option '--" + std::string(written) + "' is ambiguous; possibilities:";
  for (const CliOption& o : kOptions)
    if (std::string_view(o.long_name).starts_with(name) && (&o == first || o.id != first->id))
      msg += std::string(" '--") + o.long_name + "'";
  return msg;
}

// A parse error travels through Boost as an option no description matches,
// in its place among the others, so that what comes first is reported.
const char kErrorMark = '\x01';

po::option error_option(const std::string& message) {
  po::option e;
  e.string_key = kErrorMark + message;
  return e;
}

po::option short_option(char c) {
  po::option opt;
  opt.string_key = std::string("-") + c;
  return opt;
}

// Where getopt and Boost's unix style differ on short options: a value
// that is a separate word is the next word whatever it looks like (Boost
// refuses one of our options, and would ask this parser about the word),
// and a value missing at the end is an error in its place.
std::vector<po::option> short_cluster(std::vector<std::string>& args, const po::options_description& desc) {
  const std::string& tok = args[0];
  std::vector<po::option> flags;
  for (size_t i = 1; i < tok.size(); ++i) {
    const po::option_description* d = desc.find_nothrow(std::string("-") + tok[i], false);
    if (!d) return {};  // Boost reports the unknown letter after the flags before it
    if (d->semantic()->max_tokens() == 0) {
      flags.push_back(short_option(tok[i]));
      continue;
    }
    if (i + 1 < tok.size()) return {};  // "-Cfile", "-nCfile": Boost's own reading
    if (args.size() < 2) {
      flags.push_back(error_option(std::string("option requires an argument -- '") + tok[i] + "'"));
      args.erase(args.begin());
      return flags;
    }
    po::option opt = short_option(tok[i]);
    opt.original_tokens = {tok, args[1]};
    opt.value.push_back(args[1]);
    flags.push_back(std::move(opt));
    args.erase(args.begin(), args.begin() + 2);
    return flags;
  }
  return {};  // flags only: Boost's own reading
}

// Long options the way getopt_long reads them where Boost would not: a
// value after '=' may be empty, a value option takes the next word
// whatever it is, and unknown, ambiguous, missing and unwanted values are
// reported in getopt's words.
std::vector<po::option> long_option(std::vector<std::string>& args, const po::options_description& desc) {
  const std::string tok = args[0];
  std::string_view written = std::string_view(tok).substr(2);
  size_t eq = written.find('=');
  std::string name(written.substr(0, eq));
  const po::option_description* d = nullptr;
  if (!name.starts_with('-')) {
    try {
      d = desc.find_nothrow(name, true);
    } catch (const po::ambiguous_option&) {
      args.erase(args.begin());
      return {error_option(ambiguity(name, written))};
    }
  }
  const CliOption* row = d ? long_row(name) : nullptr;
  if (!row) {
    args.erase(args.begin());
    return {error_option("unrecognized option '" + tok + "'")};
  }
  bool takes_value = d->semantic()->max_tokens() > 0;
  if (takes_value == (eq != std::string_view::npos) && !(takes_value && eq + 1 == written.size()))
    return {};  // "--all", "--config=FILE": Boost's own reading
  po::option opt;
  opt.string_key = name;
  opt.original_tokens.push_back(tok);
  args.erase(args.begin());
  if (!takes_value) return {error_option("option '--" + std::string(row->long_name) + "' doesn't allow an argument")};
  if (eq != std::string_view::npos) {
    opt.value.emplace_back();  // "--config="
  } else if (args.empty()) {
    return {error_option("option '--" + std::string(row->long_name) + "' requires an argument")};
  } else {
    opt.value.push_back(args[0]);
    opt.original_tokens.push_back(args[0]);
    args.erase(args.begin());
  }
  return {std::move(opt)};
}

// With POSIXLY_CORRECT set, getopt stops at the first operand.
std::vector<po::option> operands(std::vector<std::string>& args) {
  std::vector<po::option> out;
  for (const std::string& w : args) {
    po::option opt;
    opt.value.push_back(w);
    opt.original_tokens.push_back(w);
    opt.position_key = INT_MAX;
    out.push_back(std::move(opt));
  }
  args.clear();
  return out;
}

// Applies one option; returns an error text, or "" when it was fine.
std::string apply(ModprobeOptions& o, int id, const std::string& value) {
  switch (id) {
    case kAll: o.all = true; break;
    case kRemove: o.remove = true; break;
    case kRemoveHolders: o.remove = true; o.remove_holders = true; break;
    case kWait: {
      char* end = nullptr;
      errno = 0;
      unsigned long v = std::strtoul(value.c_str(), &end, 0);
      if (value.empty() || *end || errno || v > 0xffffffffUL) return "unexpected wait value '" + value + "'.";
      o.wait_msec = static_cast<unsigned>(v);
      break;
    }
    case kResolveAlias: o.resolve_alias = true; break;
    case kIgnore: o.ignore_commands = true; break;
    case kBlacklist: o.use_blacklist = true; break;
    case kForce: o.force_vermagic = o.force_modversion = true; break;
    case kForceModversion: o.force_modversion = true; break;
    case kForceVermagic: o.force_vermagic = true; break;
    case kFirstTime: o.first_time = true; break;
    case kShowDepends: o.show_depends = true; break;
    case kShowConfig: o.show_config = true; break;
    case kShowModversions: o.show_modversions = true; break;
    case kShowExports: o.show_exports = true; break;
    case kDryRun: o.dry_run = true; break;
    case kConfig: o.configs.push_back(value); break;
    case kDirname: o.dirname = value; break;
    case kSetVersion: o.kversion = value; break;
    case kSyslog: o.syslog = true; break;
    case kQuiet: o.quiet = true; break;
    case kVerbose: ++o.verbose; break;
    case kVersion: o.version = true; break;
    case kHelp: o.help = true; break;
    case kType: o.has_tag = true; o.tag = value; break;
    case kList: o.list = true; break;
    case kAutoclean: o.autoclean = true; o.quiet = true; break;
    case kAllowUnsafeConfig: o.allow_unsafe_config = true; break;
  }
  return "";
}

// Boost's parse, in command-line order, with the rules above.  Names are
// looked up in the table's descriptions only: the operands' description
// is not an option anyone can name.
std::vector<po::option> parse_words(const std::vector<std::string>& words) {
  static const po::options_description named = cli_descriptions(kOptions);
  static const po::options_description desc = [] {
    po::options_description d;
    d.add(named).add_options()("args", po::value<std::vector<std::string>>());
    return d;
  }();
  po::positional_options_description pos;
  pos.add("args", -1);
  const bool posix = env_value("POSIXLY_CORRECT").has_value();
  auto getopt_rules = [&](std::vector<std::string>& args) -> std::vector<po::option> {
    const std::string& tok = args[0];
    if (tok == "--") return {};
    if (tok.size() < 2 || tok[0] != '-') return posix ? operands(args) : std::vector<po::option>{};
    return tok[1] == '-' ? long_option(args, named) : short_cluster(args, named);
  };
  return po::command_line_parser(words)
      .options(desc)
      .positional(pos)
      .style(po::command_line_style::unix_style)
      .extra_style_parser(getopt_rules)
      .allow_unregistered()
      .run()
      .options;
}

}  // namespace

bool is_safe_mode(const std::vector<std::string>& environment, bool ids_differ) {
  if (ids_differ) return true;
  static const char* const kKernelEnv[] = {"HOME=/", "TERM=linux", "PATH=/sbin:/usr/sbin:/bin:/usr/bin"};
  if (environment.size() != 3) return false;
  for (const char* want : kKernelEnv)
    if (std::find(environment.begin(), environment.end(), want) == environment.end()) return false;
  return true;
}

std::vector<std::string> option_words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote) quote = 0;
      else cur.push_back(c);
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur.push_back(c);
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

namespace {

// Safe mode's last word: the one operand, checked.
const char* safe_operand_problem(const ModprobeOptions& o, const std::string& operand) {
  if (!o.args.empty()) return "Safe mode has more than one parameter";
  if (operand.starts_with('-')) return "Safe mode parameter starts with '-'";
  if (operand.find('=') != std::string::npos) return "Safe mode parameter contains '='";
  return nullptr;
}

}  // namespace

ParsedOptions parse_modprobe_args(const std::vector<std::string>& argv_in, const char* env_options,
                                  bool safe_mode) {
  ParsedOptions r;
  ModprobeOptions& o = r.opts;
  o.safe_mode = safe_mode;
  const std::string program = argv_in.empty() ? std::string("modprobe") : argv_in[0];
  std::vector<std::string> words;
  if (env_options && !safe_mode) words = option_words(env_options);
  words.insert(words.end(), argv_in.begin() + std::min<size_t>(argv_in.size(), 1), argv_in.end());
  std::string safe_operand;
  bool has_safe_operand = safe_mode && !words.empty();
  if (has_safe_operand) {
    safe_operand = words.back();
    words.pop_back();
  }

  std::vector<std::string> positional;  // kept only when the whole line is fine
  for (const po::option& opt : parse_words(words)) {
    if (opt.position_key != -1) {
      positional.push_back(opt.value.front());
      continue;
    }
    const CliOption* row = opt.unregistered ? nullptr : cli_find_key(kOptions, opt.string_key);
    if (!row) {
      const std::string& key = opt.string_key;
      std::string msg = key.starts_with(kErrorMark) ? key.substr(1) : std::string("invalid option -- '") + key[1] + "'";
      r.ok = false;
      r.usage_error = program + ": " + msg + "\n";
      return r;
    }
    if (safe_mode && !allowed_in_safe_mode(*row)) {
      r.ok = false;
      r.error = "Safe mode does not allow option " + option_display(*row);
      return r;
    }
    r.error = apply(o, row->id, opt.value.empty() ? std::string() : opt.value.front());
    if (!r.error.empty()) {
      r.ok = false;
      return r;
    }
  }
  o.args = std::move(positional);
  if (has_safe_operand) {
    if (const char* why = safe_operand_problem(o, safe_operand)) {
      r.ok = false;
      r.error = why;
      r.plain_error = true;
      return r;
    }
    o.args.push_back(safe_operand);
  }
  return r;
}

std::string modprobe_usage() {
  return "Usage:\n"
         "\tmodprobe [options] [-i] [-b] modulename [sym=value ...]\n"
         "\tmodprobe [options] -a [-i] [-b] modulename [modulename...]\n"
         "\tmodprobe [options] -r [-i] modulename\n"
         "\tmodprobe [options] -r -a [-i] modulename [modulename...]\n"
         "\tmodprobe [options] -c\n"
         "\tmodprobe [options] --dump-modversions filename\n"
         "\tmodprobe [options] [-a] -t tag [pattern...]\n"
         "\tmodprobe [options] -l [-t tag] [pattern...]\n" +
         cli_help_sections(kOptions,
                             {{"Management Options", kManagement},
                              {"Query Options", kQuery},
                              {"General Options", kGeneral}},
                             kHelpWidth) +
         "\n"
         "Safe mode (the kernel's environment, or set-uid): one module name, last,\n"
         "never a pattern or path; only -a -b -k -n -q -s -v; environment ignored.\n";
}

std::span<const CliOption> modprobe_option_table() { return kOptions; }

const char* modprobe_version_text() {
  return "modutils-ng modprobe version " MNG_VERSION " (kmod 30 and modutils 2.4 compatible)\n"
         MNG_FEATURES "\n";
}

}  // namespace mng
