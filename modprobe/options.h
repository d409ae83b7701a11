// SPDX-License-Identifier: GPL-2.0-or-later
// modprobe's command line: kmod's options plus modutils' -t, -l and -k.
//
// Read the way kmod's getopt_long reads it (options may follow operands,
// short options cluster, a value is attached or the next word, long names
// may be shortened while unambiguous, "--" ends the options), by
// Boost.Program_options over the option table in options.cc.  Where
// the two tools disagree kmod wins: -d is kmod's --dirname (modutils' -d
// was a debug dump), -s is syslog in both.  $MODPROBE_OPTIONS is split on
// white space (single and double quotes group and are removed) and put in
// front of the arguments, as kmod does.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "common/cli_help.h"

namespace mng {

struct ModprobeOptions {
  bool all = false;               // -a
  bool remove = false;            // -r
  bool remove_holders = false;    // --remove-holders (implies -r)
  unsigned wait_msec = 0;         // -w
  bool resolve_alias = false;     // -R
  bool ignore_commands = false;   // -i
  bool use_blacklist = false;     // -b
  bool force_vermagic = false;    // -f, --force-vermagic
  bool force_modversion = false;  // -f, --force-modversion
  bool first_time = false;        // --first-time
  bool show_depends = false;      // -D
  bool show_config = false;       // -c
  bool show_modversions = false;  // --show-modversions
  bool show_exports = false;      // --show-exports
  bool dry_run = false;           // -n
  bool syslog = false;            // -s
  bool quiet = false;             // -q
  int verbose = 0;                // -v count
  bool version = false;           // -V
  bool help = false;              // -h
  std::vector<std::string> configs;  // -C, in order
  std::string dirname;            // -d ROOT
  std::string kversion;           // -S
  // modutils
  bool list = false;              // -l
  bool autoclean = false;         // -k (also quiet, as modutils)
  bool has_tag = false;           // -t given
  std::string tag;                // -t TAG
  std::vector<std::string> args;  // operands (module names, sym=value words)
  bool allow_unsafe_config = false;  // --allow-unsafe-config
  bool safe_mode = false;            // modutils' safe mode (see below)
};

struct ParsedOptions {
  ModprobeOptions opts;
  bool ok = true;
  std::string error;  // for !ok: what to print after "modprobe: ERROR: "
  // The error is modutils' own safe-mode refusal, printed as modutils did:
  // after "modprobe: " alone.
  bool plain_error = false;
  // For !ok, a command-line syntax error as getopt words it, the whole
  // line ("PROG: invalid option -- 'x'\n"), printed as it is.
  std::string usage_error;
};

// argv[0] is the program name.  MODPROBE_OPTIONS (nullptr = unset) goes in
// front of argv[1..].
//
// Safe mode (modutils 2.4, for modprobe started by the kernel or set-uid):
// $MODPROBE_OPTIONS is ignored, the last argument is taken out before the
// options are parsed and must be the only operand, must not start with '-'
// and must not contain '=' ("Safe mode has more than one parameter",
// "Safe mode parameter starts with '-'", "Safe mode parameter contains
// '='").  Of the options only -a, -b, -k, -n, -q, -s and -v are accepted
// ("Safe mode does not allow option -C"): the others name files, trees or
// versions, or change what is loaded, which a caller the kernel stands in
// for must not choose.
ParsedOptions parse_modprobe_args(const std::vector<std::string>& argv, const char* env_options,
                                  bool safe_mode = false);

// Whether modutils' safe mode applies: the environment is exactly the one
// the kernel gives modprobe (HOME=/, TERM=linux and
// PATH=/sbin:/usr/sbin:/bin:/usr/bin, in any order, nothing else), or the
// real and effective user or group ids differ.
bool is_safe_mode(const std::vector<std::string>& environment, bool ids_differ);

// Splits $MODPROBE_OPTIONS, or a module's options, into words as a shell
// would (white space separates, '...' and "..." group and are removed).
std::vector<std::string> option_words(const std::string& text);

// The usage text printed by -h, its option lines made from the table.
std::string modprobe_usage();

// The option table: what the parser accepts and --help lists.
std::span<const CliOption> modprobe_option_table();

// Version line(s) printed by -V.
const char* modprobe_version_text();

}  // namespace mng
