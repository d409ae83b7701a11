// SPDX-License-Identifier: GPL-2.0-or-later
// The lookups of the configuration model, on models built by hand: these
// are the lookups both modprobe engines call.
#include "conf/config_model.h"

#include <catch2/catch.hpp>

using namespace mng;

namespace {

ConfAlias alias(std::string name, std::string target, ConfSource src) {
  ConfAlias a;
  a.name = std::move(name);
  a.targets = {std::move(target)};
  a.source = src;
  return a;
}

ConfOptions kopts(std::string module, std::string text) {
  ConfOptions o;
  o.module = std::move(module);
  o.text = std::move(text);
  o.source = ConfSource::modprobe_d;
  return o;
}

ConfCommand cmd(CommandKind kind, std::string module, std::string command, ConfSource src) {
  ConfCommand c;
  c.kind = kind;
  c.module = std::move(module);
  c.command = std::move(command);
  c.source = src;
  return c;
}

}  // namespace

TEST_CASE("config model: kmod aliases match by pattern, legacy ones by exact name", "[conf][model]") {
  ConfigModel m;
  m.aliases = {alias("eth*", "e1000", ConfSource::modprobe_d), alias("eth0", "ne", ConfSource::legacy),
               alias("eth0", "r8169", ConfSource::modprobe_d), alias("eth?x", "x", ConfSource::kcmdline)};
  auto k = match_kmod_aliases(m, "eth0");
  REQUIRE(k.size() == 2);
  CHECK(k[0]->target() == "e1000");
  CHECK(k[1]->target() == "r8169");
  CHECK(match_kmod_aliases(m, "eth1x").size() == 2);  // eth* and eth?x
  CHECK(match_kmod_aliases(m, "wlan0").empty());
  REQUIRE(find_legacy_alias(m, "eth0"));
  CHECK(find_legacy_alias(m, "eth0")->target() == "ne");
  CHECK_FALSE(find_legacy_alias(m, "eth*"));
}

TEST_CASE("config model: kmod options of a module and of the alias it was found through", "[conf][model]") {
  ConfigModel m;
  m.options = {kopts("snd_hda", "a=1"), kopts("sound", "b=2"), kopts("snd_hda", "c=3"), kopts("other", "d=4")};
  ConfOptions legacy;
  legacy.module = "snd_hda";
  legacy.words = {"legacy=1"};
  m.options.push_back(legacy);
  CHECK(kmod_options(m, "snd_hda") == "a=1 c=3");
  // Configuration order, not name first and alias second.
  CHECK(kmod_options(m, "snd_hda", "sound") == "a=1 b=2 c=3");
  CHECK(kmod_options(m, "sound") == "b=2");
  CHECK(kmod_options(m, "none", "") == "");
  REQUIRE(find_legacy_options(m, "snd_hda"));
  CHECK(find_legacy_options(m, "snd_hda")->joined() == "legacy=1");
}

TEST_CASE("config model: commands, legacy by name first, kmod by pattern", "[conf][model]") {
  ConfigModel m;
  m.commands = {cmd(CommandKind::install, "snd_*", "/bin/pattern", ConfSource::modprobe_d),
                cmd(CommandKind::install, "snd_pcm", "/bin/exact", ConfSource::modprobe_d),
                cmd(CommandKind::install, "snd_pcm", "/bin/legacy", ConfSource::legacy),
                cmd(CommandKind::remove, "snd_pcm", "/bin/rm", ConfSource::modprobe_d)};
  CHECK(find_command(m, CommandKind::install, "snd_pcm")->command == "/bin/legacy");
  CHECK(find_kmod_command(m, CommandKind::install, "snd_pcm")->command == "/bin/pattern");  // first match
  CHECK(find_kmod_command_named(m, CommandKind::install, "snd_pcm")->command == "/bin/exact");
  CHECK(find_kmod_command_named(m, CommandKind::install, "snd_x") == nullptr);  // no pattern match here
  CHECK(find_kmod_command(m, CommandKind::install, "snd_x")->command == "/bin/pattern");
  CHECK(find_kmod_command(m, CommandKind::remove, "snd_pcm")->command == "/bin/rm");
  CHECK(find_kmod_command(m, CommandKind::remove, "snd_x") == nullptr);
  CHECK(find_command(m, CommandKind::pre_install, "snd_pcm") == nullptr);
}

TEST_CASE("config model: blacklist by exact name, softdep and weakdep by pattern", "[conf][model]") {
  ConfigModel m;
  m.blacklist = {ConfBlacklist{"evil", ConfSource::modprobe_d, {}}};
  ConfSoftdep sd;
  sd.module = "mod_*";
  sd.pre = {"a-b"};
  m.softdeps = {sd};
  ConfWeakdep wd;
  wd.module = "w?";
  wd.deps = {"x"};
  m.weakdeps = {wd};
  CHECK(is_blacklisted(m, "evil"));
  CHECK_FALSE(is_blacklisted(m, "evi"));
  REQUIRE(find_softdep(m, "mod_a"));
  CHECK(find_softdep(m, "mod_a")->pre == std::vector<std::string>{"a-b"});
  CHECK(find_softdep(m, "other") == nullptr);
  CHECK(find_weakdep(m, "w1"));
  CHECK(find_weakdep(m, "w12") == nullptr);
}

TEST_CASE("config model: legacy lists and prune names", "[conf][model]") {
  ConfigModel m;
  m.probe = {ConfModuleList{"eth", {"a", "b"}, ConfSource::legacy, {}}};
  m.prune = {ConfModuleList{"build", {"ignored"}, ConfSource::legacy, {}},
             ConfModuleList{"source", {}, ConfSource::legacy, {}}};
  REQUIRE(find_list(m.probe, "eth"));
  CHECK(find_list(m.probe, "eth")->modules == std::vector<std::string>{"a", "b"});
  CHECK(find_list(m.probe, "et") == nullptr);
  CHECK(prune_names(m) == std::vector<std::string>{"build", "source"});
}
