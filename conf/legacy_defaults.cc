// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/legacy_defaults.h"

#include "conf/expand.h"

namespace mng {

namespace {

// The smaller built-in tables, in modutils 2.4.25's order.
const std::vector<std::string_view> k_options = {
    "dummy0 -o dummy0",
    "dummy1 -o dummy1",
    "sb io=0x220 irq=7 dma=1 dma16=5 mpu_io=0x330",
};
const std::vector<std::string_view> k_prune = {
    "modules.dep", "modules.description", "modules.generic_string", "modules.pcimap", "modules.isapnpmap",
    "modules.usbmap", "modules.parportmap", "modules.ieee1394map", "modules.pnpbiosmap",
    "System.map", ".config", "Kerntypes", "build", "vmlinux", "vmlinuz", "bzImage", "zImage", ".rhkmvtag",
};
const std::vector<std::string_view> k_above = {
    "hid keybdev mousedev",
    "usbmouse hid",
    "wacom evdev",
};
const std::vector<std::string_view> k_below = {
    "ov518_decomp ov511",
};

}  // namespace

const std::vector<std::string_view>& legacy_builtin_aliases() {
  // Order matters: modprobe -c lists them like this, and a config alias of
  // the same name takes the entry's place.
  static const std::vector<std::string_view> table = {
      "binfmt-0000 off", "binfmt-204 binfmt_aout", "binfmt-263 binfmt_aout", "binfmt-264 binfmt_aout",
      "binfmt-267 binfmt_aout", "binfmt-387 binfmt_aout", "binfmt-332 iBCS", "binfmt--310 binfmt_java",

      "block-major-1 rd", "block-major-2 floppy", "block-major-3 ide-probe-mod", "block-major-7 loop",
      "block-major-8 sd_mod", "block-major-9 md", "block-major-11 sr_mod", "block-major-13 xd",
      "block-major-15 cdu31a", "block-major-16 gscd", "block-major-17 optcd", "block-major-18 sjcd",
      "block-major-20 mcdx", "block-major-22 ide-probe-mod", "block-major-23 mcd",
      "block-major-24 sonycd535", "block-major-25 sbpcd", "block-major-26 sbpcd", "block-major-27 sbpcd",
      "block-major-29 aztcd", "block-major-32 cm206", "block-major-33 ide-probe-mod",
      "block-major-34 ide-probe-mod", "block-major-37 ide-tape", "block-major-44 ftl", "block-major-46 pcd",
      "block-major-47 pf", "block-major-56 ide-probe-mod", "block-major-57 ide-probe-mod",
      "block-major-58 lvm-mod", "block-major-88 ide-probe-mod", "block-major-89 ide-probe-mod",
      "block-major-90 ide-probe-mod", "block-major-91 ide-probe-mod", "block-major-93 nftl",
      "block-major-97 pg",

      "char-major-4 serial", "char-major-5 serial", "char-major-6 lp", "char-major-9 st",
      "char-major-10 off", "char-major-10-0 busmouse", "char-major-10-1 off", "char-major-10-2 msbusmouse",
      "char-major-10-3 atixlmouse", "char-major-10-130 wdt", "char-major-10-131 wdt",
      "char-major-10-135 rtc", "char-major-10-139 openprom", "char-major-10-144 nvram",
      "char-major-10-157 applicom", "char-major-10-175 agpgart", "char-major-10-184 microcode",
      "char-major-10-200 tun", "char-major-13 input", "char-major-13-32 mousedev",
      "char-major-14 soundcore", "char-major-19 cyclades", "char-major-20 cyclades", "char-major-21 sg",
      "char-major-22 pcxx", "char-major-23 pcxx", "char-major-27 ftape", "char-major-34 scc",
      "char-major-35 tclmidi", "char-major-36 netlink", "char-major-37 ide-tape", "char-major-48 riscom8",
      "char-major-49 riscom8", "char-major-57 esp", "char-major-58 esp", "char-major-63 kdebug",
      "char-major-90 mtdchar", "char-major-96 pt", "char-major-99 ppdev", "char-major-107 3dfx",
      "char-major-108 ppp_generic", "char-major-109 lvm-mod", "char-major-161 ircomm-tty",
      "char-major-171 raw1394", "char-major-195 NVdriver", "char-major-200 vxspec", "char-major-206 osst",

      "dos msdos", "dummy0 dummy", "dummy1 dummy", "eth0 off", "iso9660 isofs",
      "md-personality-1 linear", "md-personality-2 raid0", "md-personality-3 raid1",
      "md-personality-4 raid5", "md-personality-7 multipath",

      "net-pf-1 unix", "net-pf-2 ipv4", "net-pf-3 off", "net-pf-4 ipx", "net-pf-5 appletalk",
      "net-pf-6 off", "net-pf-10 off", "net-pf-17 af_packet", "net-pf-19 off",

      "netalias-2 ip_alias", "irlan0 irlan", "irda-dongle-0 tekram", "irda-dongle-1 esi",
      "irda-dongle-2 actisys", "irda-dongle-3 actisys", "irda-dongle-4 girbil", "irda-dongle-5 litelink",
      "irda-dongle-6 airport", "irda-dongle-7 old_belkin", "plip0 plip", "plip1 plip", "tunl0 ipip", "cipcb0 cipcb", "cipcb1 cipcb",
      "cipcb2 cipcb", "cipcb3 cipcb", "ppp0 ppp", "ppp1 ppp", "scsi_hostadapter off", "slip0 slip",
      "slip1 slip", "tty-ldisc-1 slip", "tty-ldisc-3 ppp_async", "tty-ldisc-11 irtty",
      "tty-ldisc-14 ppp_synctty", "ppp-compress-18 ppp_mppe", "ppp-compress-21 bsd_comp",
      "ppp-compress-24 ppp_deflate", "ppp-compress-26 ppp_deflate", "parport_lowlevel parport_pc",
      "usbdevfs usbcore",
  };
  return table;
}

const std::vector<std::string_view>& legacy_builtin_options() { return k_options; }
const std::vector<std::string_view>& legacy_builtin_prune() { return k_prune; }
const std::vector<std::string_view>& legacy_builtin_above() { return k_above; }
const std::vector<std::string_view>& legacy_builtin_below() { return k_below; }





const std::vector<std::string_view>& legacy_path_types() {
  static const std::vector<std::string_view> types = {
      "kernel", "fs", "net", "scsi", "block", "cdrom", "ipv4", "ipv6", "sound",
      "fc4", "video", "misc", "pcmcia", "atm", "usb", "ide", "ieee1394", "mtd",
  };
  return types;
}

std::vector<SearchPath> legacy_default_paths(std::string_view root, std::string_view version) {
  std::string base = std::string(root) + "/lib/modules/";
  std::vector<SearchPath> out;
  out.push_back({"boot", base + "boot"});
  out.push_back({"toplevel", base + std::string(version)});
  out.push_back({"toplevel", base + kernelversion_of(version)});
  for (auto type : legacy_path_types()) out.push_back({std::string(type), base + std::string(type)});
  return out;
}

std::vector<SearchPath> legacy_modpath_paths(std::string_view modpath, std::string_view version) {
  std::vector<SearchPath> out;
  std::size_t pos = 0;
  while (pos <= modpath.size()) {
    std::size_t colon = modpath.find(':', pos);
    std::string_view elem = modpath.substr(pos, colon == std::string_view::npos ? std::string_view::npos : colon - pos);
    pos = colon == std::string_view::npos ? modpath.size() + 1 : colon + 1;
    if (elem.empty()) continue;  // strtok skips empty elements
    std::string dir(elem);
    std::size_t pct = dir.find("%s");
    if (pct != std::string::npos) dir.replace(pct, 2, version);
    std::size_t slash = dir.rfind('/');
    std::string tag = slash == std::string::npos ? std::string("misc") : dir.substr(slash + 1);
    out.push_back({std::move(tag), std::move(dir)});
  }
  return out;
}

std::string legacy_default_gen_file(std::string_view root, std::string_view version, GenFile f) {
  return std::string(root) + "/lib/modules/" + std::string(version) + "/modules." + gen_file_base(f);
}

namespace {

void add_lists(const std::vector<std::string_view>& table, std::vector<ConfModuleList>* out) {
  for (auto line : table) {
    ConfModuleList e;
    e.source = ConfSource::builtin;
    std::size_t start = 0;
    bool first = true;
    while (start < line.size()) {
      std::size_t sp = line.find(' ', start);
      std::string word(line.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start));
      if (first) e.name = std::move(word);
      else e.modules.push_back(std::move(word));
      first = false;
      if (sp == std::string_view::npos) break;
      start = sp + 1;
    }
    out->push_back(std::move(e));
  }
}

}  // namespace

void add_legacy_builtin_tables(ConfigModel* m) {
  std::vector<ConfModuleList> lists;
  add_lists(legacy_builtin_aliases(), &lists);
  for (auto& l : lists) {
    ConfAlias a;
    a.name = std::move(l.name);
    a.targets = std::move(l.modules);
    a.source = ConfSource::builtin;
    m->aliases.push_back(std::move(a));
  }
  lists.clear();
  add_lists(legacy_builtin_options(), &lists);
  for (auto& l : lists) {
    ConfOptions o;
    o.module = std::move(l.name);
    o.words = std::move(l.modules);
    o.source = ConfSource::builtin;
    m->options.push_back(std::move(o));
  }
  add_lists(legacy_builtin_prune(), &m->prune);
  add_lists(legacy_builtin_above(), &m->above);
  add_lists(legacy_builtin_below(), &m->below);
}

}  // namespace mng
