// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/load_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "common/file_util.h"
#include "conf/config_dirs.h"
#include "conf/file_text.h"
#include "conf/kcmdline.h"
#include "conf/legacy_lexer.h"
#include "conf/legacy_parser.h"
#include "conf/legacy_read.h"
#include "conf/modprobe_d.h"

namespace mng {
namespace {

bool readable_file(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && access(path.c_str(), R_OK) == 0;
}

void warn(std::vector<ConfigError>* errors, const std::string& file, std::string text) {
  if (errors) errors->push_back(ConfigError{ConfErrorLevel::warning, ConfSource::legacy, file, 0, std::move(text)});
}

// modutils' texts for the two /etc files, with `etc_dir` in the names.
void etc_warnings(const std::string& mconf, const std::string& old, std::vector<ConfigError>* errors) {
  struct stat a, b, l;
  if (stat(mconf.c_str(), &a) != 0 || stat(old.c_str(), &b) != 0) return;
  if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
    if (lstat(mconf.c_str(), &l) == 0 && S_ISLNK(l.st_mode)) {
      warn(errors, mconf,
           "Warning: You do not need a link from " + mconf + " to\n         " + old + ".  The use of " + old +
               " is deprecated,\n         please remove " + mconf + " and rename " + old + "\n         to " +
               mconf + " as soon as possible.  Commands.\n           rm " + mconf + "\n           mv " + old +
               " " + mconf);
    } else {
      warn(errors, old,
           "Warning: You do not need a link from " + old + " to\n         " + mconf + ".  The use of " + old +
               " is deprecated,\n         please remove " + old + " as soon as possible.  Command\n           rm " +
               old);
    }
    return;
  }
  warn(errors, old,
       "Warning: modutils is reading from " + mconf + " and\n         ignoring " + old + ".  The use of " + old +
           " is deprecated,\n         please remove " + old + " as soon as possible.  Command\n           rm " + old);
}

ConfigLanguage language_of(const ConfigOptions& o, const std::string& path) {
  if (o.language != ConfigLanguage::automatic) {
    struct stat st;
    if (o.language == ConfigLanguage::legacy && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      return ConfigLanguage::modprobe_d;  // a directory is always a modprobe.d directory
    return o.language;
  }
  return guess_config_language(path);
}

LegacyReadOptions legacy_options(const ConfigOptions& o) {
  return LegacyReadOptions{.root = o.root,
                           .version = o.kernel_version,
                           .environment = o.environment,
                           .safe_mode = o.safe_mode,
                           .autoclean = o.autoclean,
                           .trusted_only = o.trusted_only};
}

// Diagnostics of the modprobe.d listing, as configuration errors of the
// modprobe.d language (in the order they are found).
class ConfigErrorSink : public Diagnostics {
 public:
  explicit ConfigErrorSink(std::vector<ConfigError>* errors) : errors_(errors) {}
  void add(Diagnostic d) override {
    if (!errors_) return;
    bool note = d.level == Level::notice || d.level == Level::info || d.level == Level::debug;
    errors_->push_back(ConfigError{note ? ConfErrorLevel::info : ConfErrorLevel::error, ConfSource::modprobe_d,
                                   d.file, d.line, d.message()});
  }

 private:
  std::vector<ConfigError>* errors_;
};

void read_legacy(ConfigModel* m, const ConfigOptions& o, const std::vector<std::string>& files,
                 std::vector<ConfigError>* errors) {
  LegacyReadOptions lo = legacy_options(o);
  legacy_begin(m, lo);
  for (const auto& f : files) {
    if (m->legacy_file.empty()) m->legacy_file = f;
    legacy_read_file(m, f, lo, errors);
  }
  legacy_finish(m, lo, errors);
}

}  // namespace

ConfigLanguage guess_config_language(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return ConfigLanguage::modprobe_d;
  std::string_view base = base_name(path);
  if (base == "modules.conf" || base == "conf.modules") return ConfigLanguage::legacy;
  std::string content;
  if (!read_file(path, kMaxConfigFileSize, &content)) return ConfigLanguage::modprobe_d;
  for (const auto& ll : legacy_logical_lines(content)) {
    auto l = parse_legacy_line(ll.text);
    if (!l) continue;
    if (l->adding) return ConfigLanguage::legacy;
    const std::string& k = l->keyword;
    if (k == "blacklist" || k == "softdep" || k == "weakdep") return ConfigLanguage::modprobe_d;
    switch (classify_legacy_keyword(*l, nullptr)) {
      case LegacyKeyword::keep: case LegacyKeyword::path: case LegacyKeyword::gen_file:
      case LegacyKeyword::persistdir: case LegacyKeyword::insmod_opt: case LegacyKeyword::define:
      case LegacyKeyword::if_: case LegacyKeyword::elseif: case LegacyKeyword::else_:
      case LegacyKeyword::endif: case LegacyKeyword::prune: case LegacyKeyword::above:
      case LegacyKeyword::below: case LegacyKeyword::probe: case LegacyKeyword::probeall:
      case LegacyKeyword::pre_install: case LegacyKeyword::post_install:
      case LegacyKeyword::pre_remove: case LegacyKeyword::post_remove:
        return ConfigLanguage::legacy;
      default:
        break;
    }
  }
  return ConfigLanguage::modprobe_d;
}

bool is_legacy_kernel(const std::string& version) {
  char* end = nullptr;
  long major = std::strtol(version.c_str(), &end, 10);
  if (end == version.c_str()) return false;
  long minor = 0;
  if (*end == '.') minor = std::strtol(end + 1, nullptr, 10);
  return major < 2 || (major == 2 && minor <= 4);
}

std::vector<std::string> choose_legacy_files(const ConfigOptions& o, std::vector<ConfigError>* errors) {
  std::vector<std::string> files;
  if (!o.config_paths.empty()) {
    for (const auto& p : o.config_paths)
      if (language_of(o, p) == ConfigLanguage::legacy) files.push_back(p);
    return files;
  }
  std::optional<std::string> env = o.safe_mode ? std::nullopt : env_value("MODULECONFIG", o.environment);
  if (env && !env->empty()) {
    files.push_back(*env);
    return files;
  }
  const std::string mconf = o.etc_dir + "/modules.conf";
  const std::string old = o.etc_dir + "/conf.modules";
  if (readable_file(mconf)) {
    files.push_back(mconf);
    etc_warnings(mconf, old, errors);
  } else if (readable_file(old)) {
    files.push_back(old);
    warn(errors, old,
         "Warning: modutils is reading from " + old + " because\n         " + mconf +
             " does not exist.  The use of " + old + " is\n         deprecated, please rename " + old + " to " +
             mconf + "\n         as soon as possible.  Command\n         mv " + old + " " + mconf);
  }
  return files;
}

ConfigModel load_legacy_config(const ConfigOptions& o, std::vector<ConfigError>* errors) {
  ConfigModel m;
  read_legacy(&m, o, choose_legacy_files(o, errors), errors);
  return m;
}

ConfigModel load_modprobe_config(const ConfigOptions& o, std::vector<ConfigError>* errors) {
  ConfigModel m;
  std::vector<std::string> legacy_files = choose_legacy_files(o, errors);
  bool legacy = !legacy_files.empty() || o.legacy_defaults == LegacyDefaults::always ||
                (o.legacy_defaults == LegacyDefaults::automatic && is_legacy_kernel(o.kernel_version));
  if (legacy) {
    read_legacy(&m, o, legacy_files, errors);
  } else {
    // Not in force, but callers may still want the default generated names.
    LegacyReadOptions lo = legacy_options(o);
    legacy_finish(&m, lo, nullptr);
  }

  std::vector<std::string> kmod_paths;
  if (!o.config_paths.empty()) {
    for (const auto& p : o.config_paths)
      if (language_of(o, p) != ConfigLanguage::legacy) kmod_paths.push_back(p);
  } else {
    kmod_paths = o.modprobe_d_dirs.empty() ? default_modprobe_dirs() : o.modprobe_d_dirs;
  }
  std::string module_dir =
      o.module_dir.empty() ? o.root + "/lib/modules/" + o.kernel_version : o.module_dir;
  std::vector<ConfigFile> injected = {{module_dir + "/modules.softdep", "modules.softdep"},
                                      {module_dir + "/modules.weakdep", "modules.weakdep"}};
  ConfigListOptions list_opts;
  list_opts.report_skipped = false;  // libkmod skips other names silently
  ConfigErrorSink listing(errors);
  for (const auto& f : list_config_files(kmod_paths, "", injected, list_opts, &listing))
    parse_modprobe_d_file(&m, f.path, errors, o.trusted_only);

  parse_kernel_cmdline(&m, o.kernel_cmdline, errors);
  return m;
}

}  // namespace mng
