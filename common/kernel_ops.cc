// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/kernel_ops.h"

#include <fcntl.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/elf_module.h"
#include "common/insert.h"

namespace mng {

void Actions::insmod(const std::string& path, const std::string& options) const {
  if (out) *out << "insmod " << path << " " << options << "\n";
}

void Actions::rmmod(const std::string& name) const {
  if (out) *out << "rmmod " << name << "\n";
}

void Actions::builtin(const std::string& name) const {
  if (out) *out << "builtin " << name << "\n";
}

void Actions::install(const std::string& command, const std::string& options) const {
  if (out) *out << "install " << command << " " << options << "\n";
}

void Actions::remove(const std::string& command) const {
  if (out) *out << "remove " << command << "\n";
}

void Actions::line(const std::string& text) const {
  if (out) *out << text << "\n";
}

int ModuleOps::insert(const std::string& path, const std::string& params, std::string* detail) {
  return insert_module_file(kernel_, path, params, flags_.force_vermagic, flags_.force_modversion, detail);
}

int ModuleOps::remove(const std::string& name) {
  actions_.rmmod(name);
  const std::string kname = normalize_modname(name);
  unsigned flags = O_NONBLOCK;
  if (flags_.forcing()) flags |= O_TRUNC;
  // kmod's back-off: 1, 2, 4 ... ms, the last step cut to the time left.
  unsigned waited = 0, step = 1;
  int err;
  for (;;) {
    err = kernel_.delete_module(kname, flags);
    if (err != -EAGAIN || waited >= flags_.wait_msec) break;
    struct timespec ts{static_cast<time_t>(step / 1000), static_cast<long>(step % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
    waited += step;
    step = std::min(step * 2, flags_.wait_msec - waited + 1);
  }
  return err;
}

int ModuleOps::take_back(const std::string& name) {
  actions_.rmmod(name);
  return kernel_.delete_module(normalize_modname(name), O_NONBLOCK);
}

void ModuleOps::roll_back(const std::vector<std::string>& names) {
  for (auto it = names.rbegin(); it != names.rend(); ++it) take_back(*it);
}

std::string insert_error_reason(int err, const std::string& detail) {
  std::string reason;
  if (err == -EEXIST) reason = "Module already in kernel";
  else if (err == -ENOENT) reason = "Unknown symbol in module, or unknown parameter (see dmesg)";
  else reason = std::strerror(-err);
  if (!detail.empty()) reason += " (" + detail + ")";
  return reason;
}

}  // namespace mng
