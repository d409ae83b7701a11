// SPDX-License-Identifier: GPL-2.0-or-later
// depmod.d configuration: parsing, and the rule depmod uses to choose
// between two module files with the same module name.
//
// Line handling (kmod's freadline_wrapped, checked against kmod 30):
// - "\\\n" joins the next physical line without adding anything; a
//   backslash before any other character is dropped and that character
//   kept ("fo\o" is "foo", "a\\b" is "a\b"); a backslash as the very last
//   byte of the file turns into a 0xFF byte.
// - Messages name the LAST physical line of a joined line; a last line
//   without '\n' still counts.
// - A logical line ends at its first NUL byte.
// - Empty lines and lines whose first byte is '#' are ignored; an indented
//   '#' is a command named "#..." and so a bad line.
// - Tokens are split on ' ' and '\t' only ('\r' stays part of a token).
//
// Commands:
//   search <subdir|built-in|external>...   entries accumulate over lines/files
//   override <modname> <kver> <subdir>     extra tokens ignored
//   external <kver> <dir>
//   exclude <name>...                      (no names: nothing, no error)
//   include, make_map_files                 INFO "<file>:<line>: command <x> not implemented yet"
// kver is "*" or a POSIX extended regex searched (unanchored) in the kernel
// version; when it does not match the line is dropped with INFO
// "<file>:<line>: override kernel did not match <kver>" or
// "<file>:<line>: external directory did not match <kver>" (an invalid
// regex never matches).  Unknown commands and missing arguments give
// ERROR "<file>:<line>: ignoring bad line starting with '<cmd>'".
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace mng {

struct DepmodOverride {
  std::string modname;  // as written: kmod compares the raw spelling, '-' and '_' differ
  std::string subdir;
};

struct DepmodConfig {
  // Highest priority first, in config order over all files.  Entries are a
  // subdirectory of the module dir, "built-in" or "external".  Holds
  // {"updates"} until a search line names at least one entry.
  std::vector<std::string> search{"updates"};
  bool has_search_line = false;  // true once any search entry was read
  // Config order.  The LAST matching override decides (kmod checks newest
  // first).
  std::vector<DepmodOverride> overrides;
  // Config order; the first listed has the highest priority.  kmod 30 scans
  // them in reverse order (last listed first) and without the -b prefix.
  std::vector<std::string> externals;
  std::vector<std::string> excludes;  // basenames skipped at any depth
  std::vector<std::string> untrusted_files;  // refused by a trusted_only load
};

// Parses one file's text into *cfg (adding to what is there); the messages
// described above go to `diags` with `filename` and the line number.
void parse_depmod_config_text(std::string_view text, std::string_view filename,
                              std::string_view kver, DepmodConfig* cfg, Diagnostics* diags = nullptr);

// Lists `paths` with list_config_files (depmod flavour: ".conf" only, INFO
// for skipped names; `root` prefixed to each path) and parses the files in
// that order.  A file that cannot be read gives ERROR "file parse <path>:
// <reason>" and is skipped; fifos and devices are refused rather than read.
// Returns false if some listed file could not be read.  With
// `trusted_only` (depmod run by root), a file root should not trust
// (conf/file_text.h) gives that ERROR, is not read and goes to
// out->untrusted_files.  Every message goes to `diags`.
bool load_depmod_config(const std::vector<std::string>& paths, std::string_view kver,
                        DepmodConfig* out, std::string_view root = "", bool trusted_only = false,
                        Diagnostics* diags = nullptr);

// True when a kernel version regex would make regcomp build an enormous
// tree (stacked or nested "+" and "{n,m}"), repeats more than four times
// something that matches the empty string ("5**", "(a|)*": regcomp's time
// doubles with each), or is longer than 4096 bytes.
// Such a line is dropped with ERROR "<file>:<line>: kernel version pattern
// too complex, ignoring the line" (kmod 30 runs out of memory on it).
bool kver_pattern_too_complex(std::string_view kver_pattern);

// True when `kver_pattern` ("*" or an extended regex) matches `kver`; a
// too complex pattern never matches.
bool depmod_kver_matches(std::string_view kver_pattern, std::string_view kver);

// One file competing for a module name.
struct ModuleCandidate {
  // The path as the directory walk formed it: "<moduledir>/kernel/x.ko", or
  // "<external dir>/x.ko" for external dirs.  Used to match external dirs:
  // it must start with the dir followed by '/'.
  std::string_view path;
  // Path below the module directory ("kernel/fs/x.ko"); empty when the file
  // is not under it (files of external dirs).
  std::string_view relpath;
};

// kmod's depmod_module_is_higher_priority, seen from the newcomer: true when
// `found` (met later in the walk) should replace `kept`.  Ties keep `kept`.
//  1. Overrides, newest first: "<subdir>/<modname>" equal to found's relpath
//     minus extension (everything from the first '.' of the file name)
//     => found wins; else equal to kept's => kept wins.
//  2. Search ranks: first-listed entry highest.  A subdir entry X matches a
//     relpath starting with "X/"; "external" ranks files under the external
//     dirs (first listed highest); "built-in" gives its rank to files that
//     matched nothing.  Files matching nothing with no built-in entry rank
//     lowest.  kmod quirk kept: when found matches a subdir entry, kept is
//     not tested against that same entry, so two files under the same
//     searched subdir let the later one win (observed: `search extra
//     built-in` with extra/a/m.ko and extra/b/m.ko keeps the one found last).
bool is_higher_priority(const DepmodConfig& cfg, const ModuleCandidate& found,
                        const ModuleCandidate& kept);

}  // namespace mng
