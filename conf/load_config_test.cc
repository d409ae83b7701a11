// SPDX-License-Identifier: GPL-2.0-or-later
// Which files are read (doc/compat.md: modutils: which configuration file; modprobe.d) and
// mixed configurations.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "tests/test_util.h"
#include "conf/load_config.h"

using namespace mng;
using namespace mng::testing;

namespace {

ConfigOptions options_for(const TempDir& d, const std::map<std::string, std::string>* env) {
  ConfigOptions o;
  o.kernel_version = "2.4.20";
  o.etc_dir = d.path + "/etc";
  o.modprobe_d_dirs = {d.path + "/etc/modprobe.d"};
  o.module_dir = d.path + "/lib/modules/2.4.20";
  o.environment = env;
  return o;
}

const std::map<std::string, std::string> kNoEnv;

struct Loaded {
  ConfigModel m;
  std::vector<ConfigError> errors;
};

Loaded load(const ConfigOptions& o) {
  Loaded l;
  l.m = load_modprobe_config(o, &l.errors);
  return l;
}

// The one message of a tree whose etc/LINK is a symlink to etc/FILE.
std::string symlinked_conf_message(TempDir& d, const char* file, const char* link) {
  d.write(std::string("etc/") + file, "");
  REQUIRE(symlink(file, (d.path + "/etc/" + link).c_str()) == 0);
  std::vector<ConfigError> errors;
  load_modprobe_config(options_for(d, &kNoEnv), &errors);
  REQUIRE(errors.size() == 1);
  return errors[0].message;
}

}  // namespace

TEST_CASE("load: /etc/conf.modules alone gives modutils' deprecation warning", "[conf]") {
  TempDir d;
  d.write("etc/conf.modules", "alias old yes\n");
  ConfigOptions o = options_for(d, &kNoEnv);
  auto [m, errors] = load(o);
  CHECK(m.legacy_in_force);
  CHECK(m.legacy_file == o.etc_dir + "/conf.modules");
  CHECK(find_legacy_alias(m, "old"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].level == ConfErrorLevel::warning);
  // modutils 2.4's text with /etc replaced by the test's directory.
  const std::string e = o.etc_dir;
  CHECK(errors[0].message == "Warning: modutils is reading from " + e + "/conf.modules because\n"
                             "         " + e + "/modules.conf does not exist.  The use of " + e + "/conf.modules is\n"
                             "         deprecated, please rename " + e + "/conf.modules to " + e + "/modules.conf\n"
                             "         as soon as possible.  Command\n"
                             "         mv " + e + "/conf.modules " + e + "/modules.conf");
}

TEST_CASE("load: modutils' literal warning text for /etc", "[conf]") {
  // The test cannot own the real /etc, so the temp directory's name is
  // mapped back to "/etc" and compared with modutils 2.4's text.
  TempDir d;
  d.write("etc/conf.modules", "");
  ConfigOptions o = options_for(d, &kNoEnv);
  std::vector<ConfigError> errors;
  load_modprobe_config(o, &errors);
  REQUIRE(errors.size() == 1);
  std::string text = errors[0].message;
  for (std::size_t p; (p = text.find(o.etc_dir)) != std::string::npos;) text.replace(p, o.etc_dir.size(), "/etc");
  CHECK(text ==
        "Warning: modutils is reading from /etc/conf.modules because\n"
        "         /etc/modules.conf does not exist.  The use of /etc/conf.modules is\n"
        "         deprecated, please rename /etc/conf.modules to /etc/modules.conf\n"
        "         as soon as possible.  Command\n"
        "         mv /etc/conf.modules /etc/modules.conf");
}

TEST_CASE("load: both /etc files exist", "[conf]") {
  TempDir d;
  d.write("etc/modules.conf", "alias new yes\n");
  d.write("etc/conf.modules", "alias old yes\n");
  ConfigOptions o = options_for(d, &kNoEnv);
  auto [m, errors] = load(o);
  CHECK(find_legacy_alias(m, "new"));
  CHECK_FALSE(find_legacy_alias(m, "old"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.starts_with("Warning: modutils is reading from " + o.etc_dir + "/modules.conf and\n"));

  // conf.modules as a symlink to modules.conf.
  TempDir l;
  CHECK(symlinked_conf_message(l, "modules.conf", "conf.modules")
            .find("please remove " + l.path + "/etc/conf.modules as soon as possible") != std::string::npos);
  // modules.conf as the symlink.
  TempDir r;
  CHECK(symlinked_conf_message(r, "conf.modules", "modules.conf")
            .find("  Commands.\n           rm " + r.path + "/etc/modules.conf\n") != std::string::npos);
}

TEST_CASE("load: -C and $MODULECONFIG choose the legacy file", "[conf]") {
  TempDir d;
  d.write("etc/modules.conf", "alias etc yes\n");
  std::string c = d.write("other/modules.conf", "alias minus_c yes\n");
  std::string envfile = d.write("env.conf", "alias from_env yes\n");
  std::map<std::string, std::string> env = {{"MODULECONFIG", envfile}};

  ConfigOptions o = options_for(d, &env);
  auto [m, errors] = load(o);
  CHECK(find_legacy_alias(m, "from_env"));
  CHECK_FALSE(find_legacy_alias(m, "etc"));
  CHECK(errors.empty());

  o.safe_mode = true;  // safe mode ignores $MODULECONFIG
  m = load_modprobe_config(o, &errors);
  CHECK(find_legacy_alias(m, "etc"));

  o.safe_mode = false;
  o.config_paths = {c};
  m = load_modprobe_config(o, &errors);
  CHECK(find_legacy_alias(m, "minus_c"));
  CHECK_FALSE(find_legacy_alias(m, "from_env"));
  CHECK(m.legacy_file == c);

  env["MODULECONFIG"] = d.path + "/missing.conf";
  o.config_paths.clear();
  errors.clear();
  m = load_modprobe_config(o, &errors);
  CHECK(m.modprobe_fails);
  CHECK(m.depmod_fails);
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0].message == "Can't open " + d.path + "/missing.conf");
}

TEST_CASE("load: language of -C files", "[conf]") {
  TempDir d;
  CHECK(guess_config_language(d.write("a/modules.conf", "alias a b\n")) == ConfigLanguage::legacy);
  CHECK(guess_config_language(d.write("b.conf", "# x\nalias a b\nkeep\n")) == ConfigLanguage::legacy);
  CHECK(guess_config_language(d.write("c.conf", "alias a b\nblacklist c\npath=/x\n")) == ConfigLanguage::modprobe_d);
  CHECK(guess_config_language(d.write("d.conf", "alias a b\noptions a x=1\n")) == ConfigLanguage::modprobe_d);
  CHECK(guess_config_language(d.write("e.conf", "add options a x=1\n")) == ConfigLanguage::legacy);
  CHECK(guess_config_language(d.path) == ConfigLanguage::modprobe_d);
  CHECK(is_legacy_kernel("2.4.20"));
  CHECK(is_legacy_kernel("2.0.36"));
  CHECK_FALSE(is_legacy_kernel("2.6.32"));
  CHECK_FALSE(is_legacy_kernel("6.1.0-56-amd64"));
}

TEST_CASE("load: modern kernel without legacy file uses kmod rules only", "[conf]") {
  TempDir d;
  d.write("etc/modprobe.d/a.conf", "alias my-alias real-mod\noptions real-mod x=1\n");
  d.write("lib/modules/6.1.0/modules.softdep", "softdep real-mod pre: helper\n");
  ConfigOptions o = options_for(d, &kNoEnv);
  o.kernel_version = "6.1.0";
  o.module_dir = d.path + "/lib/modules/6.1.0";
  o.kernel_cmdline = "quiet real-mod.y=2 modprobe.blacklist=evil\n";
  auto [m, errors] = load(o);
  CHECK_FALSE(m.legacy_in_force);
  CHECK(m.aliases.size() == 1);  // no built-in table
  CHECK(kmod_options(m, "real_mod") == "x=1 y=2");
  CHECK(is_blacklisted(m, "evil"));
  REQUIRE(find_softdep(m, "real_mod"));
  CHECK(find_softdep(m, "real_mod")->pre == std::vector<std::string>{"helper"});
  CHECK(show_config_string(m) ==
        "blacklist evil\nalias my_alias real_mod\noptions real_mod x=1\noptions real_mod y=2\n"
        "softdep real_mod pre: helper\n");
  CHECK(errors.empty());
}

TEST_CASE("load: mixed configuration shows both layouts", "[conf]") {
  TempDir d;
  d.write("etc/modules.conf", "alias eth0 ne\noptions ne io=0x300\n");
  d.write("etc/modprobe.d/extra.conf", "blacklist pcspkr\noptions ne irq=5\nalias eth1 e1000\n");
  ConfigOptions o = options_for(d, &kNoEnv);
  o.kernel_cmdline = "ne.debug=1";
  auto [m, errors] = load(o);
  CHECK(m.legacy_in_force);
  CHECK(m.modprobe_d_files == std::vector<std::string>{o.etc_dir + "/modprobe.d/extra.conf"});
  std::string shown = show_config_string(m);
  std::size_t marker = line_index(shown, std::string(kMixedSectionMarker));
  REQUIRE(marker != static_cast<std::size_t>(-1));
  CHECK(line_index(shown, "alias eth0 ne") < marker);
  CHECK(line_index(shown, "options ne io=0x300") < marker);
  CHECK(line_index(shown, "persistdir=/var/lib/modules/persist") == marker - 1);
  auto all = lines_of(shown);
  CHECK(std::vector<std::string>(all.begin() + static_cast<long>(marker) + 1, all.end()) ==
        std::vector<std::string>{"blacklist pcspkr", "alias eth1 e1000", "options ne irq=5", "options ne debug=1"});
  // Lookups: legacy alias by exact name, kmod alias by pattern; options add up.
  CHECK(find_legacy_alias(m, "eth0")->target() == "ne");
  CHECK(find_legacy_alias(m, "eth1") == nullptr);
  CHECK(match_kmod_aliases(m, "eth1").size() == 1);
  CHECK(find_legacy_options(m, "ne")->joined() == "io=0x300");
  CHECK(kmod_options(m, "ne") == "irq=5 debug=1");

  // Legacy file only: no marker.
  TempDir only;
  only.write("etc/modules.conf", "alias eth0 ne\n");
  ConfigModel m2 = load_modprobe_config(options_for(only, &kNoEnv), &errors);
  CHECK(show_config_string(m2).find(kMixedSectionMarker) == std::string::npos);
}

TEST_CASE("load: a 2.4 kernel without any config still has modutils' defaults", "[conf]") {
  TempDir d;
  ConfigOptions o = options_for(d, &kNoEnv);
  auto [m, errors] = load(o);
  CHECK(m.legacy_in_force);
  CHECK(m.legacy_file.empty());
  CHECK(find_legacy_alias(m, "eth0")->target() == "off");  // example 7
  CHECK(m.paths.size() == 21);
  CHECK(errors.empty());
  o.legacy_defaults = LegacyDefaults::never;
  CHECK_FALSE(load_modprobe_config(o, &errors).legacy_in_force);
  // depmod's loader always has the defaults.
  o.kernel_version = "6.1.0";
  ConfigModel dm = load_legacy_config(o, &errors);
  CHECK(dm.paths.size() == 21);
  CHECK(dm.depfile() == "/lib/modules/6.1.0/modules.dep");
}
