#include "modprobe/options.h"

#include <getopt.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace mng {

namespace {

enum LongOnly {
  kForceVermagic = 1,
  kForceModversion,
  kFirstTime,
  kShowModversions,
  kRemoveHolders,
  kShowExports,
  kAllowUnsafeConfig,
};

const char kShortOpts[] = "arw:RibfDcnC:d:S:sqvVht:lk";

const struct option kLongOpts[] = {
    {"all", no_argument, nullptr, 'a'},
    {"remove", no_argument, nullptr, 'r'},
    {"remove-dependencies", no_argument, nullptr, kRemoveHolders},
    {"remove-holders", no_argument, nullptr, kRemoveHolders},
    {"wait", required_argument, nullptr, 'w'},
    {"resolve-alias", no_argument, nullptr, 'R'},
    {"show-alias", no_argument, nullptr, 'R'},
    {"first-time", no_argument, nullptr, kFirstTime},
    {"ignore-install", no_argument, nullptr, 'i'},
    {"ignore-remove", no_argument, nullptr, 'i'},
    {"use-blacklist", no_argument, nullptr, 'b'},
    {"force", no_argument, nullptr, 'f'},
    {"force-modversion", no_argument, nullptr, kForceModversion},
    {"force-vermagic", no_argument, nullptr, kForceVermagic},
    {"show-depends", no_argument, nullptr, 'D'},
    {"showconfig", no_argument, nullptr, 'c'},
    {"show-config", no_argument, nullptr, 'c'},
    {"show-modversions", no_argument, nullptr, kShowModversions},
    {"dump-modversions", no_argument, nullptr, kShowModversions},
    {"show-exports", no_argument, nullptr, kShowExports},
    {"dry-run", no_argument, nullptr, 'n'},
    {"show", no_argument, nullptr, 'n'},
    {"config", required_argument, nullptr, 'C'},
    {"dirname", required_argument, nullptr, 'd'},
    {"set-version", required_argument, nullptr, 'S'},
    {"syslog", no_argument, nullptr, 's'},
    {"quiet", no_argument, nullptr, 'q'},
    {"verbose", no_argument, nullptr, 'v'},
    {"version", no_argument, nullptr, 'V'},
    {"help", no_argument, nullptr, 'h'},
    // modutils
    {"type", required_argument, nullptr, 't'},
    {"list", no_argument, nullptr, 'l'},
    {"autoclean", no_argument, nullptr, 'k'},
    {"allow-unsafe-config", no_argument, nullptr, kAllowUnsafeConfig},
    {nullptr, 0, nullptr, 0},
};

// What safe mode lets a caller choose (see options.h).
bool allowed_in_safe_mode(int c) { return c != 0 && std::strchr("abknqsv", c) != nullptr; }

std::string option_display(int c) {
  if (c > 0 && c < 128 && std::isalpha(c)) return std::string("-") + static_cast<char>(c);
  for (const struct option* o = kLongOpts; o->name; ++o)
    if (o->val == c) return std::string("--") + o->name;
  return "?";
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

ParsedOptions parse_modprobe_args(const std::vector<std::string>& argv_in, const char* env_options,
                                  bool safe_mode) {
  ParsedOptions r;
  ModprobeOptions& o = r.opts;
  o.safe_mode = safe_mode;
  std::vector<std::string> words;
  words.push_back(argv_in.empty() ? std::string("modprobe") : argv_in[0]);
  if (env_options && !safe_mode)
    for (auto& w : option_words(env_options)) words.push_back(std::move(w));
  for (size_t i = 1; i < argv_in.size(); ++i) words.push_back(argv_in[i]);
  std::string safe_operand;
  bool has_safe_operand = safe_mode && words.size() > 1;
  if (has_safe_operand) {
    safe_operand = words.back();
    words.pop_back();
  }

  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(words.size());

  optind = 0;  // GNU: start a fresh scan
  opterr = 1;
  for (;;) {
    int c = getopt_long(argc, argv.data(), kShortOpts, kLongOpts, nullptr);
    if (c == -1) break;
    if (safe_mode && c != '?' && !allowed_in_safe_mode(c)) {
      r.ok = false;
      r.error = "Safe mode does not allow option " + option_display(c);
      return r;
    }
    switch (c) {
      case 'a': o.all = true; break;
      case 'r': o.remove = true; break;
      case kRemoveHolders: o.remove = true; o.remove_holders = true; break;
      case 'w': {
        char* end = nullptr;
        errno = 0;
        unsigned long v = std::strtoul(optarg, &end, 0);
        if (!*optarg || *end || errno || v > 0xffffffffUL) {
          r.ok = false;
          r.error = std::string("unexpected wait value '") + optarg + "'.";
          return r;
        }
        o.wait_msec = static_cast<unsigned>(v);
        break;
      }
      case 'R': o.resolve_alias = true; break;
      case 'i': o.ignore_commands = true; break;
      case 'b': o.use_blacklist = true; break;
      case 'f': o.force_vermagic = o.force_modversion = true; break;
      case kForceModversion: o.force_modversion = true; break;
      case kForceVermagic: o.force_vermagic = true; break;
      case kFirstTime: o.first_time = true; break;
      case 'D': o.show_depends = true; break;
      case 'c': o.show_config = true; break;
      case kShowModversions: o.show_modversions = true; break;
      case kShowExports: o.show_exports = true; break;
      case 'n': o.dry_run = true; break;
      case 'C': o.configs.emplace_back(optarg); break;
      case 'd': o.dirname = optarg; break;
      case 'S': o.kversion = optarg; break;
      case 's': o.syslog = true; break;
      case 'q': o.quiet = true; break;
      case 'v': ++o.verbose; break;
      case 'V': o.version = true; break;
      case 'h': o.help = true; break;
      case 't': o.has_tag = true; o.tag = optarg; break;
      case 'l': o.list = true; break;
      case 'k': o.autoclean = true; o.quiet = true; break;
      case kAllowUnsafeConfig: o.allow_unsafe_config = true; break;
      default:
        // getopt has printed "invalid option" already.
        r.ok = false;
        return r;
    }
  }
  for (int i = optind; i < argc; ++i) o.args.emplace_back(argv[i]);
  if (has_safe_operand) {
    const char* why = nullptr;
    if (!o.args.empty()) why = "Safe mode has more than one parameter";
    else if (safe_operand.starts_with('-')) why = "Safe mode parameter starts with '-'";
    else if (safe_operand.find('=') != std::string::npos) why = "Safe mode parameter contains '='";
    if (why) {
      r.ok = false;
      r.error = why;
      return r;
    }
    o.args.push_back(safe_operand);
  }
  return r;
}

const char* modprobe_usage() {
  return "Usage:\n"
         "\tmodprobe [options] [-i] [-b] modulename [sym=value ...]\n"
         "\tmodprobe [options] -a [-i] [-b] modulename [modulename...]\n"
         "\tmodprobe [options] -r [-i] modulename\n"
         "\tmodprobe [options] -r -a [-i] modulename [modulename...]\n"
         "\tmodprobe [options] -c\n"
         "\tmodprobe [options] --dump-modversions filename\n"
         "\tmodprobe [options] [-a] -t tag [pattern...]\n"
         "\tmodprobe [options] -l [-t tag] [pattern...]\n"
         "Management Options:\n"
         "\t-a, --all                   Consider every non-argument to\n"
         "\t                            be a module name to be inserted\n"
         "\t                            or removed (-r)\n"
         "\t-r, --remove                Remove modules instead of inserting\n"
         "\t    --remove-dependencies   Deprecated: use --remove-holders\n"
         "\t    --remove-holders        Also remove module holders (use together with -r)\n"
         "\t-w, --wait <MSEC>           When removing a module, wait up to MSEC for\n"
         "\t                            module's refcount to become 0 so it can be\n"
         "\t                            removed (use together with -r)\n"
         "\t    --first-time            Fail if module already inserted or removed\n"
         "\t-i, --ignore-install        Ignore install commands\n"
         "\t-i, --ignore-remove         Ignore remove commands\n"
         "\t-b, --use-blacklist         Apply blacklist to resolved alias.\n"
         "\t-f, --force                 Force module insertion or removal.\n"
         "\t                            implies --force-modversions and\n"
         "\t                            --force-vermagic\n"
         "\t    --force-modversion      Ignore module's version\n"
         "\t    --force-vermagic        Ignore module's version magic\n"
         "\t-t, --type TAG              Only modules under a path[TAG] directory\n"
         "\t                            or with /TAG/ in their path (modutils)\n"
         "\t-k, --autoclean             modutils' autoclean flag (implies -q)\n"
         "\n"
         "Query Options:\n"
         "\t-R, --resolve-alias         Only lookup and print alias and exit\n"
         "\t-D, --show-depends          Only print module dependencies and exit\n"
         "\t-c, --showconfig            Print out known configuration and exit\n"
         "\t-c, --show-config           Same as --showconfig\n"
         "\t    --show-modversions      Dump module symbol version and exit\n"
         "\t    --dump-modversions      Same as --show-modversions\n"
         "\t    --show-exports          Only print module exported symbol versions and exit\n"
         "\t-l, --list                  List module files (modutils)\n"
         "\n"
         "General Options:\n"
         "\t-n, --dry-run               Do not execute operations, just print out\n"
         "\t-n, --show                  Same as --dry-run\n"
         "\t-C, --config=FILE           Use FILE instead of default search paths\n"
         "\t-d, --dirname=DIR           Use DIR as filesystem root for /lib/modules\n"
         "\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n"
         "\t-s, --syslog                print to syslog, not stderr\n"
         "\t-q, --quiet                 disable messages\n"
         "\t-v, --verbose               enables more messages\n"
         "\t-V, --version               show version\n"
         "\t-h, --help                  show this help\n"
         "\t    --allow-unsafe-config   As root, read configuration files that a user\n"
         "\t                            other than root could change (refused otherwise)\n"
         "\n"
         "Safe mode (the kernel's environment, or set-uid): one module name, last,\n"
         "never a pattern or path; only -a -b -k -n -q -s -v; environment ignored.\n";
}

const char* modprobe_version_text() {
  return "modutils-ng modprobe version 0.1 (kmod 30 and modutils 2.4 compatible)\n"
         "+ZSTD +XZ +ZLIB -LIBCRYPTO\n";
}

}  // namespace mng
