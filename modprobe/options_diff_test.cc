// Differential test: the getopt_long parser modprobe had before
// Boost.Program_options, against the new one, over many command lines.
#include <getopt.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "modprobe/options.h"
#include <catch2/catch.hpp>

namespace mng::old_getopt {
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

ParsedOptions parse_getopt(const std::vector<std::string>& argv_in, const char* env_options,
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
    else if (safe_operand.rfind('-', 0) == 0) why = "Safe mode parameter starts with '-'";
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

}  // namespace mng::old_getopt

namespace {

using mng::ParsedOptions;

std::string describe(const ParsedOptions& p) {
  const mng::ModprobeOptions& o = p.opts;
  std::ostringstream s;
  s << "ok=" << p.ok << " err=" << p.error << " usage=" << p.usage_error << "|";
  s << o.all << o.remove << o.remove_holders << o.resolve_alias << o.ignore_commands << o.use_blacklist
    << o.force_vermagic << o.force_modversion << o.first_time << o.show_depends << o.show_config
    << o.show_modversions << o.show_exports << o.dry_run << o.syslog << o.quiet << o.version << o.help << o.list
    << o.autoclean << o.has_tag << o.allow_unsafe_config << o.safe_mode;
  s << " w=" << o.wait_msec << " v=" << o.verbose << " d=" << o.dirname << " S=" << o.kversion << " t=" << o.tag;
  for (const auto& c : o.configs) s << " C=[" << c << "]";
  for (const auto& a : o.args) s << " arg=[" << a << "]";
  return s.str();
}

// The old parser printed getopt's complaints on stderr itself.
ParsedOptions run_old(const std::vector<std::string>& argv, const char* env, bool safe) {
  fflush(stderr);
  FILE* tmp = tmpfile();
  int saved = dup(2);
  dup2(fileno(tmp), 2);
  ParsedOptions p = mng::old_getopt::parse_getopt(argv, env, safe);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(tmp);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, tmp)) > 0) p.usage_error.append(buf, n);
  fclose(tmp);
  return p;
}

struct Line {
  std::vector<std::string> argv;
  const char* env = nullptr;
  bool safe = false;
};

std::vector<Line> command_lines() {
  std::vector<Line> out;
  auto add = [&](std::vector<std::string> words, const char* env = nullptr, bool safe = false) {
    words.insert(words.begin(), "modprobe");
    out.push_back({words, env, safe});
  };
  const char* longs[] = {"all", "remove", "remove-dependencies", "remove-holders", "wait", "resolve-alias",
                         "show-alias", "first-time", "ignore-install", "ignore-remove", "use-blacklist", "force",
                         "force-modversion", "force-vermagic", "show-depends", "showconfig", "show-config",
                         "show-modversions", "dump-modversions", "show-exports", "dry-run", "show", "config",
                         "dirname", "set-version", "syslog", "quiet", "verbose", "version", "help", "type", "list",
                         "autoclean", "allow-unsafe-config", "zzz", "-n", ""};
  // Every long name, whole and shortened, bare, with "=VALUE" and "=", then
  // alone, before a word and before an option.
  for (std::string name : longs)
    for (size_t len = 0; len <= name.size(); ++len)
      for (const char* suffix : {"", "=5", "="})
        for (int follow = 0; follow < 3; ++follow) {
          std::vector<std::string> w = {"--" + name.substr(0, len) + suffix};
          if (follow == 1) w.push_back("mod");
          if (follow == 2) w.push_back("-n");
          add(w);
        }
  // Every letter, alone, clustered, with attached, separate and missing
  // values; a value that looks like an option.
  const char* followers[] = {"x", "-n", "-v", "-Z", "--all", "--", "-", "", "-nv", "0x10"};
  for (int c = 33; c < 127; ++c) {
    std::string l(1, static_cast<char>(c));
    add({"-" + l});
    add({"-n" + l});
    add({"-" + l + "v"});
    add({"-" + l + "5"});
    add({"-n" + l + "file", "m"});
    for (const char* f : followers) add({"-" + l, f, "mod"});
  }
  // Hand-picked lines.
  std::vector<std::vector<std::string>> picked = {
      {},
      {"mod"},
      {"-nv", "mod"},
      {"-vvv", "mod"},
      {"mod", "-n", "a=b", "-v"},
      {"mod", "--", "-n"},
      {"a", "--", "b", "--", "c"},
      {"-C", "f1", "-Cf2", "--config=f3", "--config", "f4", "--conf", "f5", "mod"},
      {"-d", "/r", "-d/s", "mod"},
      {"-S", "1.2", "--set-version=3.4", "m"},
      {"-w", "5"}, {"-w5"}, {"-w", "0x10"}, {"-w", "010"}, {"-w", "-1"}, {"-w", "4294967296"},
      {"-w", "4294967295"}, {"-w", ""}, {"-w", "abc", "-Z"}, {"-Z", "-w", "abc"},
      {"--wait=7"}, {"--wait", "8"}, {"--wait="},
      {"-t", "net", "-l"}, {"-tnet"}, {"--type=", "-l"}, {"-k", "mod"}, {"-ka", "x", "y"},
      {"-r", "-a", "m1", "m2"}, {"--remove-holders", "m"}, {"--remove-dep", "m"}, {"--remove-", "m"},
      {"-f", "m"}, {"--force-v", "m"}, {"--force-m", "m"}, {"--force-", "m"},
      {"--show", "m"}, {"--show-", "m"}, {"--showc"}, {"--show-c"}, {"--dump", "f"}, {"--ign"},
      {"-c"}, {"-c", "-C", "x"}, {"-nC"}, {"-nC", "x"}, {"-nCx"}, {"-nxv"}, {"-n-v"}, {"-", "m"},
      {"---"}, {"---n"}, {"--="}, {"--=x"}, {"-="}, {"--all=", "m"}, {"-V"}, {"-h"}, {"--help", "-x"},
      {"-s", "-q", "-b", "-i", "-R", "-D", "--first-time", "--show-exports", "--allow-unsafe-config", "m"},
      {"m", "-C"}, {"m", "--config"}, {"m", "--zzz", "-Z"}, {"m", "-Z", "--zzz"}, {"-C", "--", "m"},
      {"-C", "-", "m"}, {"--config", "--all", "m"}, {"--config", "-n", "m"}, {"-S", "-V"},
  };
  for (auto& w : picked) {
    add(w);
    add(w, nullptr, true);
    add(w, "-n -C 'a b'");
  }
  // MODPROBE_OPTIONS: split into words and put first.
  for (const char* env : {"", "-n", "-v -v", "'-C' \"x y\"", "-Z", "--", "mod", "-C", "--dry", "-w 1"}) {
    add({"m"}, env);
    add({"-v", "m", "-n"}, env);
    add({}, env);
  }
  // Safe mode: each letter, the last word taken out first.
  for (int c = 'A'; c <= 'z'; ++c) {
    if (!std::isalpha(c)) continue;
    std::string l = std::string("-") + static_cast<char>(c);
    add({l, "mod"}, nullptr, true);
    add({l, "x", "mod"}, nullptr, true);
    add({"mod", l}, nullptr, true);
  }
  for (const char* name : longs) add({std::string("--") + name, "mod"}, "-C /tmp/evil", true);
  add({"-s", "-k", "--", "net-pf-10"}, "-C /tmp/evil", true);
  add({"a=b"}, nullptr, true);
  add({"-q", "--", "-x"}, nullptr, true);
  // Random lines from a pool of words (fixed seed).
  const char* pool[] = {"-n", "-v", "-C", "cfg", "--config", "--config=c", "-Cc", "-nv", "--", "-", "mod",
                        "a=b", "-w", "5", "-Z", "--zzz", "--re", "--remove", "-r", "-t", "tag", "-l", "-a",
                        "--show", "-S", "1.0", "-d", "/r", "--all=x", "--wait", "-q", "-k", "--dirname=", "-x"};
  unsigned seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> w;
    unsigned len = next() % 6;
    for (unsigned j = 0; j < len; ++j) w.push_back(pool[next() % (sizeof pool / sizeof pool[0])]);
    bool safe = next() % 5 == 0;
    const char* env = next() % 7 == 0 ? "-v --dry" : nullptr;
    add(w, env, safe);
  }
  return out;
}

std::string show_line(const Line& l) {
  std::string s = l.safe ? "[safe] " : "";
  if (l.env) s += "[env=" + std::string(l.env) + "] ";
  for (const auto& w : l.argv) s += "'" + w + "' ";
  return s;
}

}  // namespace

TEST_CASE("the Boost parser reads every command line as the getopt parser did", "[modprobe][options]") {
  auto lines = command_lines();
  for (bool posix : {false, true}) {
    if (posix) setenv("POSIXLY_CORRECT", "1", 1);
    size_t same = 0;
    for (const Line& l : lines) {
      std::string want = describe(run_old(l.argv, l.env, l.safe));
      std::string got;
      try {
        got = describe(mng::parse_modprobe_args(l.argv, l.env, l.safe));
      } catch (const std::exception& e) {
        got = std::string("exception: ") + e.what();
      }
      if (want == got) {
        ++same;
        continue;
      }
      INFO("line: " << show_line(l) << (posix ? " POSIXLY_CORRECT" : ""));
      CHECK(got == want);
    }
    if (posix) unsetenv("POSIXLY_CORRECT");
    CHECK(same == lines.size());
  }
  CHECK(lines.size() > 5000);
}
