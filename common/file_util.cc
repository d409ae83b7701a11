// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace mng {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0 && fd_ != fd) {
    int saved = errno;
    ::close(fd_);
    errno = saved;
  }
  fd_ = fd;
}

const char* read_error_text(int e) { return e == EINVAL ? "not a regular file" : std::strerror(e); }

UniqueFd open_read(const std::string& path) {
  return UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
}

namespace {

bool fail(int e, const std::string& name, std::string* out, std::string* err) {
  out->clear();
  if (err) *err = name + ": " + read_error_text(e);
  errno = e;
  return false;
}

}  // namespace

bool is_null_device(const struct stat& st) { return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3); }

int regular_file_error(int fd, struct stat* st) {
  if (::fstat(fd, st) != 0) return errno;
  if (S_ISDIR(st->st_mode)) return EISDIR;
  return S_ISREG(st->st_mode) ? 0 : EINVAL;
}

bool read_fd(int fd, const std::string& name, std::size_t cap, std::string* out, std::string* err) {
  out->clear();
  struct stat st{};  // zeroed: is_null_device may look at it after a failed fstat
  int e = regular_file_error(fd, &st);
  if (e == EINVAL && is_null_device(st)) return true;
  if (e) return fail(e, name, out, err);
  // open_read opened it non-blocking so that a FIFO could not hang the
  // open; what is read here is read blocking (a regular file ignores it).
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  // A regular file says how big it is (/proc and /sys files say 0 or a
  // page, so the size is only a hint for the first allocation).
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    if (static_cast<unsigned long long>(st.st_size) > cap) return fail(EFBIG, name, out, err);
    out->reserve(static_cast<std::size_t>(st.st_size));
  }
  char buf[65536];
  for (;;) {
    std::size_t want = std::min(sizeof buf, cap + 1 - out->size());
    ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno, name, out, err);
    if (n == 0) return true;
    out->append(buf, static_cast<std::size_t>(n));
    if (out->size() > cap) return fail(EFBIG, name, out, err);
  }
}

bool read_file(const std::string& path, std::size_t cap, std::string* out, std::string* err) {
  UniqueFd fd = open_read(path);
  if (!fd) return fail(errno, path, out, err);
  return read_fd(fd.get(), path, cap, out, err);
}

std::string path_join(std::string_view dir, std::string_view name) {
  while (!dir.empty() && dir.back() == '/') dir.remove_suffix(1);
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  out.push_back('/');
  out.append(name);
  return out;
}

std::string real_path(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf)) return buf;
  return p;
}

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> env_value(const std::string& name, const EnvMap* environment) {
  if (environment) {
    auto it = environment->find(name);
    if (it == environment->end()) return std::nullopt;
    return it->second;
  }
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

}  // namespace mng
