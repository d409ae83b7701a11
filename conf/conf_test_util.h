// Helpers shared by the conf/*_test.cc unit tests (test-only header).
#pragma once
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "conf/config_model.h"
#include "conf/legacy_read.h"
#include "conf/show_config.h"

namespace mng::conf_test {

// A fresh directory under /tmp, removed again by the destructor.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/mng-conf-test-XXXXXX";
    const char* p = mkdtemp(tmpl);
    path_ = p ? p : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/rel (creating directories) and returns the full path.
  std::string write(const std::string& rel, const std::string& content) const {
    std::string full = path_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << content;
    return full;
  }

 private:
  std::string path_;
};

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

inline bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text))
    if (l == line) return true;
  return false;
}

inline std::size_t line_index(const std::string& text, const std::string& line) {
  auto ls = lines_of(text);
  for (std::size_t i = 0; i < ls.size(); ++i)
    if (ls[i] == line) return i;
  return static_cast<std::size_t>(-1);
}

// The lines of one "# Title" section of modutils' -c output.
inline std::vector<std::string> legacy_section(const std::string& text, const std::string& title) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& l : lines_of(text)) {
    if (l.rfind("# ", 0) == 0) {
      in = (l == title);
      continue;
    }
    if (in) out.push_back(l);
  }
  return out;
}

// The path[...] lines at the top of modutils' -c output.
inline std::vector<std::string> legacy_paths(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& l : lines_of(text))
    if (l.rfind("path[", 0) == 0) out.push_back(l);
  return out;
}

// Result of reading one legacy snippet the way modprobe would.
struct LegacyResult {
  ConfigModel model;
  std::vector<ConfigError> errors;
  bool ok = false;
  std::string shown;  // modprobe -c
};

inline LegacyResult read_legacy_snippet(const std::string& text, const std::string& version = "2.4.20",
                                        const std::string& name = "/etc/modules.conf",
                                        const std::map<std::string, std::string>* env = nullptr,
                                        bool autoclean = false) {
  static const std::map<std::string, std::string> empty_env;
  LegacyResult r;
  LegacyReadOptions o;
  o.version = version;
  o.environment = env ? env : &empty_env;
  o.autoclean = autoclean;
  legacy_begin(&r.model, o);
  r.ok = legacy_read_text(&r.model, text, name, o, &r.errors);
  legacy_finish(&r.model, o, &r.errors);
  r.shown = show_config_string(r.model);
  return r;
}

inline std::string all_messages(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.message + "\n";
  return out;
}

// Runs a shell command line written by the test itself; returns its stdout.
inline std::string run_capture(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  if (status) *status = st;
  return out;
}

inline bool have_kmod_modprobe() { return access("/usr/sbin/modprobe", X_OK) == 0 || access("/sbin/modprobe", X_OK) == 0; }
inline std::string kmod_modprobe() { return access("/usr/sbin/modprobe", X_OK) == 0 ? "/usr/sbin/modprobe" : "/sbin/modprobe"; }

}  // namespace mng::conf_test
