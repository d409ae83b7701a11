#include "depmod/depmod_cli.h"

namespace mng {

namespace {

// One row per option: what Boost parses and what --help lists.  Rows are
// in the order of the descriptions Boost matches against (its messages
// list candidates in that order).
enum Section { kOptions, kDistribution };
const CliOption kDepmodOptions[] = {
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

}  // namespace

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
         cli_help_section(kDepmodOptions, kOptions, width) +
         "\n"
         "The following options are useful for people managing distributions:\n" +
         cli_help_section(kDepmodOptions, kDistribution, width);
}

std::span<const CliOption> depmod_option_table() { return kDepmodOptions; }

}  // namespace mng
