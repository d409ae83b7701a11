// depmod command line (kmod's options, plus the legacy ones).
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "common/cli_help.h"
#include "common/log.h"
#include "depmod/depmod.h"

namespace po = boost::program_options;

namespace {

// One row per option: what Boost parses and what --help lists.  Rows are
// in the order of the descriptions Boost matches against (its messages
// list candidates in that order).
enum Section { kOptions, kDistribution };
const mng::CliOption kDepmodOptions[] = {
    {'a', "all", nullptr, "Probe all modules (the default without\nfile arguments)", 1, kOptions},
    {'A', "quick", nullptr, "Only does the work if there's a new module", 2, kOptions},
    {'b', "basedir", "=DIR", "Use an image of a module tree.", 3, kDistribution},
    {'o', "outdir", "=DIR", "Write the output files under DIR instead\nof BASEDIR.", 4, kDistribution},
    {'m', "moduledir", "=DIR", "Module directory relative to BASEDIR\n(default lib/modules).", 5, kDistribution},
    {'C', "config", "=PATH", "Read configuration from PATH (a file or\na directory; repeatable)", 6, kOptions, true},
    {'E', "symvers", "=FILE", "Use Module.symvers file to check\nsymbol versions.", 7, kDistribution},
    {'F', "filesyms", "=FILE", "Use the file instead of the\ncurrent kernel symbols.", 8, kDistribution},
    {'e', "errsyms", nullptr, "Report not supplied symbols (needs -E or -F)", 9, kOptions},
    {'n', "dry-run", nullptr, "Write the dependency files on stdout only", 10, kOptions},
    {0, "show", nullptr, "Same as --dry-run", 11, kOptions},
    {'P', "symbol-prefix", "=CHAR", "Architecture symbol prefix", 12, kOptions},
    {'v', "verbose", nullptr, "Enable verbose mode (each dependency found,\non stdout)", 13, kOptions},
    {'w', "warn", nullptr, "Warn on duplicates", 14, kOptions},
    {0, "modutils-layout", nullptr,
     "Write modules.dep as modutils 2.4 did: absolute\npaths, one dependency per continued line, a\n"
     "blank line after each module",
     15, kOptions},
    {0, "allow-unsafe-config", nullptr,
     "As root, read configuration files that a user\nother than root could change (refused otherwise)", 16,
     kOptions},
    {'V', "version", nullptr, "show version", 17, kOptions},
    {'h', "help", nullptr, "show this help", 18, kOptions},
};

std::string depmod_usage() {
  constexpr size_t width = 28;
  return "Usage:\n"
         "\tdepmod -[aA] [options] [forced_version]\n"
         "\tdepmod [options] version file...\n"
         "\n"
         "If no arguments (except options) are given, \"depmod -a\" is assumed\n"
         "\n"
         "Reads every module under BASEDIR/lib/modules/VERSION (default: the running\n"
         "kernel's version) and writes, in that directory, modules.dep (each module\n"
         "with every module it needs, in load order read right to left),\n"
         "modules.alias, modules.softdep, modules.weakdep, modules.symbols and\n"
         "modules.devname.  The files are replaced together: readers never see a\n"
         "partly written file.  With file arguments only those modules are used and\n"
         "depmod.d is not read.  Under a modutils configuration (/etc/modules.conf,\n"
         "/etc/conf.modules, $MODULECONFIG or a legacy file given with -C) the\n"
         "path[] directories are scanned and modules.dep goes where depfile= says.\n"
         "Run by root, depmod stops without writing anything if a configuration\n"
         "file is not owned by root or is writable by everyone or a group other\n"
         "than root's.\n"
         "\n"
         "Options:\n" +
         mng::cli_help_section(kDepmodOptions, kOptions, width) +
         "\n"
         "The following options are useful for people managing distributions:\n" +
         mng::cli_help_section(kDepmodOptions, kDistribution, width);
}

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
}  // namespace

int main(int argc, char** argv) {
  mng::set_log_program("depmod");
  po::options_description desc = mng::cli_descriptions(kDepmodOptions);
  po::options_description hidden;
  hidden.add_options()("args", po::value<std::vector<std::string>>(), "version and module files");
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(all)
                  .positional(pos)
                  .style(po::command_line_style::unix_style)
                  .run(),
              vm);
    po::notify(vm);
  } catch (const po::error& e) {
    mng::log(mng::Level::fatal, "%s", e.what());
    std::cerr << "Try 'depmod --help' for more information.\n";
    return 1;
  }
  if (vm.count("help")) {
    std::cout << depmod_usage();
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "modutils-ng depmod version 0.1\n";
    return 0;
  }

  mng::DepmodOptions opt;
  if (vm.count("basedir")) opt.basedir = absolute(vm["basedir"].as<std::string>());
  while (opt.basedir.size() > 1 && opt.basedir.back() == '/') opt.basedir.pop_back();
  if (vm.count("outdir")) opt.outdir = absolute(vm["outdir"].as<std::string>());
  if (vm.count("moduledir")) opt.moduledir = vm["moduledir"].as<std::string>();
  if (vm.count("config")) opt.config_paths = vm["config"].as<std::vector<std::string>>();
  if (vm.count("symvers")) opt.symvers = vm["symvers"].as<std::string>();
  if (vm.count("filesyms")) opt.system_map = vm["filesyms"].as<std::string>();
  opt.errsyms = vm.count("errsyms");
  opt.quick = vm.count("quick");
  opt.dry_run = vm.count("dry-run") || vm.count("show");
  opt.verbose = vm.count("verbose");
  opt.warn_dups = vm.count("warn");
  opt.modutils_layout = vm.count("modutils-layout");
  opt.trusted_only = geteuid() == 0 && !vm.count("allow-unsafe-config");
  if (vm.count("symbol-prefix")) {
    std::string p = vm["symbol-prefix"].as<std::string>();
    if (p.size() != 1) {
      mng::log(mng::Level::fatal, "-P only takes a single char");
      return 1;
    }
    opt.sym_prefix = p[0];
  }
  std::vector<std::string> args;
  if (vm.count("args")) args = vm["args"].as<std::vector<std::string>>();
  size_t first_file = 0;
  if (!args.empty()) {
    if (!looks_like_version(args[0])) {
      mng::log(mng::Level::error, "Bad version passed %s", args[0].c_str());
      return 1;
    }
    opt.kver = args[0];
    first_file = 1;
  } else {
    struct utsname u;
    uname(&u);
    opt.kver = u.release;
  }
  for (size_t i = first_file; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] != '/') {
      mng::log(mng::Level::fatal, "%s: not absolute path.", args[i].c_str());
      return 1;
    }
    opt.files.push_back(args[i]);
  }
  return mng::run_depmod(opt);
}
