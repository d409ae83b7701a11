// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/depmod_cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <charconv>
#include <climits>
#include <cstdio>
#include <optional>

#include "common/file_util.h"

namespace po = boost::program_options;

namespace mng {

namespace {

// One row per option: what Boost parses and what --help lists.  Rows are
// in the order of the descriptions Boost matches against (its messages
// list candidates in that order).
enum Section { kOptions, kDistribution, kOld };
const CliOption kDepmodOptions[] = {
    {'a', "all", nullptr, "Probe all modules (the default without\nfile arguments)", 1, kOptions},
    {'A', "quick", nullptr, "Only does the work if there's a new module", 2, kOptions},
    {'b', "basedir", "=DIR", "Use an image of a module tree.", 3, kDistribution},
    {'o', "outdir", "=DIR", "Write the output files under DIR instead\nof BASEDIR.", 4, kDistribution},
    {'m', "moduledir", "=DIR", "Module directory relative to BASEDIR\n(default: the build's, lib/modules, or\nusr/lib/modules if only that has VERSION).", 5, kDistribution},
    {'C', "config", "=PATH", "Read configuration from PATH (a file or\na directory; repeatable)", 6, kOptions, true},
    {'E', "symvers", "=FILE", "Use Module.symvers file to check\nsymbol versions.", 7, kDistribution},
    {'F', "filesyms", "=FILE", "Use the file instead of the\ncurrent kernel symbols.", 8, kDistribution},
    {'e', "errsyms", nullptr, "Report not supplied symbols (needs -E or -F)", 9, kOptions},
    {'n', "dry-run", nullptr, "Write the dependency files on stdout only", 10, kOptions},
    {0, "show", nullptr, "Same as --dry-run", 11, kOptions},
    {'P', "symbol-prefix", "=CHAR", "Architecture symbol prefix", 12, kOptions},
    {'v', "verbose", nullptr, "Enable verbose mode (each dependency found,\non stdout)", 13, kOptions},
    {'w', "warn", nullptr, "Warn on duplicates", 14, kOptions},
    {'j', "jobs", "=N", "Use N threads to read modules, two to resolve\nand write when N > 1 (default: one per core;\nalso $MNG_DEPMOD_JOBS)", 30, kOptions},
    {0, "modutils-layout", nullptr,
     "Write modules.dep as modutils 2.4 did: absolute\npaths, one dependency per continued line, a\n"
     "blank line after each module",
     15, kOptions},
    {0, "index-layout", "=kmod30|kmod34",
     "Order of the nodes in the .bin indexes: kmod30\n(the default; children before parents, as kmod\n"
     "up to 33 writes) or kmod34 (parents first, as\nkmod 34 writes); both are read by every kmod",
     25, kOptions},
    {0, "allow-unsafe-config", nullptr,
     "As root, read configuration files that a user\nother than root could change (refused otherwise)", 16,
     kOptions},
    {0, "no-cache", nullptr, "Read every module, neither using nor\nwriting modules.cache", 17, kOptions},
    {'V', "version", nullptr, "show version", 18, kOptions},
    {'h', "help", nullptr, "show this help", 19, kOptions},
    // modutils 2.4's options, with its meanings, and kmod's old --map.
    {'q', "quiet", nullptr, "Print no message about unresolved\nsymbols", 20, kOld},
    {'u', "unresolved-error", nullptr, "Exit with status 1 when a symbol is\nunresolved (needs -E or -F)", 21, kOld},
    {'r', "root", nullptr, "Accepted; modules are used whoever owns\nthem", 22, kOld},
    {'s', "syslog", nullptr, "Send messages to syslog instead of\nstandard error", 23, kOld},
    {0, "map", nullptr, "Ignored, with a warning", 24, kOld},
};

}  // namespace

std::string depmod_usage() {
  constexpr size_t width = 28;
  return "Usage:\n"
         "\tdepmod -[aA] [options] [forced_version]\n"
         "\tdepmod [options] version file...\n"
         "\tdepmod [options] file...\n"
         "\n"
         "If no arguments (except options) are given, \"depmod -a\" is assumed\n"
         "\n"
         "Reads every module under BASEDIR/lib/modules/VERSION (default: the running\n"
         "kernel's version) and writes, in that directory, modules.dep (each module\n"
         "with every module it needs, in load order read right to left),\n"
         "modules.alias, modules.softdep, modules.weakdep, modules.symbols and\n"
         "modules.devname.  The files are replaced together: readers never see a\n"
         "partly written file.  With file arguments only those modules are used and\n"
         "depmod.d is not read; with files and no version (modutils' form), their\n"
         "dependency lines are printed in modutils' layout and nothing is\n"
         "written.  An operand that contains '/' or names an existing file is a\n"
         "module file.  Under a modutils configuration (/etc/modules.conf,\n"
         "/etc/conf.modules, $MODULECONFIG or a legacy file given with -C) the\n"
         "path[] directories are scanned and modules.dep goes where depfile= says.\n"
         "Run by root, depmod stops without writing anything if a configuration\n"
         "file is not owned by root or is writable by everyone or a group other\n"
         "than root's.\n"
         "\n" +
         cli_help_sections(kDepmodOptions,
                           {{"Options", kOptions},
                            {"The following options are useful for people managing distributions", kDistribution},
                            {"Old options, accepted so that existing scripts keep working", kOld}},
                           width);
}

std::span<const CliOption> depmod_option_table() { return kDepmodOptions; }

namespace {

std::string absolute(const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return p;
  return std::string(cwd) + "/" + p;
}

bool looks_like_version(const std::string& s) {
  unsigned a, b;
  return sscanf(s.c_str(), "%u.%u", &a, &b) == 2;
}

// An operand is a module file by what it is, wherever it stands.
bool names_a_file(const std::string& s) {
  if (s.find('/') != std::string::npos) return true;
  struct stat st;
  return stat(s.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// -j N / MNG_DEPMOD_JOBS: a whole number from 1 to 1024.
bool parse_jobs(const std::string& s, unsigned* out) {
  unsigned n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 1 || n > 1024) return false;
  *out = n;
  return true;
}

Diagnostic message(Level level, std::string text) {
  Diagnostic d;
  d.level = level;
  d.text = std::move(text);
  return d;
}

}  // namespace

namespace {

// The operands: a version and absolute module files (kmod), or module
// files alone (modutils' `depmod file...`).
void take_operands(const std::vector<std::string>& args, const std::string& running_release, DepmodCommand* cmd) {
  using Action = DepmodCommand::Action;
  DepmodOptions& opt = cmd->opt;
  if (args.empty()) {
    opt.kver = running_release;
    return;
  }
  if (names_a_file(args[0])) {
    // modutils: module files only; their dependencies on standard output.
    opt.kver = running_release;
    for (const auto& a : args) opt.files.push_back(absolute(a));
    opt.files_dep_to_stdout = true;
    opt.modutils_layout = true;
    opt.quick = false;  // nothing is written, so nothing can be up to date
    return;
  }
  if (!looks_like_version(args[0])) {
    cmd->action = Action::error;
    cmd->messages.push_back(message(Level::error, "Bad version passed " + args[0]));
    return;
  }
  opt.kver = args[0];
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] != '/') {
      cmd->action = Action::error;
      cmd->messages.push_back(message(Level::fatal, args[i] + ": not absolute path."));
      return;
    }
    opt.files.push_back(args[i]);
  }
}

}  // namespace

std::string read_depmod_words(const std::vector<std::string>& words, po::variables_map* vm) {
  po::options_description all = cli_descriptions(depmod_option_table());
  all.add_options()("args", po::value<std::vector<std::string>>(), "version and module files");
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

DepmodCommand parse_depmod_command_line(const std::vector<std::string>& words, const std::string& running_release) {
  using Action = DepmodCommand::Action;
  DepmodCommand cmd;
  po::variables_map vm;
  std::string error = read_depmod_words(words, &vm);
  if (!error.empty()) {
    cmd.action = Action::usage_error;
    cmd.messages.push_back(message(Level::fatal, error));
    return cmd;
  }
  if (vm.count("help")) {
    cmd.action = Action::help;
    return cmd;
  }
  if (vm.count("version")) {
    cmd.action = Action::version;
    return cmd;
  }

  DepmodOptions& opt = cmd.opt;
  cmd.syslog = vm.count("syslog");
  // kmod's wording for the option it no longer uses.
  if (vm.count("map")) cmd.messages.push_back(message(Level::warning, "Ignored deprecated option --map"));
  if (vm.count("basedir")) opt.basedir = absolute(vm["basedir"].as<std::string>());
  while (opt.basedir.size() > 1 && opt.basedir.back() == '/') opt.basedir.pop_back();
  if (vm.count("outdir")) opt.outdir = absolute(vm["outdir"].as<std::string>());
  if (vm.count("moduledir")) opt.moduledir = vm["moduledir"].as<std::string>(), opt.moduledir_set = true;
  if (vm.count("config")) opt.config_paths = vm["config"].as<std::vector<std::string>>();
  if (vm.count("symvers")) opt.symvers = vm["symvers"].as<std::string>();
  if (vm.count("filesyms")) opt.system_map = vm["filesyms"].as<std::string>();
  opt.errsyms = vm.count("errsyms");
  opt.quick = vm.count("quick");
  opt.dry_run = vm.count("dry-run") || vm.count("show");
  opt.verbose = vm.count("verbose");
  opt.warn_dups = vm.count("warn");
  opt.modutils_layout = vm.count("modutils-layout");
  if (vm.count("index-layout")) {
    std::string l = vm["index-layout"].as<std::string>();
    if (l != "kmod30" && l != "kmod34") {
      cmd.action = Action::usage_error;
      cmd.messages.push_back(message(Level::fatal, "--index-layout: '" + l + "' is neither kmod30 nor kmod34"));
      return cmd;
    }
    opt.index_layout = l == "kmod34" ? IndexLayout::pre_order : IndexLayout::post_order;
  }
  opt.quiet_unresolved = vm.count("quiet");
  opt.unresolved_error = vm.count("unresolved-error");
  opt.use_cache = !vm.count("no-cache");
  // -r: modutils refused modules not owned by root unless given; module
  // files are used whoever owns them, so there is nothing to turn off.
  opt.trusted_only = geteuid() == 0 && !vm.count("allow-unsafe-config");
  std::optional<std::string> jobs = env_value("MNG_DEPMOD_JOBS");
  if (vm.count("jobs")) jobs = vm["jobs"].as<std::string>();
  if (jobs && !parse_jobs(*jobs, &opt.threads)) {
    cmd.action = Action::error;
    cmd.messages.push_back(message(Level::fatal, "invalid number of jobs: " + *jobs));
    return cmd;
  }
  if (vm.count("symbol-prefix")) {
    std::string p = vm["symbol-prefix"].as<std::string>();
    if (p.size() != 1) {
      cmd.action = Action::error;
      cmd.messages.push_back(message(Level::fatal, "-P only takes a single char"));
      return cmd;
    }
    opt.sym_prefix = p[0];
  }

  std::vector<std::string> args;
  if (vm.count("args")) args = vm["args"].as<std::vector<std::string>>();
  take_operands(args, running_release, &cmd);
  return cmd;
}

}  // namespace mng
