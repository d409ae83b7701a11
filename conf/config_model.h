// SPDX-License-Identifier: GPL-2.0-or-later
// The one configuration model shared by depmod and modprobe.
//
// It holds what the legacy modutils languages (/etc/conf.modules,
// /etc/modules.conf) and kmod's modprobe.d language say, after parsing and
// expansion.  Every entry records the language it came from, because the
// two languages look things up differently:
//
//   legacy (modutils 2.4, incl. its built-in tables)
//     - names are compared exactly ('-' and '_' differ), no wildcards
//     - alias, options, above, below, probe, probeall, prune: one entry per
//       name.  A later line with the same name replaces the word list IN
//       PLACE (the entry keeps its position, e.g. "alias eth0 3c59x" sits
//       where the built-in "alias eth0 off" was); with the "add" prefix the
//       words are appended instead ("add alias" still replaces).  New names
//       are appended at the end.
//     - alias: only the first target word is used (all are kept for -c);
//       targets "off" (silently do nothing) and "null" (succeed without
//       loading) are special.
//     - options -k: the module is never autocleaned (sticky once set).
//     - pre-/post-/install/remove commands: an ordered list; lookup returns
//       the FIRST entry of that kind for the module, later duplicates are
//       dead but still listed by -c.
//   modprobe_d / kcmdline (kmod)
//     - module names went through underscores() ('-' -> '_' outside [...])
//     - alias: the name is an fnmatch(3) pattern; ALL matching entries are
//       results; the target is one module name (aliases do not chain).
//     - options: every entry whose module equals the name is used, their
//       texts joined with single spaces in file order (kernel command line
//       entries come last).
//     - install/remove, softdep, weakdep: fnmatch pattern, FIRST match wins.
//     - blacklist: exact name.
//
// Mixed configurations (a legacy file in force AND modprobe.d files or
// kernel command line options present): both apply.  Legacy entries are read
// first, so in every list they precede the modprobe.d ones.  A lookup
// consults the legacy entries with legacy rules first; modprobe.d entries
// add to that (options are appended after the legacy options, aliases and
// commands are used when no legacy entry matched).  modprobe -c prints the
// legacy layout followed by a marked section with the kmod lines (see
// conf/show_config.h).
#pragma once
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

enum class ConfSource : unsigned char {
  builtin,     // modutils 2.4 built-in tables (legacy rules)
  legacy,      // a conf.modules / modules.conf file (legacy rules)
  modprobe_d,  // modprobe.d *.conf, DIR/modules.softdep, DIR/modules.weakdep
  kcmdline,    // kernel command line "mod.param=value", "modprobe.blacklist=" (kmod rules)
};
inline bool is_legacy(ConfSource s) { return s == ConfSource::builtin || s == ConfSource::legacy; }

// Where an entry was written.  file is empty (line 0) for built-in entries
// and "/proc/cmdline" style names for the kernel command line.
// The one copy of file name NAME that ConfOrigin points at: kept for the
// life of the process (one per file read, never freed), so that every entry
// of a file shares it (a file of half a million lines holds its name once).
const std::string* intern_file_name(const std::string& name);

// Where an entry was read.
struct ConfOrigin {
  ConfOrigin() = default;
  ConfOrigin(const std::string& file, unsigned l) : file_(intern_file_name(file)), line(l) {}
  ConfOrigin(const char* file, unsigned l) : file_(intern_file_name(file)), line(l) {}
  ConfOrigin(const std::string* interned, unsigned l) : file_(interned), line(l) {}
  const std::string& file() const {
    static const std::string none;
    return file_ ? *file_ : none;
  }
  const std::string* file_ = nullptr;  // from intern_file_name
  unsigned line = 0;
};

// One module search directory ("path[TAG]=DIR").  Untagged paths get "misc".
struct SearchPath {
  std::string tag;
  std::string dir;
};

struct ConfAlias {
  std::string name;
  std::vector<std::string> targets;  // legacy: every expanded word; kmod: exactly one
  ConfSource source = ConfSource::legacy;
  ConfOrigin origin;
  // The target that is used: the first word, or "" if there is none.
  const std::string& target() const;
};

struct ConfOptions {
  std::string module;
  // Legacy: the expanded words.  kmod: empty.
  std::vector<std::string> words;
  // kmod: the raw rest of the line (tabs turned into spaces, other spacing
  // kept).  Legacy: empty.
  std::string text;
  bool never_autoclean = false;  // legacy "options -k"
  ConfSource source = ConfSource::legacy;
  ConfOrigin origin;
  // The option words as one string: `text` for kmod entries, the words
  // joined with single spaces for legacy ones.
  std::string joined() const;
};

enum class CommandKind : unsigned char { pre_install, install, post_install, pre_remove, remove, post_remove };
const char* command_keyword(CommandKind k);  // "pre-install", ...

struct ConfCommand {
  CommandKind kind = CommandKind::install;
  std::string module;   // legacy: exact name as written (quotes kept); kmod: fnmatch pattern
  std::string command;  // raw shell text, not expanded (may be empty in legacy files)
  ConfSource source = ConfSource::legacy;
  ConfOrigin origin;
};

// A legacy name with a word list: above, below, probe, probeall, prune.
struct ConfModuleList {
  std::string name;
  std::vector<std::string> modules;
  ConfSource source = ConfSource::legacy;
  ConfOrigin origin;
};

struct ConfBlacklist {
  std::string module;
  ConfSource source = ConfSource::modprobe_d;
  ConfOrigin origin;
};

struct ConfSoftdep {
  std::string module;  // fnmatch pattern
  std::vector<std::string> pre, post;  // as written (no underscores())
  ConfSource source = ConfSource::modprobe_d;
  ConfOrigin origin;
};

struct ConfWeakdep {
  std::string module;  // fnmatch pattern
  std::vector<std::string> deps;
  ConfSource source = ConfSource::modprobe_d;
  ConfOrigin origin;
};

// The legacy "generated files", in modutils' order (also the -c order).
enum class GenFile : unsigned char {
  generic_string, pcimap, isapnpmap, usbmap, parportmap, ieee1394map, pnpbiosmap, dep
};
inline constexpr std::size_t kGenFileCount = 8;
// "generic_string", "pcimap", ... "dep": the config keyword is this + "file".
const char* gen_file_base(GenFile f);

struct ConfigModel {
  // --- Which files were used -------------------------------------------
  // True when the legacy language is in force (a legacy file was read, or
  // legacy defaults were requested): decides the modprobe -c layout and
  // whether the built-in tables below are present.
  bool legacy_in_force = false;
  std::string legacy_file;                 // the top-level legacy file read ("" if none)
  std::vector<std::string> legacy_files;   // every legacy file read, includes too
  std::vector<std::string> modprobe_d_files;  // modprobe.d files parsed, in order

  // --- Legacy module search and generated files -------------------------
  std::vector<SearchPath> paths;           // in search order
  std::vector<ConfModuleList> prune;       // names ignored at the top of "type 1" dirs
  std::array<std::string, kGenFileCount> gen_files;  // expanded names (root included)
  std::array<bool, kGenFileCount> gen_file_set{};    // true if an xxxfile= line set it
  std::array<ConfOrigin, kGenFileCount> gen_file_origins;  // where (if set)
  std::string persistdir = "/var/lib/modules/persist";
  bool has_insmod_opt = false;
  std::string insmod_opt;                  // raw text after "insmod_opt="
  // "define NAME VALUE" in order (a later define of the same name wins);
  // modprobe passes them in the environment of the commands it runs.
  std::vector<std::pair<std::string, std::string>> defines;

  // --- Module lookup ------------------------------------------------------
  std::vector<ConfAlias> aliases;
  std::vector<ConfOptions> options;
  std::vector<ConfCommand> commands;
  std::vector<ConfModuleList> above, below, probe, probeall;
  std::vector<ConfBlacklist> blacklist;
  std::vector<ConfSoftdep> softdeps;
  std::vector<ConfWeakdep> weakdeps;

  // --- Outcome ------------------------------------------------------------
  // modutils fails the whole configuration read for some errors; which ones
  // depends on the tool (depmod ignores invalid lines, modprobe does not).
  bool modprobe_fails = false;  // modutils modprobe would exit 255
  bool depmod_fails = false;    // modutils depmod would fail
  // Files refused because root should not trust them (trusted_only reads);
  // both tools stop when this is not empty.
  std::vector<std::string> untrusted_files;

  const std::string& depfile() const { return gen_files[static_cast<std::size_t>(GenFile::dep)]; }
  const std::string& gen_file(GenFile f) const { return gen_files[static_cast<std::size_t>(f)]; }
};

// A problem found while reading the configuration.  `message` is the full
// text in the wording of the tool the language comes from, without a
// program prefix and without a trailing newline (it may contain "\n\t" as
// modutils' "Invalid line" does).
enum class ConfErrorLevel : unsigned char {
  error,    // modutils error() / kmod ERR()
  warning,  // modutils "Warning: ..." texts, printed as they are
  info,     // kmod INFO-level notes
};
struct ConfigError {
  ConfErrorLevel level = ConfErrorLevel::error;
  ConfSource source = ConfSource::legacy;
  std::string file;
  unsigned line = 0;
  std::string message;
};

// --- Lookups with the rules described at the top ---------------------------

// Legacy alias entry for exactly `name`, or nullptr.
const ConfAlias* find_legacy_alias(const ConfigModel& m, std::string_view name);
// kmod alias entries whose pattern matches `name` (fnmatch), in config order.
std::vector<const ConfAlias*> match_kmod_aliases(const ConfigModel& m, std::string_view name);
// Legacy options entry for exactly `name`, or nullptr.
const ConfOptions* find_legacy_options(const ConfigModel& m, std::string_view name);
// kmod options for `modname`, and for `alias` too when it is not empty
// (the alias a module was found through): every entry naming either, in
// configuration order, their texts joined with one space.
std::string kmod_options(const ConfigModel& m, std::string_view modname, std::string_view alias = {});
// First command of `kind` for `name`: legacy entries by exact name first,
// then kmod install/remove entries by fnmatch.  nullptr if none.
const ConfCommand* find_command(const ConfigModel& m, CommandKind kind, std::string_view name);
// The kmod half of find_command: the first kmod entry of `kind` whose
// pattern matches `name`; legacy entries are not looked at.
const ConfCommand* find_kmod_command(const ConfigModel& m, CommandKind kind, std::string_view name);
// The first kmod entry of `kind` written for exactly `name` (the pattern
// compared as a string, as kmod's lookup by command does).
const ConfCommand* find_kmod_command_named(const ConfigModel& m, CommandKind kind, std::string_view name);
// Legacy above/below/probe/probeall/prune entry named exactly `name`.
const ConfModuleList* find_list(const std::vector<ConfModuleList>& list, std::string_view name);
bool is_blacklisted(const ConfigModel& m, std::string_view modname);
const ConfSoftdep* find_softdep(const ConfigModel& m, std::string_view modname);
const ConfWeakdep* find_weakdep(const ConfigModel& m, std::string_view modname);
// The prune names (first word of every prune entry; modutils ignores the rest).
std::vector<std::string> prune_names(const ConfigModel& m);

}  // namespace mng
