// SPDX-License-Identifier: GPL-2.0-or-later
// Reading legacy modutils configuration files (conf.modules/modules.conf)
// into the ConfigModel.  File selection (-C, $MODULECONFIG, /etc) is done by
// conf/load_config.h; this is what happens once a file is chosen.
//
// Per-line semantics (modutils 2.4 do_read):
//   keep                  from here on in THIS file the first path line
//                         keeps the paths collected so far
//   path[TAG]=DIR...      the first path line of a file (no keep before it
//                         in that file) drops ALL paths so far (defaults and
//                         outer files'); every expanded word is a path with
//                         TAG; "path=" and malformed tags give "misc"
//   depfile= and the 7 *mapfile= names
//                         first definition wins, a second is an invalid
//                         line; expanded after the whole configuration
//   persistdir=DIR        first expanded word (default /var/lib/modules/persist)
//   insmod_opt=OPTS       stored raw, the last one wins
//   include FILE...       every expanded word (a pattern: each match, in
//                         directory order) is read in turn; nesting deeper
//                         than 20 is "Too many include level"; each file
//                         that fails gives "include FILE failed", and the
//                         line counts as one invalid line
//   define NAME VALUE     NAME = first expanded word of VALUE (or empty)
//   if/elseif/else/endif  see below
//   prune, alias, [add] options [-k], [add] above/below/probe/probeall
//                         see conf/config_model.h for replace/append rules
//   pre-install install post-install pre-remove remove post-remove MOD CMD
//                         CMD is the raw rest of the line
// Anything else is an invalid line: "Invalid line N in FILE\n\tKEYWORD".
// modprobe fails on it (exit 255), depmod ignores it; the line itself
// changes nothing.
//
// Conditionals ("if" nests at most 20 deep):
//   EXPR := "!" EXPR | -k | -f FILE | -n W1 OP W2 | W1 OP W2 | W
//   (the exact grammar, an X3 rule, is in conf/legacy_parser.h)
//   -k is true when modprobe runs with -k; -f tests access(FILE, R_OK);
//   -n compares strtol(..., 0) values (0x.. hex, 0.. octal); otherwise
//   strcmp; OP is one of == = != < <= > >= (anything else is false); a
//   lone W is false when it expands to nothing, "0", "false" or "".
//   elseif after a true branch and else after a taken elseif are false;
//   a second else toggles again, as modutils does.
// Two deliberate fixes of modutils bugs: "! -k" is negated, and an "if"
// inside a skipped block is skipped too, without evaluating its condition
// (modutils only looked at the innermost condition).
// Errors that abort the file (and make depmod fail when they happen in the
// top-level file): "unmatched endif in line N", "else without if in line
// N", "elseif without if in line N", "Too many nested if's in line N",
// "Too many include level in line N", "missing endif at FILE EOF", an
// unsupported shell construct in a value depmod reads (path, *file=,
// include, define, if, prune, persistdir), "Can't open FILE".
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"

namespace mng {

struct LegacyReadOptions {
  std::string root;     // depmod -b / modprobe -d: prefixes default paths, path= and *file=
  std::string version;  // kernel version: `uname -r`, default paths, generated files
  const std::map<std::string, std::string>* environment = nullptr;  // nullptr: process environment
  bool safe_mode = false;  // ignore $MODPATH and the *PATH overrides
  bool autoclean = false;  // modprobe -k (makes "if -k" true)
  bool trusted_only = false;  // refuse files root should not trust (conf/file_text.h)
};

// Sets up what modutils has before reading any file: the default paths (or
// $MODPATH's), the built-in alias/options/prune tables.  Sets
// legacy_in_force.
void legacy_begin(ConfigModel* m, const LegacyReadOptions& o);

// Reads one top-level legacy file.  Returns false when modutils' read of it
// would have failed (the model then has modprobe_fails/depmod_fails set).
bool legacy_read_file(ConfigModel* m, const std::string& path, const LegacyReadOptions& o,
                      std::vector<ConfigError>* errors);
// Same for text already in memory; `name` is used in messages.
bool legacy_read_text(ConfigModel* m, std::string_view text, const std::string& name,
                      const LegacyReadOptions& o, std::vector<ConfigError>* errors);

// Decides the generated file names (config value, $DEPPATH-style override
// or default).  Call once after all legacy files were read.
void legacy_finish(ConfigModel* m, const LegacyReadOptions& o, std::vector<ConfigError>* errors);

}  // namespace mng
