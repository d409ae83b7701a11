// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/modinfo_module.h"

#include <cerrno>
#include <cstring>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/module_file.h"
#include "tools/modinfo_sig.h"

namespace mng {
namespace {

// libkmod reads six bytes to recognise compression before anything else.
constexpr size_t kMagicBytes = 6;
// modules.builtin.modinfo is a few hundred KiB; more is not a real one.
constexpr size_t kBuiltinCap = size_t{256} << 20;

}  // namespace

ModinfoField split_modinfo_string(std::string_view s) {
  size_t eq = s.find('=');
  if (eq == std::string_view::npos) return {std::string(s), ""};
  return {std::string(s.substr(0, eq)), std::string(s.substr(eq + 1))};
}

int module_file_fields(const std::string& path, std::vector<ModinfoField>* out) {
  ModuleBytes mb;
  std::string why;
  errno = 0;
  if (!load_module_file(path, &mb, &why)) {
    int e = errno;
    return e != 0 && why == std::strerror(e) ? e : EINVAL;
  }
  std::span<const uint8_t> image = mb.bytes();
  if (mb.compression() == Compression::none && image.size() < kMagicBytes) return EINVAL;
  ModuleElf elf;
  if (!parse_module_elf(image, &elf, &why)) return why == "not an ELF file" ? ENOEXEC : EINVAL;
  if (!elf.has_modinfo_section) return ENOENT;
  for (std::string_view s : section_strings(elf.str(elf.modinfo_section))) out->push_back(split_modinfo_string(s));
  ModuleSignature sig;
  if (module_signature(image, &sig)) add_signature_fields(sig, out);
  return 0;
}

int builtin_fields(const std::string& moddir, const std::string& name, std::vector<ModinfoField>* out) {
  std::string text;
  if (!read_file(moddir + "/modules.builtin.modinfo", kBuiltinCap, &text)) return errno ? errno : EIO;
  bool in_run = false;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view s(text.data() + pos, end - pos);
    pos = end + 1;
    size_t dot = s.find('.');
    if (dot == std::string_view::npos) return EINVAL;
    if (s.substr(0, dot) != name) {
      if (in_run) break;  // a module's strings are together
      continue;
    }
    in_run = true;
    out->push_back(split_modinfo_string(s.substr(dot + 1)));
  }
  return 0;
}

}  // namespace mng
