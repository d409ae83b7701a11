// SPDX-License-Identifier: GPL-2.0-or-later
// Putting one module file into the kernel (kmod_module_insert_module).
//
// An uncompressed file, or a compressed one whose compression is the one
// /sys/module/compression names, goes to finit_module(fd) (with
// MODULE_INIT_COMPRESSED_FILE for the latter); forcing adds
// MODULE_INIT_IGNORE_VERMAGIC / _MODVERSIONS.  Only ENOSYS from
// finit_module (old kernel) falls back to init_module on the image read
// (and decompressed) in user space; a compressed file the kernel cannot
// decompress goes that way directly.  For init_module, forcing edits a
// copy of the image as the kernel flags would (strip_for_force in
// common/elf_image.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/kernel.h"

namespace mng {

// 0 or a negative errno.  *detail gets a reason that is not an errno
// (a file that cannot be decompressed), for the message.  A kernel that
// only records (DryRunKernel) gets one finit_module call and the file is
// not touched.
int insert_module_file(Kernel& kernel, const std::string& path, const std::string& params, bool force_vermagic,
                       bool force_modversion, std::string* detail);

}  // namespace mng
