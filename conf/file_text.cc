// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/file_text.h"

#include <cerrno>

#include "common/file_util.h"

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
  auto unreadable = [&](int e) {
    if (why) *why = path + ": " + read_error_text(e);
    return ConfigRead::unreadable;
  };
  UniqueFd fd = open_read(path);
  if (!fd) return ConfigRead::unreadable;  // *why left empty, as libkmod is silent here
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return unreadable(errno);
  if (trusted_only && !S_ISDIR(st.st_mode)) {
    std::string distrust = config_file_distrust(st);
    if (!distrust.empty()) {
      if (why) *why = untrusted_config_message(path, distrust);
      return ConfigRead::untrusted;
    }
  }
  return read_fd(fd.get(), path, kMaxConfigFileSize, out) ? ConfigRead::ok : unreadable(errno);
}

void for_each_kmod_line(std::string_view content, const std::function<void(const KmodLine&)>& fn) {
  KmodLine cur;  // one buffer for every line
  std::string& text = cur.text;
  std::size_t i = 0;
  unsigned lineno = 0;
  while (i < content.size()) {
    text.clear();
    unsigned consumed = 0;
    bool ended = false;
    while (i < content.size()) {
      char c = content[i++];
      if (c == '\n') {
        ++consumed;
        ended = true;
        break;
      }
      if (c == '\\') {
        if (i >= content.size()) {
          text += '\xff';  // kmod stores EOF (-1) as a byte
          break;
        }
        char next = content[i++];
        if (next == '\n') {
          ++consumed;
          continue;
        }
        text += next;
        continue;
      }
      text += c;
    }
    if (!ended) {
      if (text.empty()) break;  // kmod returns no line when nothing was stored
      ++consumed;               // last line without '\n'
    }
    lineno += consumed;
    std::size_t nul = text.find('\0');
    if (nul != std::string::npos) text.erase(nul);
    cur.line = lineno;
    fn(cur);
  }
}

std::vector<KmodLine> kmod_logical_lines(std::string_view content) {
  std::vector<KmodLine> out;
  for_each_kmod_line(content, [&](const KmodLine& l) { out.push_back(l); });
  return out;
}

}  // namespace mng
