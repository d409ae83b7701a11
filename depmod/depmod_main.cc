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
#include "common/version.h"
#include "depmod/depmod.h"
#include "depmod/depmod_cli.h"

namespace po = boost::program_options;

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

// The DepmodOptions the parsed command line VM asks for; false (after the
// message) when an argument is refused.
bool depmod_options(const po::variables_map& vm, mng::DepmodOptions* opt) {
  if (vm.count("basedir")) opt->basedir = absolute(vm["basedir"].as<std::string>());
  while (opt->basedir.size() > 1 && opt->basedir.back() == '/') opt->basedir.pop_back();
  if (vm.count("outdir")) opt->outdir = absolute(vm["outdir"].as<std::string>());
  if (vm.count("moduledir")) opt->moduledir = vm["moduledir"].as<std::string>();
  if (vm.count("config")) opt->config_paths = vm["config"].as<std::vector<std::string>>();
  if (vm.count("symvers")) opt->symvers = vm["symvers"].as<std::string>();
  if (vm.count("filesyms")) opt->system_map = vm["filesyms"].as<std::string>();
  opt->errsyms = vm.count("errsyms");
  opt->quick = vm.count("quick");
  opt->dry_run = vm.count("dry-run") || vm.count("show");
  opt->verbose = vm.count("verbose");
  opt->warn_dups = vm.count("warn");
  opt->modutils_layout = vm.count("modutils-layout");
  opt->trusted_only = geteuid() == 0 && !vm.count("allow-unsafe-config");
  if (vm.count("symbol-prefix")) {
    std::string p = vm["symbol-prefix"].as<std::string>();
    if (p.size() != 1) {
      mng::log(mng::Level::fatal, "-P only takes a single char");
      return false;
    }
    opt->sym_prefix = p[0];
  }
  std::vector<std::string> args;
  if (vm.count("args")) args = vm["args"].as<std::vector<std::string>>();
  size_t first_file = 0;
  if (!args.empty()) {
    if (!looks_like_version(args[0])) {
      mng::log(mng::Level::error, "Bad version passed %s", args[0].c_str());
      return false;
    }
    opt->kver = args[0];
    first_file = 1;
  } else {
    struct utsname u;
    uname(&u);
    opt->kver = u.release;
  }
  for (size_t i = first_file; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] != '/') {
      mng::log(mng::Level::fatal, "%s: not absolute path.", args[i].c_str());
      return false;
    }
    opt->files.push_back(args[i]);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  mng::set_log_program("depmod");
  po::options_description desc = mng::cli_descriptions(mng::depmod_option_table());
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
    std::cout << mng::depmod_usage();
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "modutils-ng depmod version " MNG_VERSION "\n";
    return 0;
  }

  mng::DepmodOptions opt;
  if (!depmod_options(vm, &opt)) return 1;
  return mng::run_depmod(opt);
}
