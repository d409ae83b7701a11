// SPDX-License-Identifier: GPL-2.0-or-later
// modprobe's command line: parse results of chosen lines, a digest of the
// results over thousands of generated lines, and --help against the table.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "modprobe/options.h"

namespace mng::options_corpus {
namespace {

struct Line {
  std::vector<std::string> argv;
  const char* env = nullptr;
  bool safe = false;
};

struct Case {
  Line line;
  const char* want;  // describe() of the result
};


// The parse result in words: what is set, values, operands, errors.
std::string describe(const ParsedOptions& p) {
  const ModprobeOptions& o = p.opts;
  std::ostringstream s;
  if (!p.ok) s << "FAIL ";
  if (!p.error.empty()) s << "error=" << p.error << " ";
  if (!p.usage_error.empty()) s << "usage=" << p.usage_error.substr(0, p.usage_error.size() - 1) << " ";
  const std::pair<bool, const char*> flags[] = {
      {o.all, "all"}, {o.remove, "remove"}, {o.remove_holders, "remove_holders"},
      {o.resolve_alias, "resolve_alias"}, {o.ignore_commands, "ignore_commands"},
      {o.use_blacklist, "use_blacklist"}, {o.force_vermagic, "force_vermagic"},
      {o.force_modversion, "force_modversion"}, {o.first_time, "first_time"},
      {o.show_depends, "show_depends"}, {o.show_config, "show_config"},
      {o.show_modversions, "show_modversions"}, {o.show_exports, "show_exports"}, {o.dry_run, "dry_run"},
      {o.syslog, "syslog"}, {o.quiet, "quiet"}, {o.version, "version"}, {o.help, "help"}, {o.list, "list"},
      {o.autoclean, "autoclean"}, {o.has_tag, "has_tag"}, {o.allow_unsafe_config, "allow_unsafe_config"},
      {o.safe_mode, "safe_mode"}};
  for (const auto& [set, name] : flags)
    if (set) s << name << " ";
  if (o.wait_msec) s << "wait=" << o.wait_msec << " ";
  if (o.verbose) s << "verbose=" << o.verbose << " ";
  if (!o.dirname.empty()) s << "dirname=" << o.dirname << " ";
  if (!o.kversion.empty()) s << "kversion=" << o.kversion << " ";
  if (o.has_tag) s << "tag=[" << o.tag << "] ";
  for (const auto& c : o.configs) s << "config=[" << c << "] ";
  for (const auto& a : o.args) s << "arg=[" << a << "] ";
  std::string out = s.str();
  if (!out.empty()) out.pop_back();
  return out;
}

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


// Chosen lines, then what the getopt parser made of them.
const std::vector<Case>& chosen_cases() {
  static const std::vector<Case> cases = [] {
    std::vector<Case> c = {
      {{{}, nullptr, false}, ""},
      {{{"mod"}, nullptr, false}, "arg=[mod]"},
      {{{"-nv", "mod"}, nullptr, false}, "dry_run verbose=1 arg=[mod]"},
      {{{"-vvv", "mod"}, nullptr, false}, "verbose=3 arg=[mod]"},
      {{{"-v", "-v", "--verbose", "m"}, nullptr, false}, "verbose=3 arg=[m]"},
      {{{"mod", "-n", "a=b", "-v"}, nullptr, false}, "dry_run verbose=1 arg=[mod] arg=[a=b]"},
      {{{"mod", "opt=1", "opt2=\"x y\""}, nullptr, false}, "arg=[mod] arg=[opt=1] arg=[opt2=\"x y\"]"},
      {{{"mod", "--", "-n"}, nullptr, false}, "arg=[mod] arg=[-n]"},
      {{{"a", "--", "b", "--", "c"}, nullptr, false}, "arg=[a] arg=[b] arg=[--] arg=[c]"},
      {{{"-C", "f1", "-Cf2", "--config=f3", "--config", "f4", "--conf", "f5", "mod"}, nullptr, false}, "config=[f1] config=[f2] config=[f3] config=[f4] config=[f5] arg=[mod]"},
      {{{"-C", "-n", "mod"}, nullptr, false}, "config=[-n] arg=[mod]"},
      {{{"-C", "--", "mod"}, nullptr, false}, "config=[--] arg=[mod]"},
      {{{"-C", "", "mod"}, nullptr, false}, "config=[] arg=[mod]"},
      {{{"--config=", "mod"}, nullptr, false}, "config=[] arg=[mod]"},
      {{{"--config", "--all", "mod"}, nullptr, false}, "config=[--all] arg=[mod]"},
      {{{"-nCx", "m"}, nullptr, false}, "dry_run config=[x] arg=[m]"},
      {{{"-nC", "x", "m"}, nullptr, false}, "dry_run config=[x] arg=[m]"},
      {{{"-d", "/r", "-d/s", "mod"}, nullptr, false}, "dirname=/s arg=[mod]"},
      {{{"--dirname=/r", "m"}, nullptr, false}, "dirname=/r arg=[m]"},
      {{{"-S", "1.2", "--set-version=3.4", "m"}, nullptr, false}, "kversion=3.4 arg=[m]"},
      {{{"-S", "-V"}, nullptr, false}, "kversion=-V"},
      {{{"-w", "5"}, nullptr, false}, "wait=5"},
      {{{"-w5"}, nullptr, false}, "wait=5"},
      {{{"-w", "0x10"}, nullptr, false}, "wait=16"},
      {{{"-w", "010"}, nullptr, false}, "wait=8"},
      {{{"--wait=7"}, nullptr, false}, "wait=7"},
      {{{"--wait", "8"}, nullptr, false}, "wait=8"},
      {{{"-w", "-1"}, nullptr, false}, "FAIL error=unexpected wait value '-1'."},
      {{{"-w", "4294967295"}, nullptr, false}, "wait=4294967295"},
      {{{"-w", "4294967296"}, nullptr, false}, "FAIL error=unexpected wait value '4294967296'."},
      {{{"-w", ""}, nullptr, false}, "FAIL error=unexpected wait value ''."},
      {{{"-w", "abc", "-Z"}, nullptr, false}, "FAIL error=unexpected wait value 'abc'."},
      {{{"-Z", "-w", "abc"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{"-t", "net", "-l"}, nullptr, false}, "list has_tag tag=[net]"},
      {{{"-tnet", "pat*"}, nullptr, false}, "has_tag tag=[net] arg=[pat*]"},
      {{{"--type=", "-l"}, nullptr, false}, "list has_tag tag=[]"},
      {{{"-k", "mod"}, nullptr, false}, "quiet autoclean arg=[mod]"},
      {{{"-ka", "x", "y"}, nullptr, false}, "all quiet autoclean arg=[x] arg=[y]"},
      {{{"-r", "-a", "m1", "m2"}, nullptr, false}, "all remove arg=[m1] arg=[m2]"},
      {{{"-r", "--remove-holders", "m"}, nullptr, false}, "remove remove_holders arg=[m]"},
      {{{"--remove-dependencies", "m"}, nullptr, false}, "remove remove_holders arg=[m]"},
      {{{"--remove-", "m"}, nullptr, false}, "remove remove_holders arg=[m]"},
      {{{"--remove-h", "m"}, nullptr, false}, "remove remove_holders arg=[m]"},
      {{{"-f", "m"}, nullptr, false}, "force_vermagic force_modversion arg=[m]"},
      {{{"--force-modversion", "--force-vermagic", "m"}, nullptr, false}, "force_vermagic force_modversion arg=[m]"},
      {{{"--force-v", "m"}, nullptr, false}, "force_vermagic arg=[m]"},
      {{{"--force-", "m"}, nullptr, false}, "FAIL usage=modprobe: option '--force-' is ambiguous; possibilities: '--force-modversion' '--force-vermagic'"},
      {{{"--first-time", "--first", "m"}, nullptr, false}, "first_time arg=[m]"},
      {{{"-R", "--show-alias", "--resolve-alias", "a"}, nullptr, false}, "resolve_alias arg=[a]"},
      {{{"-i", "--ignore-install", "--ignore-remove", "--ign", "m"}, nullptr, false}, "ignore_commands arg=[m]"},
      {{{"-b", "--use-blacklist", "m"}, nullptr, false}, "use_blacklist arg=[m]"},
      {{{"-D", "--show-depends", "m"}, nullptr, false}, "show_depends arg=[m]"},
      {{{"-c"}, nullptr, false}, "show_config"},
      {{{"--showconfig"}, nullptr, false}, "show_config"},
      {{{"--show-config"}, nullptr, false}, "show_config"},
      {{{"--showc"}, nullptr, false}, "show_config"},
      {{{"--show-c"}, nullptr, false}, "show_config"},
      {{{"--show-modversions", "f"}, nullptr, false}, "show_modversions arg=[f]"},
      {{{"--dump-modversions", "f"}, nullptr, false}, "show_modversions arg=[f]"},
      {{{"--dump", "f"}, nullptr, false}, "show_modversions arg=[f]"},
      {{{"--show-exports", "f"}, nullptr, false}, "show_exports arg=[f]"},
      {{{"-n", "--dry-run", "--show", "--dry", "m"}, nullptr, false}, "dry_run arg=[m]"},
      {{{"--show-", "m"}, nullptr, false}, "FAIL usage=modprobe: option '--show-' is ambiguous; possibilities: '--show-alias' '--show-depends' '--show-config' '--show-modversions' '--show-exports'"},
      {{{"--s", "m"}, nullptr, false}, "FAIL usage=modprobe: option '--s' is ambiguous; possibilities: '--show-alias' '--show-depends' '--showconfig' '--show-config' '--show-modversions' '--show-exports' '--show' '--set-version' '--syslog'"},
      {{{"--re", "m"}, nullptr, false}, "FAIL usage=modprobe: option '--re' is ambiguous; possibilities: '--remove' '--remove-dependencies' '--remove-holders' '--resolve-alias'"},
      {{{"--ver"}, nullptr, false}, "FAIL usage=modprobe: option '--ver' is ambiguous; possibilities: '--verbose' '--version'"},
      {{{"--vers"}, nullptr, false}, "version"},
      {{{"--verb", "m"}, nullptr, false}, "verbose=1 arg=[m]"},
      {{{"-s", "-q", "m"}, nullptr, false}, "syslog quiet arg=[m]"},
      {{{"--syslog", "--quiet", "m"}, nullptr, false}, "syslog quiet arg=[m]"},
      {{{"-V"}, nullptr, false}, "version"},
      {{{"--version"}, nullptr, false}, "version"},
      {{{"-h"}, nullptr, false}, "help"},
      {{{"--help", "-x"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- 'x' help"},
      {{{"--allow-unsafe-config", "m"}, nullptr, false}, "allow_unsafe_config arg=[m]"},
      {{{"--allow", "m"}, nullptr, false}, "allow_unsafe_config arg=[m]"},
      {{{"-l"}, nullptr, false}, "list"},
      {{{"--list", "x"}, nullptr, false}, "list arg=[x]"},
      {{{"--autoclean"}, nullptr, false}, "quiet autoclean"},
      {{{"-x"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- 'x'"},
      {{{"-nxv"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- 'x' dry_run"},
      {{{"-n-v"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- '-' dry_run"},
      {{{"-="}, nullptr, false}, "FAIL usage=modprobe: invalid option -- '='"},
      {{{"-C"}, nullptr, false}, "FAIL usage=modprobe: option requires an argument -- 'C'"},
      {{{"m", "-C"}, nullptr, false}, "FAIL usage=modprobe: option requires an argument -- 'C'"},
      {{{"-nC"}, nullptr, false}, "FAIL usage=modprobe: option requires an argument -- 'C' dry_run"},
      {{{"--config"}, nullptr, false}, "FAIL usage=modprobe: option '--config' requires an argument"},
      {{{"m", "--config"}, nullptr, false}, "FAIL usage=modprobe: option '--config' requires an argument"},
      {{{"--zzz"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--zzz'"},
      {{{"--args", "m"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--args'"},
      {{{"--ar"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--ar'"},
      {{{"--args=x"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--args=x'"},
      {{{"--arg", "x"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--arg'"},
      {{{"--zzz=1"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--zzz=1'"},
      {{{"--zzz="}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--zzz='"},
      {{{"m", "--zzz", "-Z"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '--zzz'"},
      {{{"m", "-Z", "--zzz"}, nullptr, false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{"--all=x"}, nullptr, false}, "FAIL usage=modprobe: option '--all' doesn't allow an argument"},
      {{{"--all="}, nullptr, false}, "FAIL usage=modprobe: option '--all' doesn't allow an argument"},
      {{{"--show=1"}, nullptr, false}, "FAIL usage=modprobe: option '--show' doesn't allow an argument"},
      {{{"--ign=1"}, nullptr, false}, "FAIL usage=modprobe: option '--ignore-install' doesn't allow an argument"},
      {{{"---"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '---'"},
      {{{"---n"}, nullptr, false}, "FAIL usage=modprobe: unrecognized option '---n'"},
      {{{"--="}, nullptr, false}, "FAIL usage=modprobe: option '--=' is ambiguous; possibilities: '--all' '--remove' '--remove-dependencies' '--remove-holders' '--wait' '--resolve-alias' '--show-alias' '--first-time' '--ignore-install' '--ignore-remove' '--use-blacklist' '--force' '--force-modversion' '--force-vermagic' '--show-depends' '--showconfig' '--show-config' '--show-modversions' '--dump-modversions' '--show-exports' '--dry-run' '--show' '--config' '--dirname' '--set-version' '--syslog' '--quiet' '--verbose' '--version' '--help' '--type' '--list' '--autoclean' '--allow-unsafe-config'"},
      {{{"-", "m"}, nullptr, false}, "arg=[-] arg=[m]"},
      {{{"--", "-", "--"}, nullptr, false}, "arg=[-] arg=[--]"},
      {{{"m"}, "-n -C 'a b'", false}, "dry_run config=[a b] arg=[m]"},
      {{{"m"}, "-Z", false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{"m"}, "--", false}, "arg=[m]"},
      {{{"m"}, "-w 1", false}, "wait=1 arg=[m]"},
      {{{"m"}, "mod", false}, "arg=[mod] arg=[m]"},
      {{{"m"}, "", false}, "arg=[m]"},
      {{{"-v", "m", "-n"}, "-n -C 'a b'", false}, "dry_run verbose=1 config=[a b] arg=[m]"},
      {{{"-v", "m", "-n"}, "-Z", false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{"-v", "m", "-n"}, "--", false}, "arg=[-v] arg=[m] arg=[-n]"},
      {{{"-v", "m", "-n"}, "-w 1", false}, "dry_run wait=1 verbose=1 arg=[m]"},
      {{{"-v", "m", "-n"}, "mod", false}, "dry_run verbose=1 arg=[mod] arg=[m]"},
      {{{"-v", "m", "-n"}, "", false}, "dry_run verbose=1 arg=[m]"},
      {{{}, "-n -C 'a b'", false}, "dry_run config=[a b]"},
      {{{}, "-Z", false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{}, "--", false}, ""},
      {{{}, "-w 1", false}, "wait=1"},
      {{{}, "mod", false}, "arg=[mod]"},
      {{{}, "", false}, ""},
      {{{"-C"}, "-n -C 'a b'", false}, "FAIL usage=modprobe: option requires an argument -- 'C' dry_run config=[a b]"},
      {{{"-C"}, "-Z", false}, "FAIL usage=modprobe: invalid option -- 'Z'"},
      {{{"-C"}, "--", false}, "arg=[-C]"},
      {{{"-C"}, "-w 1", false}, "FAIL usage=modprobe: option requires an argument -- 'C' wait=1"},
      {{{"-C"}, "mod", false}, "FAIL usage=modprobe: option requires an argument -- 'C'"},
      {{{"-C"}, "", false}, "FAIL usage=modprobe: option requires an argument -- 'C'"},
      {{{"-s", "-k", "--", "net-pf-10"}, nullptr, true}, "syslog quiet autoclean safe_mode arg=[net-pf-10]"},
      {{{"-s", "-k", "--", "net-pf-10"}, "-C /tmp/evil", true}, "syslog quiet autoclean safe_mode arg=[net-pf-10]"},
      {{{"mod"}, nullptr, true}, "safe_mode arg=[mod]"},
      {{{"mod"}, "-C /tmp/evil", true}, "safe_mode arg=[mod]"},
      {{{"-q", "--", "-x"}, nullptr, true}, "FAIL error=Safe mode parameter starts with '-' quiet safe_mode"},
      {{{"-q", "--", "-x"}, "-C /tmp/evil", true}, "FAIL error=Safe mode parameter starts with '-' quiet safe_mode"},
      {{{"a=b"}, nullptr, true}, "FAIL error=Safe mode parameter contains '=' safe_mode"},
      {{{"a=b"}, "-C /tmp/evil", true}, "FAIL error=Safe mode parameter contains '=' safe_mode"},
      {{{"-n", "m", "x"}, nullptr, true}, "FAIL error=Safe mode has more than one parameter dry_run safe_mode arg=[m]"},
      {{{"-n", "m", "x"}, "-C /tmp/evil", true}, "FAIL error=Safe mode has more than one parameter dry_run safe_mode arg=[m]"},
      {{{"-C", "x", "mod"}, nullptr, true}, "FAIL error=Safe mode does not allow option -C safe_mode"},
      {{{"-C", "x", "mod"}, "-C /tmp/evil", true}, "FAIL error=Safe mode does not allow option -C safe_mode"},
      {{{"--config=x", "mod"}, nullptr, true}, "FAIL error=Safe mode does not allow option -C safe_mode"},
      {{{"--config=x", "mod"}, "-C /tmp/evil", true}, "FAIL error=Safe mode does not allow option -C safe_mode"},
      {{{"-w", "5", "mod"}, nullptr, true}, "FAIL error=Safe mode does not allow option -w safe_mode"},
      {{{"-w", "5", "mod"}, "-C /tmp/evil", true}, "FAIL error=Safe mode does not allow option -w safe_mode"},
      {{{"-Z", "mod"}, nullptr, true}, "FAIL usage=modprobe: invalid option -- 'Z' safe_mode"},
      {{{"-Z", "mod"}, "-C /tmp/evil", true}, "FAIL usage=modprobe: invalid option -- 'Z' safe_mode"},
      {{{"-ab", "mod"}, nullptr, true}, "all use_blacklist safe_mode arg=[mod]"},
      {{{"-ab", "mod"}, "-C /tmp/evil", true}, "all use_blacklist safe_mode arg=[mod]"},
      {{{"-nkqsv", "mod"}, nullptr, true}, "dry_run syslog quiet autoclean safe_mode verbose=1 arg=[mod]"},
      {{{"-nkqsv", "mod"}, "-C /tmp/evil", true}, "dry_run syslog quiet autoclean safe_mode verbose=1 arg=[mod]"},
      {{{"--dry-run", "-"}, nullptr, true}, "FAIL error=Safe mode parameter starts with '-' dry_run safe_mode"},
      {{{"--dry-run", "-"}, "-C /tmp/evil", true}, "FAIL error=Safe mode parameter starts with '-' dry_run safe_mode"},
      {{{"-v", "--", "-v"}, nullptr, true}, "FAIL error=Safe mode parameter starts with '-' safe_mode verbose=1"},
      {{{"-v", "--", "-v"}, "-C /tmp/evil", true}, "FAIL error=Safe mode parameter starts with '-' safe_mode verbose=1"},
      {{{"-d", "/", "mod"}, nullptr, true}, "FAIL error=Safe mode does not allow option -d safe_mode"},
      {{{"-d", "/", "mod"}, "-C /tmp/evil", true}, "FAIL error=Safe mode does not allow option -d safe_mode"},
      {{{"-r", "m"}, nullptr, true}, "FAIL error=Safe mode does not allow option -r safe_mode"},
      {{{"-r", "m"}, "-C /tmp/evil", true}, "FAIL error=Safe mode does not allow option -r safe_mode"},
      {{{}, nullptr, true}, "safe_mode"},
      {{{}, "-C /tmp/evil", true}, "safe_mode"},
      {{{"-n"}, nullptr, true}, "FAIL error=Safe mode parameter starts with '-' safe_mode"},
      {{{"-n"}, "-C /tmp/evil", true}, "FAIL error=Safe mode parameter starts with '-' safe_mode"},
      {{{"m", "-C"}, nullptr, true}, "FAIL error=Safe mode has more than one parameter safe_mode arg=[m]"},
      {{{"m", "-C"}, "-C /tmp/evil", true}, "FAIL error=Safe mode has more than one parameter safe_mode arg=[m]"},
      {{{"--", "m"}, nullptr, true}, "safe_mode arg=[m]"},
      {{{"--", "m"}, "-C /tmp/evil", true}, "safe_mode arg=[m]"},
    };
    for (Case& k : c) k.line.argv.insert(k.line.argv.begin(), "modprobe");
    return c;
  }();
  return cases;
}

// FNV-1a over every line's result.
uint64_t digest(const std::vector<Line>& lines) {
  uint64_t h = 1469598103934665603ull;
  for (const Line& l : lines) {
    std::string d = describe(parse_modprobe_args(l.argv, l.env, l.safe)) + "\n";
    for (unsigned char c : d) h = (h ^ c) * 1099511628211ull;
  }
  return h;
}

}  // namespace
}  // namespace mng::options_corpus

using namespace mng;
using namespace mng::options_corpus;

TEST_CASE("modprobe's command line: chosen lines and their results", "[modprobe][options]") {
  for (const Case& k : chosen_cases()) {
    INFO("line: " << show_line(k.line));
    CHECK(describe(parse_modprobe_args(k.line.argv, k.line.env, k.line.safe)) == k.want);
  }
  CHECK(chosen_cases().size() > 150);
}

TEST_CASE("modprobe's command line: thousands of generated lines read as getopt_long read them",
          "[modprobe][options]") {
  // The digests of the results the getopt_long parser gave for these lines,
  // without and with POSIXLY_CORRECT (operands end the options).
  auto lines = command_lines();
  REQUIRE(lines.size() == 8200);
  unsetenv("POSIXLY_CORRECT");
  CHECK(digest(lines) == 14174797819295607214ull);
  setenv("POSIXLY_CORRECT", "1", 1);
  CHECK(digest(lines) == 17873205940989478449ull);
  unsetenv("POSIXLY_CORRECT");
}

namespace {

// The option spellings of a --help line: "\t-a, --all   text" gives "-a"
// and "--all", each with a value when the option shows one.
std::vector<std::vector<std::string>> spellings(const std::string& line) {
  std::vector<std::vector<std::string>> out;
  bool short_form = line.size() > 3 && line[0] == '\t' && line[1] == '-' && line[2] != '-';
  if (!short_form && !line.starts_with("\t    --")) return out;
  std::string column = line.substr(1, line.find("  ", 5) - 1);
  std::string value;
  size_t arg = column.find_first_of("= ", 6);
  bool attached = arg != std::string::npos && column[arg] == '=';
  if (arg != std::string::npos) {
    value = "5";
    column.resize(arg);
  }
  if (column[0] == '-' && column[1] != '-') {
    out.push_back({"modprobe", column.substr(0, 2)});
    if (!value.empty()) out.back().push_back(value);
  }
  std::string long_name = column.substr(column.find("--"));
  if (attached) out.push_back({"modprobe", long_name + "=" + value});
  else if (!value.empty()) out.push_back({"modprobe", long_name, value});
  else out.push_back({"modprobe", long_name});
  return out;
}

}  // namespace

TEST_CASE("modprobe --help lists every option of the table, and each listed one parses",
          "[modprobe][options][help]") {
  const std::string help = modprobe_usage();
  auto table = modprobe_option_table();
  for (const CliOption& o : table) {
    INFO("option --" << o.long_name);
    if (o.help) {
      CHECK(help.find("\t" + cli_option_column(o) + " ") != std::string::npos);
    } else {
      // An unlisted spelling is an alias of a listed option.
      CHECK(std::any_of(table.begin(), table.end(), [&](const CliOption& p) { return p.id == o.id && p.help; }));
    }
  }
  std::istringstream in(help);
  std::string line;
  size_t option_lines = 0;
  while (std::getline(in, line)) {
    for (const auto& argv : spellings(line)) {
      ++option_lines;
      INFO("help line: " << line << "; parsed: " << argv[1]);
      ParsedOptions p = parse_modprobe_args(argv, nullptr);
      CHECK(p.ok);
      CHECK(p.usage_error.empty());
      CHECK(describe(p) != "");  // it set something
    }
  }
  CHECK(option_lines > 50);
  // kmod's layout, as kmod prints these lines.
  CHECK(help.find("\t-a, --all                   Consider every non-argument to\n"
                  "\t                            be a module name to be inserted\n") != std::string::npos);
  CHECK(help.find("\t    --remove-holders        Also remove module holders (use together with -r)\n") !=
        std::string::npos);
  CHECK(help.find("\t-C, --config=FILE           Use FILE instead of default search paths\n") != std::string::npos);
  CHECK(help.find("\t-w, --wait <MSEC>           When removing a module, wait up to MSEC for\n") !=
        std::string::npos);
}

TEST_CASE("modprobe's command line: a long name no option starts with is unrecognized, operands' name included",
          "[modprobe][options]") {
  for (const char* name : {"args", "arg", "ar", "x", "zz", "-n", "-", "foo-bar", "allx", "configs"})
    for (const char* suffix : {"", "=1", "="})
      for (const char* next : {"", "mod", "-n"}) {
        std::vector<std::string> argv = {"modprobe", std::string("--") + name + suffix};
        if (*next) argv.push_back(next);
        INFO("line: " << argv[1] << " " << next);
        CHECK(describe(parse_modprobe_args(argv, nullptr)) ==
              "FAIL usage=modprobe: unrecognized option '" + argv[1] + "'");
      }
}
