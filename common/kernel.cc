// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/kernel.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "common/file_util.h"
#include "common/text_util.h"

// glibc exports these syscall wrappers without declaring them.
extern "C" long init_module(void* image, unsigned long len, const char* params);
extern "C" long delete_module(const char* name, unsigned int flags);

namespace mng {

const char* sys_state_name(SysState s) {
  switch (s) {
    case SysState::absent: return "absent";
    case SysState::no_initstate: return "no-initstate";
    case SysState::coming: return "coming";
    case SysState::live: return "live";
    case SysState::going: return "going";
  }
  return "?";
}

namespace {

// Reads a small /proc or /sys file whole; false (errno set) if it cannot.
bool slurp(const std::string& path, std::string* out) {
  return read_file(path, size_t{16} << 20, out);  // /proc files are never this big
}

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A file holding one decimal number of at most DIGITS digits; a negative
// errno when it cannot be read or holds anything else.
long read_decimal(const std::string& path, size_t digits) {
  std::string s;
  if (!slurp(path, &s)) return -errno;
  s = trim_newline(s);
  if (s.empty() || s.size() > digits || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return -EINVAL;
  return std::stol(s);
}

}  // namespace

// --- RealKernel -------------------------------------------------------------

int RealKernel::finit_module(int fd, const std::string& params, int flags) {
#ifdef __NR_finit_module
  long r = ::syscall(__NR_finit_module, fd, params.c_str(), flags);
  return r == 0 ? 0 : -errno;
#else
  return -ENOSYS;
#endif
}

int RealKernel::init_module(std::span<const uint8_t> image, const std::string& params) {
  long r = ::init_module(const_cast<uint8_t*>(image.data()), image.size(), params.c_str());
  return r == 0 ? 0 : -errno;
}

int RealKernel::delete_module(const std::string& name, unsigned flags) {
  long r = ::delete_module(name.c_str(), flags);
  return r == 0 ? 0 : -errno;
}

SysState RealKernel::state(const std::string& name) {
  std::string dir = root_ + "/sys/module/" + name;
  std::string s;
  if (!slurp(dir + "/initstate", &s)) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return SysState::no_initstate;
    return SysState::absent;
  }
  s = trim_newline(s);
  if (s == "live") return SysState::live;
  if (s == "coming") return SysState::coming;
  if (s == "going") return SysState::going;
  return SysState::no_initstate;
}

int RealKernel::refcnt(const std::string& name) {
  return static_cast<int>(read_decimal(root_ + "/sys/module/" + name + "/refcnt", 9));
}

std::vector<std::string> RealKernel::holders_listed(const std::string& name) {
  std::vector<std::string> out;
  std::string dir = root_ + "/sys/module/" + name + "/holders";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (struct dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    out.emplace_back(e->d_name);
  }
  ::closedir(d);
  return out;
}

std::vector<std::string> RealKernel::holders(const std::string& name) {
  std::vector<std::string> out = holders_listed(name);
  std::sort(out.begin(), out.end());
  return out;
}

long RealKernel::coresize(const std::string& name) {
  return read_decimal(root_ + "/sys/module/" + name + "/coresize", 18);
}

std::string RealKernel::compression() {
  std::string s;
  if (!slurp(root_ + "/sys/module/compression", &s)) return "";
  return trim_newline(s);
}

bool RealKernel::proc_modules(std::vector<ProcModule>* out) {
  std::string s;
  if (!slurp(root_ + "/proc/modules", &s)) return false;
  *out = parse_proc_modules(s);
  return true;
}

std::string RealKernel::cmdline() {
  std::string s;
  if (!slurp(root_ + "/proc/cmdline", &s)) return "";
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string RealKernel::release() {
  struct utsname u;
  if (::uname(&u) != 0) return "";
  return u.release;
}

// --- DryRunKernel -----------------------------------------------------------

int DryRunKernel::finit_module(int, const std::string& params, int) {
  recorded_.push_back("finit " + params);
  return 0;
}

int DryRunKernel::init_module(std::span<const uint8_t>, const std::string& params) {
  recorded_.push_back("init " + params);
  return 0;
}

int DryRunKernel::delete_module(const std::string& name, unsigned) {
  recorded_.push_back("delete " + name);
  return 0;
}

std::vector<ProcModule> parse_proc_modules(std::string_view text) {
  std::vector<ProcModule> out;
  for_each_line(text, [&](std::string_view line) {
    std::vector<std::string_view> f = strtok_split(line, " ");
    if (f.size() < 5) return;
    ProcModule m;
    m.name = std::string(f[0]);
    try {
      m.size = std::stoull(std::string(f[1]));
      m.refcnt = std::stoi(std::string(f[2]));
    } catch (...) {
      return;
    }
    if (f[3] != "-")
      for (std::string_view u : strtok_split(f[3], ",")) m.users.emplace_back(u);
    m.state = std::string(f[4]);
    out.push_back(std::move(m));
  });
  return out;
}

}  // namespace mng
