// Small helpers shared by the unit tests: temporary trees, files, commands.
#pragma once
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mng::testing {

// Directory of the real test modules built from tests/modules.
inline std::string testmods_dir() {
  const char* d = getenv("MNG_TESTMODS");
  std::string dir = d && *d ? d : "build/testmods";
  if (!std::filesystem::exists(dir + "/mod_a.ko"))
    throw std::runtime_error("test modules not found in " + dir + " (run make " + dir + ".stamp)");
  return dir;
}

inline std::string testmods_kver() {
  std::ifstream in(testmods_dir() + "/kver");
  std::string v;
  std::getline(in, v);
  return v;
}

// A temporary directory removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/mng-test-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& rel) const { return path + "/" + rel; }
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "<missing " + path + ">";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << data;
}

inline void copy_file(const std::string& from, const std::string& to) {
  std::filesystem::create_directories(std::filesystem::path(to).parent_path());
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

// Runs a shell command line built by the test itself; returns its exit status.
inline int run(const std::string& cmd) {
  int st = std::system(cmd.c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

}  // namespace mng::testing
