// SPDX-License-Identifier: GPL-2.0-or-later
// Helpers shared by the unit tests (test-only header): temporary trees,
// files, commands, log capture, and the set-ups the conf/, depmod/ and
// modprobe/ tests have in common.
#pragma once
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "conf/config_model.h"
#include "conf/legacy_read.h"
#include "conf/show_config.h"
#include "depmod/depmod.h"
#include "modprobe/modprobe.h"

namespace mng::testing {

// Directory of the real test modules built from tests/modules.
inline std::string testmods_dir() {
  const char* d = getenv("MNG_TESTMODS");
  std::string dir = d && *d ? d : "build/testmods";
  if (!std::filesystem::exists(dir + "/mod_a.ko"))
    throw std::runtime_error("test modules not found in " + dir + " (run make " + dir + ".stamp)");
  return dir;
}

// DIR/NAME of one test module; throws when it is missing.
inline std::string testmod(const std::string& name) {
  std::string p = testmods_dir() + "/" + name;
  if (!std::filesystem::exists(p)) throw std::runtime_error("test module " + p + " missing (make DIR.stamp, MNG_TESTMODS)");
  return p;
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
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& rel) const { return path + "/" + rel; }
  // Writes CONTENT to path/REL (creating directories); returns the full path.
  std::string write(const std::string& rel, const std::string& content) const;
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

// Empty files at each of RELS under DIR.
inline void touch_files(const TempDir& dir, std::initializer_list<const char*> rels) {
  for (const char* rel : rels) write_file(dir / rel, "");
}

inline std::string TempDir::write(const std::string& rel, const std::string& content) const {
  write_file(*this / rel, content);
  return *this / rel;
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


// Sends what the process logger prints to SINK while it lives, then puts the
// sink it found back (the unit-test runner keeps one of its own installed).
class LogSinkScope {
 public:
  LogSinkScope(Logger::Sink sink, void* ctx) : old_(logger().sink), old_ctx_(logger().sink_ctx) {
    set_log_sink(sink, ctx);
  }
  ~LogSinkScope() { set_log_sink(old_, old_ctx_); }
  LogSinkScope(const LogSinkScope&) = delete;
  LogSinkScope& operator=(const LogSinkScope&) = delete;

 private:
  Logger::Sink old_;
  void* old_ctx_;
};

// Catches what is logged through common/log.h while it lives, as
// "ERROR: text", "INFO: text" or "OTHER: text" lines without the newline,
// at full verbosity.
struct LogCapture {
  std::vector<std::string> lines;
  int old_verbosity;
  LogSinkScope sink{
      [](Level l, std::string_view text, void* ctx) {
        std::string t(text);
        if (!t.empty() && t.back() == '\n') t.pop_back();
        const char* name = l == Level::error ? "ERROR: " : l == Level::info ? "INFO: " : "OTHER: ";
        static_cast<LogCapture*>(ctx)->lines.push_back(name + t);
      },
      this};
  LogCapture() : old_verbosity(log_verbosity()) { set_log_verbosity(static_cast<int>(Level::debug)); }
  ~LogCapture() { set_log_verbosity(old_verbosity); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::vector<std::string> sorted() const {
    auto v = lines;
    std::sort(v.begin(), v.end());
    return v;
  }
};

// What a configuration reader handed back, as "LEVEL: text".  While one
// lives, DiagCapture::live points at it, for helpers that parse on a test's
// behalf.
struct DiagCapture : Diagnostics {
  static inline DiagCapture* live = nullptr;
  std::vector<std::string> lines;
  DiagCapture() { live = this; }
  ~DiagCapture() { live = nullptr; }
  DiagCapture(const DiagCapture&) = delete;
  DiagCapture& operator=(const DiagCapture&) = delete;
  void add(Diagnostic d) override {
    const char* name = d.level == Level::error ? "ERROR: " : d.level == Level::info ? "INFO: " : "OTHER: ";
    lines.push_back(name + d.message());
  }
  std::vector<std::string> sorted() const {
    auto v = lines;
    std::sort(v.begin(), v.end());
    return v;
  }
};

// The whole of a file as bytes (empty when it cannot be read).
inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// A value of type T read from / stored into an image at byte offset OFF
// (host byte order), for tests that patch ELF files.
template <typename T>
T read_at(const std::vector<uint8_t>& b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}
template <typename T>
void write_at(std::vector<uint8_t>& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

// One member of each element of V, in order: members_of(files, &ConfigFile::path).
template <typename T, typename M>
std::vector<M> members_of(const std::vector<T>& v, M T::*member) {
  std::vector<M> out;
  for (const auto& e : v) out.push_back(e.*member);
  return out;
}

// Up to 29 pieces, each one of PIECES or (one time in three) a random byte:
// input for the "never crashes" tests of the parsers.
template <size_t N>
std::string random_config_text(std::mt19937& rng, const char* const (&pieces)[N]) {
  std::string s;
  int n = static_cast<int>(rng() % 30);
  for (int k = 0; k < n; ++k) {
    if (rng() % 3 == 0) s += static_cast<char>(rng() % 256);
    else s += pieces[rng() % N];
  }
  return s;
}

// Our depmod on ROOT/lib/modules/KVER with no depmod.d configuration and
// its messages dropped; throws when it fails.
inline void depmod_tree(const std::string& root, const std::string& kver) {
  DepmodOptions opt;
  opt.basedir = root;
  opt.kver = kver;
  opt.config_paths = {root + "/no-config"};
  int rc;
  {
    LogSinkScope drop([](Level, std::string_view, void*) {}, nullptr);
    rc = run_depmod(opt);
  }
  if (rc != 0) throw std::runtime_error("depmod failed on " + root);
}


// kmod's depmod, the reference of the tests tagged [.kmod]: $KMOD_DEPMOD,
// default /usr/sbin/depmod.
inline std::string kmod_depmod_path() {
  const char* p = getenv("KMOD_DEPMOD");
  return p && *p ? p : "/usr/sbin/depmod";
}

// kmod's modprobe, for the [.kmod] tests: $KMOD_MODPROBE, default
// /usr/sbin/modprobe.
inline std::string kmod_modprobe_path() {
  const char* p = getenv("KMOD_MODPROBE");
  return p && *p ? p : "/usr/sbin/modprobe";
}

// kmod's modinfo, for the [.kmod] tests: $KMOD_MODINFO, default
// /usr/sbin/modinfo.
inline std::string kmod_modinfo_path() {
  const char* p = getenv("KMOD_MODINFO");
  return p && *p ? p : "/usr/sbin/modinfo";
}

// ---- kmod's reference tree for the index tests ----------------------------

// Runs CMD through the shell; returns its exit status and stdout.
inline int run(const std::string& cmd, std::string* out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[65536];
  size_t n;
  if (out) out->clear();
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    if (out) out->append(buf, n);
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// Hand-made builtin lists: many keys sharing prefixes, keys that are
// prefixes of others, one-character keys, wildcards, brackets, dashes,
// unmatched brackets (skipped by depmod) and aliases shared by several
// modules (equal priority 0, so the tie order shows).
inline void write_builtin_files(const std::filesystem::path& dir) {
  std::mt19937 rng(20240601);
  auto pick = [&](std::initializer_list<const char*> l) { return std::string(l.begin()[rng() % l.size()]); };
  auto hex = [&](int n) {
    std::string s;
    for (int i = 0; i < n; i++) s += "0189AF"[rng() % 6];
    return s;
  };
  std::vector<std::string> mods;
  for (int i = 0; i < 60; i++) mods.push_back(pick({"snd_", "usb_", "ext", "crc", "x"}) + std::to_string(i % 23) + (i % 3 ? "" : "_core"));

  std::string modinfo;
  auto rec = [&](const std::string& mod, const std::string& key, const std::string& value) {
    modinfo += mod + "." + key + "=" + value;
    modinfo += '\0';
  };
  for (int i = 0; i < 3000; i++) {
    std::string a;
    switch (rng() % 7) {
      case 0: a = "pci:v0000" + hex(4) + "d0000" + hex(rng() % 5) + pick({"sv*sd*bc*sc*i*", "*", "", "sv*sd*bc03sc*i*"}); break;
      case 1: a = "usb:v" + hex(4) + "p" + hex(2) + pick({"d*dc*dsc*dp*ic*isc*ip*in*", "", "d[0-9]*"}); break;
      case 2: a = pick({"of:N*T*C", "acpi*:", "platform:", "i2c:", "dmi*:svn"}) + pick({"foo-bar", "foo", "f", "", "x-[a-c]-y", "q?"}); break;
      case 3: a = std::string(1, "abcxyz_-*?"[rng() % 10]); break;
      case 4: {  // every prefix of one long key
        std::string full = "cpu:type:x86,ven" + hex(4);
        a = full.substr(0, 1 + rng() % full.size());
        break;
      }
      case 5: a = pick({"char-major-10-", "block-major-", "net-pf-", "fs-"}) + std::to_string(rng() % 300); break;
      default: a = pick({"bad]x", "open[abc", "ok[a-]z", "[", "]", "crypto-aes", "crypto-aes-generic"}); break;
    }
    rec(mods[rng() % mods.size()], rng() % 9 ? "alias" : "description", a);
  }
  write_file(dir / "modules.builtin.modinfo", modinfo);

  std::string builtin;
  for (int i = 0; i < 400; i++)
    builtin += "kernel/" + pick({"fs", "drivers/net", "lib"}) + "/" + pick({"ext4", "crc-t10", "crc32c", "nls-utf8", "a", "ab", "abc", "zz-top"}) + hex(rng() % 3) + ".ko\n";
  write_file(dir / "modules.builtin", builtin);
}

// A module tree for kmod 30 built once per test run from the real test
// modules; returns DIR (<root>/lib/modules/<kver>) or "" with *why.
// It runs kmod's depmod: the tests using it are tagged [.kmod].
inline std::string kmod_tree(std::string* why);

// kmod_tree, or an exception that names why there is none.
inline std::string require_kmod_tree() {
  std::string why, dir = kmod_tree(&why);
  if (dir.empty()) throw std::runtime_error("no kmod reference tree: " + why);
  return dir;
}

inline std::string kmod_tree(std::string* why) {
  static std::string dir, root, error;
  static bool done = false;
  struct Cleanup {
    ~Cleanup() {
      if (!root.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
      }
    }
  };
  static Cleanup cleanup;
  if (done) {
    *why = error;
    return dir;
  }
  done = true;
  const char* env = getenv("MNG_TESTMODS");
  std::filesystem::path mods = env && *env ? env : "build/testmods";
  std::string kver = read_file(mods / "kver");
  while (!kver.empty() && (kver.back() == '\n' || kver.back() == ' ')) kver.pop_back();
  if (kver.empty() || !std::filesystem::exists(mods / "mod_a.ko")) {
    error = "no test modules in " + mods.string() + " (build them with make testmods.stamp, set MNG_TESTMODS)";
    *why = error;
    return "";
  }
  char tmpl[] = "/tmp/mng-index-XXXXXX";
  if (!mkdtemp(tmpl)) {
    error = "mkdtemp failed";
    *why = error;
    return "";
  }
  root = tmpl;
  std::filesystem::path d = std::filesystem::path(root) / "lib/modules" / kver;
  std::filesystem::create_directories(d / "kernel/t");
  // The loop_* modules form a cycle, which makes depmod write nothing.
  std::string order;
  for (const char* m : {"mod_a", "mod_b", "mod_c", "mod-d", "mod_e", "fail_init", "boot_one", "boot_two"}) {
    std::filesystem::copy_file(mods / (std::string(m) + ".ko"), d / "kernel/t" / (std::string(m) + ".ko"));
    if (std::string(m) != "boot_two") order += std::string("kernel/t/") + m + ".ko\n";
  }
  write_file(d / "modules.order", order);
  write_builtin_files(d);
  std::string out;
  int rc = run(kmod_depmod_path() + " -b '" + root + "' " + kver + " 2>&1", &out);
  if (rc != 0) {
    error = "depmod failed: " + out;
    *why = error;
    return "";
  }
  dir = d.string();
  return dir;
}

// ---- configuration (conf/) ------------------------------------------------

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
    if (l.starts_with("# ")) {
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
    if (l.starts_with("path[")) out.push_back(l);
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


// ---- modprobe ---------------------------------------------------------------

struct RunResult {
  int rc;
  std::string out, err;
};

// Marks loaded in K what loading mod_c and mod_e leaves: mod_a, mod_b
// (used by mod_c and mod_e), mod_d (used by mod_e), mod_c, mod_e.
template <class Kernel>
void load_c_and_e_stacks(Kernel* k) {
  k->add_loaded("mod_a");
  k->add_loaded("mod_b", {"mod_a"});
  k->add_loaded("mod_d");
  k->add_loaded("mod_c", {"mod_b"});
  k->add_loaded("mod_e", {"mod_b", "mod_d"});
}

// run_modprobe in-process with ENV (argv, kernel, environment, flags as the
// caller set them), configuration from ETC (ETC/modules.conf and ETC/modprobe.d
// as the only modprobe.d directory), and stdout/stderr captured.
inline RunResult run_captured(RunEnv env, const TempDir& etc) {
  std::ostringstream out, err;
  env.out = &out;
  env.err = &err;
  env.etc_dir = etc.path;
  env.modprobe_d_dirs = {etc / "modprobe.d"};
  int rc = run_modprobe(env);
  return {rc, out.str(), err.str()};
}

// ROOT/lib/modules/KVER with mod_a, mod_b, mod_c, boot_one, boot_two in
// kernel/misc and mod-d, mod_e, fail_init in kernel/drivers/net (the loop
// modules are left out: depmod refuses cycles).
struct ModTree {
  TempDir dir;
  std::string kver;
  std::string moddir;  // ROOT/lib/modules/KVER
  std::string root() const { return dir.path; }
};

inline void fill_mod_tree(ModTree* t, bool run_depmod = true) {
  std::string src = testmods_dir();
  t->kver = testmods_kver();
  t->moddir = t->dir.path + "/lib/modules/" + t->kver;
  for (const char* m : {"mod_a", "mod_b", "mod_c", "boot_one", "boot_two"})
    copy_file(src + "/" + m + ".ko", t->moddir + "/kernel/misc/" + m + ".ko");
  for (const char* m : {"mod-d", "mod_e", "fail_init"})
    copy_file(src + "/" + m + ".ko", t->moddir + "/kernel/drivers/net/" + m + ".ko");
  if (run_depmod) depmod_tree(t->dir.path, t->kver);
}

}  // namespace mng::testing
