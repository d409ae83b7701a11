// SPDX-License-Identifier: GPL-2.0-or-later
// What one modprobe run works with: options, configuration, the module
// directory's files, the kernel, and where output and messages go.
#pragma once
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "common/index_read.h"
#include "common/kernel.h"
#include "common/log.h"
#include "common/moddep.h"
#include "conf/config_model.h"
#include "modprobe/options.h"

namespace mng {

// Message levels as kmod's tool prints them ("modprobe: FATAL: ..."): the
// common logger's.
using Msg = Level;

// One of the .bin indexes of the module directory, opened on first use.  A
// missing file is an empty index (libkmod treats it the same way).
class LazyIndex {
 public:
  explicit LazyIndex(std::string path = "") : path_(std::move(path)) {}
  // nullptr when the file does not exist or is unusable (then *err is set
  // once for a corrupt file).
  const IndexFile* get(std::string* err = nullptr);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool tried_ = false;
  IndexFile file_;
  std::string error_;
};

struct Context {
  ModprobeOptions opts;
  Kernel* kernel = nullptr;
  std::ostream* out = nullptr;  // stdout: actions, -R, -c, -l
  std::ostream* err = nullptr;  // stderr: messages
  std::string program = "modprobe";  // how messages name the tool

  std::string kversion;  // -S or uname -r
  std::string root;      // -d
  std::string moddir;    // ROOT/lib/modules/KVERSION

  ConfigModel cfg;
  bool legacy = false;  // the modutils engine is in use

  ModDep dep;
  bool dep_ok = false;
  std::string dep_error;  // why modules.dep could not be read

  LazyIndex alias_idx, symbols_idx, builtin_idx, builtin_alias_idx;

  // Extra environment for configuration commands (legacy "define"s and
  // MODPROBE_OPTIONS for nested modprobe calls).
  std::map<std::string, std::string> command_env;

  // Verbosity as kmod: warning by default, -v raises, -q silences.
  int verbosity() const;

  // The common logger set up for this run: "modprobe", verbosity(), -q,
  // -s (syslog) and `err` (nowhere when err is nullptr).
  Logger logger() const;

  // "modprobe: LEVEL: text" when LEVEL passes the verbosity.
  void message(Msg level, const std::string& text) const;
  // "modprobe: text" (modutils style, no level) unless quiet.
  void legacy_message(const std::string& text, bool even_if_quiet = false) const;
  // Raw text unless quiet (config warnings that carry their own layout).
  void raw_error(const std::string& text) const;

  void set_moddir(const std::string& dir);
};

}  // namespace mng
