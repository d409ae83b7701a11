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
#include "modprobe/options_test_corpus.h"
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
using namespace mng::options_corpus;

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

TEST_CASE("print the old parser's results", "[.print]") {
  if (getenv("PRINT_POSIX")) setenv("POSIXLY_CORRECT", "1", 1);
  auto lines = command_lines();
  uint64_t h = 1469598103934665603ull;
  for (const Line& l : lines) {
    std::string d = describe(run_old(l.argv, l.env, l.safe)) + "\n";
    for (unsigned char c : d) h = (h ^ c) * 1099511628211ull;
  }
  printf("lines %zu digest %llu new %llu\n", lines.size(), (unsigned long long)h,
         (unsigned long long)digest(lines));
}

TEST_CASE("print the chosen cases", "[.print]") {
  auto quote = [](const std::string& t) {
    std::string q = "\"";
    for (char c : t) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  };
  for (const Case& k : chosen_cases()) {
    std::string argv;
    for (size_t i = 1; i < k.line.argv.size(); ++i) argv += (i > 1 ? ", " : "") + quote(k.line.argv[i]);
    printf("      {{{%s}, %s, %s}, %s},\n", argv.c_str(), k.line.env ? quote(k.line.env).c_str() : "nullptr",
           k.line.safe ? "true" : "false", quote(describe(run_old(k.line.argv, k.line.env, k.line.safe))).c_str());
  }
}

TEST_CASE("the chosen cases are the getopt parser's results", "[modprobe][options]") {
  for (const Case& k : chosen_cases()) {
    INFO("line: " << show_line(k.line));
    CHECK(describe(run_old(k.line.argv, k.line.env, k.line.safe)) == k.want);
    CHECK(describe(mng::parse_modprobe_args(k.line.argv, k.line.env, k.line.safe)) == k.want);
  }
}
