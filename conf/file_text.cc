#include "conf/file_text.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace mng {

std::string config_file_distrust(const struct stat& st) {
  if (st.st_uid != 0) return "owned by uid " + std::to_string(st.st_uid);
  if (S_ISCHR(st.st_mode)) return "";  // /dev/null: writing to it changes nothing read
  if (st.st_mode & S_IWOTH) return "writable by everyone";
  if ((st.st_mode & S_IWGRP) && st.st_gid != 0) return "writable by group " + std::to_string(st.st_gid);
  return "";
}

std::string untrusted_config_message(const std::string& path, const std::string& distrust) {
  return path + " is " + distrust + ": refusing to read it as root (--allow-unsafe-config overrides)";
}

ConfigRead read_config_text(const std::string& path, std::string* out, bool trusted_only, std::string* why) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ConfigRead::unreadable;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode);
  if (ok && trusted_only) {
    std::string distrust = config_file_distrust(st);
    if (!distrust.empty()) {
      close(fd);
      if (why) *why = untrusted_config_message(path, distrust);
      return ConfigRead::untrusted;
    }
  }
  char buf[65536];
  while (ok) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = n == 0;
      break;
    }
    out->append(buf, static_cast<std::size_t>(n));
    if (out->size() > kMaxConfigFileSize) ok = false;
  }
  close(fd);
  if (!ok) out->clear();
  return ok ? ConfigRead::ok : ConfigRead::unreadable;
}

}  // namespace mng
