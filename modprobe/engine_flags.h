// SPDX-License-Identifier: GPL-2.0-or-later
// What each modprobe engine needs from the command line, taken from it once
// (engine_flags.cc) so that the engines do not read the whole option set.
#pragma once
#include <ostream>
#include <string>

#include "common/kernel_ops.h"
#include "modprobe/options.h"

namespace mng {

// What both engines take, filled in one place (engine_flags.cc).
struct EngineFlags {
  KernelOpFlags kernel;          // -f, -w
  Actions actions;               // action lines on stdout: kmod -v or -D; modutils -v ("/sbin/insmod ...",
                                 // "rmmod NAME", hooks)
  bool ignore_loaded = false;    // kmod -D, modutils -n or -D: modules already loaded do not matter
  bool ignore_commands = false;  // -i
  bool first_time = false;       // --first-time: a module already in (load) or not in (-r) the kernel fails
};

// The kmod engine (probe.h, remove.h).
struct KmodFlags : EngineFlags {
  bool dry_run = false;          // -n or -D: configured commands are shown, not run, and a module
                                 // without a file is no error (the kernel calls go to a DryRunKernel)
  bool use_blacklist = false;    // -b
  bool remove_holders = false;   // --remove-holders
};

// The modutils engine (legacy_engine.h).
struct LegacyFlags : EngineFlags {
  Actions depends;               // -D: kmod's lines, on stdout
  bool show_depends = false;     // -D
  bool run_commands = true;      // not -n: configured commands run
  bool autoclean = false;        // -k (for the insmod line)
  bool quiet = false;            // -q (for the insmod line)
  bool syslog = false;           // -s (for the insmod line)
  bool all = false;              // -a: every operand (every matching file), not the first that loads
  bool safe_mode = false;        // no operand is a pattern
  bool has_tag = false;          // -t TAG given
  std::string tag;               // -t TAG
};

KmodFlags kmod_flags(const ModprobeOptions& o, std::ostream* out);
LegacyFlags legacy_flags(const ModprobeOptions& o, std::ostream* out);

}  // namespace mng
