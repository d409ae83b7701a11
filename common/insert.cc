// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/insert.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/elf_image.h"
#include "common/file_util.h"
#include "common/module_file.h"

namespace mng {

int insert_module_file(Kernel& kernel, const std::string& path, const std::string& params_in, bool force_vermagic,
                       bool force_modversion, std::string* detail) {
  // kmod's joining may leave a trailing space; the kernel does not need it.
  std::string params = params_in;
  while (!params.empty() && params.back() == ' ') params.pop_back();
  int flags = 0;
  if (force_vermagic) flags |= kModuleInitIgnoreVermagic;
  if (force_modversion) flags |= kModuleInitIgnoreModversions;
  // A dry run neither opens nor reads the file.
  if (kernel.records_only()) return kernel.finit_module(-1, params, flags);

  // Opened non-blocking and checked before anything else: a FIFO or a
  // device named in modules.dep must not hang the tool or reach the kernel.
  UniqueFd fd = open_read(path);
  if (!fd) return -errno;
  struct stat st;
  if (int e = regular_file_error(fd.get(), &st)) {
    if (e != EISDIR && e != EINVAL) return -e;
    if (detail) *detail = path + ": " + read_error_text(e);
    return -ENOEXEC;  // as for a file that does not decompress
  }
  uint8_t head[8] = {};
  ssize_t got = ::pread(fd.get(), head, sizeof head, 0);
  Compression c = sniff_compression(std::span<const uint8_t>(head, got > 0 ? static_cast<size_t>(got) : 0));
  int r = -ENOSYS;
  if (c == Compression::none) {
    r = kernel.finit_module(fd.get(), params, flags);
  } else if (kernel.compression() == compression_name(c)) {
    r = kernel.finit_module(fd.get(), params, flags | kModuleInitCompressedFile);
  }
  fd.reset();
  if (r != -ENOSYS) return r;

  // Old kernel, or a compression the kernel does not handle: read the
  // image here.
  ModuleBytes bytes;
  std::string why;
  if (!load_module_file(path, &bytes, &why)) {
    if (detail) *detail = path + ": " + why;
    return -ENOEXEC;
  }
  if (force_vermagic || force_modversion) {
    std::vector<uint8_t> copy(bytes.bytes().begin(), bytes.bytes().end());
    strip_for_force(&copy, force_modversion, force_vermagic);
    return kernel.init_module(copy, params);
  }
  return kernel.init_module(bytes.bytes(), params);
}

}  // namespace mng
