// SPDX-License-Identifier: GPL-2.0-or-later
// Which configuration files are read, and loading them into a ConfigModel.
//
// Legacy file (modutils 2.4 rules):
//   1. -C paths that are legacy files (see guess_config_language), else
//   2. $MODULECONFIG if set and non-empty (ignored in safe mode); a file
//      that cannot be opened is "Can't open FILE" and fails the read, else
//   3. <etc_dir>/modules.conf, else
//   4. <etc_dir>/conf.modules, with modutils' warning
//        Warning: modutils is reading from /etc/conf.modules because
//                 /etc/modules.conf does not exist.  The use of /etc/conf.modules is
//                 deprecated, please rename /etc/conf.modules to /etc/modules.conf
//                 as soon as possible.  Command
//                 mv /etc/conf.modules /etc/modules.conf
//   5. else none (not an error).
//   When both /etc files exist (and neither -C nor $MODULECONFIG chose a
//   file) modules.conf is read and one of modutils' three warnings is
//   given ("You do not need a link ..." when they are the same file, in two
//   wordings depending on which one is the symlink; otherwise "modutils is
//   reading from /etc/modules.conf and ignoring /etc/conf.modules ...").
//   Warnings come back as ConfigError{level warning}: complete lines to be
//   printed as they are, without a program prefix.
//
// The legacy language is "in force" when a legacy file was chosen, or when
// legacy_defaults says so (automatic: for kernel versions up to 2.4, which
// is what modutils served; a 2.4 system without any config file still has
// modutils' built-in aliases such as "eth0 off").  Then the built-in tables
// and default paths are loaded first.
//
// modprobe.d files (kmod rules): the -C paths that are directories or
// non-legacy files, else modprobe_d_dirs (default: /etc/modprobe.d,
// /run/modprobe.d, /usr/local/lib/modprobe.d, /usr/lib/modprobe.d,
// /lib/modprobe.d), merged and sorted by basename by conf/config_dirs.h,
// plus <module_dir>/modules.softdep and <module_dir>/modules.weakdep
// placed in that sorted list under their own names.  Only *.conf files are
// taken from directories.  The root is NOT prefixed to these paths (as
// kmod, "-d" moves the module directory only).  They are read even when a
// legacy file is in force (a mixed configuration: both apply).
// The kernel command line (kernel_cmdline) comes last.
// Nothing here prints: the listing's messages ("Directories inside
// directories are not supported: PATH") come back in `errors` as
// modprobe.d errors, in the order they were found, for the tool to print
// under its own name and options (kmod 30 prints that one through libkmod's
// default logger, before modprobe's -q applies; we honour -q).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "conf/config_model.h"

namespace mng {

enum class ConfigLanguage { automatic, legacy, modprobe_d };
enum class LegacyDefaults { automatic, always, never };

struct ConfigOptions {
  std::vector<std::string> config_paths;  // -C, repeatable; empty = default locations
  std::string root;                       // depmod -b / modprobe -d ("" = /)
  std::string kernel_version;             // forced version / -S, else uname -r
  std::string kernel_cmdline;             // text of /proc/cmdline (read_kernel_cmdline())
  std::string etc_dir = "/etc";           // where modules.conf / conf.modules are looked for
  std::vector<std::string> modprobe_d_dirs;  // empty = the kmod default list
  std::string module_dir;                 // empty = <root>/lib/modules/<kernel_version>
  // $MODULECONFIG, $MODPATH, $DEPPATH..., $NAME in values; nullptr = process environment.
  const std::map<std::string, std::string>* environment = nullptr;
  bool safe_mode = false;  // modutils safe mode: environment overrides ignored
  bool autoclean = false;  // modprobe -k, for "if -k"
  bool trusted_only = false;  // running as root: refuse files others can change (conf/file_text.h)
  ConfigLanguage language = ConfigLanguage::automatic;  // how -C files are read
  LegacyDefaults legacy_defaults = LegacyDefaults::automatic;
};

// How a -C path is read in automatic mode: a directory is modprobe.d; a
// file named modules.conf or conf.modules is legacy; otherwise the first
// line whose keyword exists in only one of the languages decides (keep,
// path*=, *file=, persistdir=, insmod_opt=, define, if, prune, above,
// below, probe, probeall, pre-/post- commands or an "add" prefix mean
// legacy; blacklist, softdep, weakdep mean modprobe.d); modprobe.d if
// nothing decides (kmod's meaning of -C).
ConfigLanguage guess_config_language(const std::string& path);

// Kernel versions up to 2.4 (what modutils served).
bool is_legacy_kernel(const std::string& version);

// modprobe: legacy file (if any) + modprobe.d + kernel command line.
ConfigModel load_modprobe_config(const ConfigOptions& opts, std::vector<ConfigError>* errors);
// depmod in legacy mode: the legacy file (if any) on top of modutils'
// defaults; always legacy_in_force.
ConfigModel load_legacy_config(const ConfigOptions& opts, std::vector<ConfigError>* errors);

// The legacy files chosen by the rules above (maybe none), with the
// warnings.  Exposed for tests and for depmod -A ("is there a config?").
std::vector<std::string> choose_legacy_files(const ConfigOptions& opts, std::vector<ConfigError>* errors);

}  // namespace mng
