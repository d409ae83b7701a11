// SPDX-License-Identifier: GPL-2.0-or-later
#include "modprobe/show.h"

#include <sys/stat.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "common/elf_image.h"
#include "common/elf_module.h"
#include "common/modname.h"
#include "common/module_file.h"
#include "conf/show_config.h"

namespace mng {

namespace {

void dump_index(Context& ctx, LazyIndex& idx) {
  std::string why;
  const IndexFile* f = idx.get(&why);
  if (!f) {
    if (!why.empty()) ctx.message(Msg::error, why);
    return;
  }
  std::ostream& out = *ctx.out;
  if (!f->dump([&](std::string_view key, const IndexValue& v) { out << "alias " << key << " " << v.value << "\n"; },
               &why))
    ctx.message(Msg::error, why);
}

std::string hex_crc(uint64_t crc) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08" PRIx64, crc);
  return buf;
}

// Loads PATH for --show-*: a file, or else (no '/' in it) a module name
// looked up in modules.dep.  Prints kmod's message and returns false when
// there is neither.
bool load_for_show(Context& ctx, std::string path, ModuleBytes* bytes) {
  struct stat st;
  std::string why;
  if (::stat(path.c_str(), &st) != 0) {
    DepEntry e;
    if (path.find('/') == std::string::npos && ctx.dep.open_dir(ctx.moddir, &why) &&
        ctx.dep.lookup(normalize_modname(path), &e)) {
      path = e.path;
    } else {
      ctx.message(Msg::fatal, "Module " + path + " not found.");
      return false;
    }
  }
  if (!load_module_file(path, bytes, &why)) {
    ctx.message(Msg::fatal, "could not get symbols of " + path + ": " + why);
    return false;
  }
  return true;
}

}  // namespace

int show_config_and_indexes(Context& ctx) {
  show_config(ctx.cfg, *ctx.out);
  if (ctx.cfg.legacy_in_force) return 0;
  *ctx.out << "\n# End of configuration files. Dumping indexes now:\n\n";
  dump_index(ctx, ctx.alias_idx);
  dump_index(ctx, ctx.symbols_idx);
  return 0;
}

int show_exports(Context& ctx, const std::string& path) {
  ModuleBytes bytes;
  if (!load_for_show(ctx, path, &bytes)) return 1;
  ModuleElf elf;
  std::string why;
  if (!parse_module_elf(bytes.bytes(), &elf, &why)) {
    ctx.message(Msg::fatal, "could not get symbols of " + path + ": " + why);
    return 1;
  }
  if (elf.exports.empty()) {
    // kmod finds no symbol table to read: ENOENT.
    ctx.message(Msg::fatal, "could not get symbols of " + path + ": " + std::strerror(ENOENT));
    return 1;
  }
  for (const auto& e : elf.exports) *ctx.out << hex_crc(e.crc) << "\t" << elf.str(e.name) << "\n";
  return 0;
}

int show_modversions(Context& ctx, const std::string& path) {
  ModuleBytes bytes;
  if (!load_for_show(ctx, path, &bytes)) return 1;
  std::vector<VersionEntry> v;
  if (!read_modversions(bytes.bytes(), &v)) {
    ctx.message(Msg::fatal, "could not get modversions of " + path + ": not an ELF file");
    return 1;
  }
  for (const auto& e : v) *ctx.out << hex_crc(e.crc) << "\t" << e.name << "\n";
  return 0;
}

}  // namespace mng
