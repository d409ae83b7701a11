#include "modprobe/insert.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/module_file.h"
#include "modprobe/elf_sections.h"

namespace mng {

bool strip_for_force(std::vector<uint8_t>* image, bool modversion, bool vermagic) {
  ElfSections es;
  if (!list_elf_sections(*image, &es)) return false;
  uint8_t* p = image->data();
  for (const auto& sec : es.sections) {
    if (modversion && sec.name == "__versions") {
      size_t width = es.is64 ? 8 : 4;
      uint64_t flags = es.get(*image, sec.flags_at, width) & ~uint64_t{2};  // SHF_ALLOC
      es.put(image, sec.flags_at, width, flags);
    } else if (vermagic && sec.name == ".modinfo" && sec.in_file) {
      char* s = reinterpret_cast<char*>(p + sec.offset);
      size_t pos = 0;
      while (pos < sec.size) {
        size_t len = strnlen(s + pos, sec.size - pos);
        if (std::string_view(s + pos, len).starts_with("vermagic=")) std::memset(s + pos, 0, len);
        pos += len + 1;
      }
    }
  }
  return true;
}

int insert_module_file(Context& ctx, const std::string& path, const std::string& params_in, std::string* detail) {
  // kmod's joining may leave a trailing space; the kernel does not need it.
  std::string params = params_in;
  while (!params.empty() && params.back() == ' ') params.pop_back();
  int flags = 0;
  if (ctx.opts.force_vermagic) flags |= kModuleInitIgnoreVermagic;
  if (ctx.opts.force_modversion) flags |= kModuleInitIgnoreModversions;

  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  uint8_t head[8] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  Compression c = sniff_compression(std::span<const uint8_t>(head, got > 0 ? static_cast<size_t>(got) : 0));
  int r = -ENOSYS;
  if (c == Compression::none) {
    r = ctx.kernel->finit_module(fd, params, flags);
  } else if (ctx.kernel->compression() == compression_name(c)) {
    r = ctx.kernel->finit_module(fd, params, flags | kModuleInitCompressedFile);
  }
  ::close(fd);
  if (r != -ENOSYS) return r;

  // Old kernel, or a compression the kernel does not handle: read the
  // image here.
  ModuleBytes bytes;
  std::string why;
  if (!load_module_file(path, &bytes, &why)) {
    if (detail) *detail = path + ": " + why;
    return -ENOEXEC;
  }
  if (ctx.opts.force_vermagic || ctx.opts.force_modversion) {
    std::vector<uint8_t> copy(bytes.bytes().begin(), bytes.bytes().end());
    strip_for_force(&copy, ctx.opts.force_modversion, ctx.opts.force_vermagic);
    return ctx.kernel->init_module(copy, params);
  }
  return ctx.kernel->init_module(bytes.bytes(), params);
}

}  // namespace mng
