// Everything modprobe asks of the running kernel, behind one interface so
// the tools can be tested against a simulated kernel.
//
// RealKernel talks to Linux: finit_module through syscall(), init_module and
// delete_module through the C library (so LD_PRELOAD shims such as kmod's
// testsuite ones see the calls), module state from sysfs and procfs under a
// configurable root (tests point it at a fake tree).
// SimKernel keeps everything in memory: the loaded set, reference counts,
// holders, parameters, and failures to inject.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

// finit_module flags (linux/module.h).
inline constexpr int kModuleInitIgnoreModversions = 1;
inline constexpr int kModuleInitIgnoreVermagic = 2;
inline constexpr int kModuleInitCompressedFile = 4;

// What /sys/module/NAME says.
enum class SysState {
  absent,      // no /sys/module/NAME
  no_initstate,  // the directory exists without initstate: a built-in module
                 // with parameters, or one still being set up (kmod calls it
                 // "coming" unless the builtin index knows the name)
  coming,
  live,
  going,
};
const char* sys_state_name(SysState s);

// One line of /proc/modules.
struct ProcModule {
  std::string name;
  uint64_t size = 0;
  int refcnt = 0;
  std::vector<std::string> users;  // the "used by" column without the trailing commas
  std::string state;               // Live, Loading, Unloading
};

class Kernel {
 public:
  virtual ~Kernel() = default;

  // The syscalls.  Each returns 0 or a negative errno.
  virtual int finit_module(int fd, const std::string& params, int flags) = 0;
  virtual int init_module(std::span<const uint8_t> image, const std::string& params) = 0;
  virtual int delete_module(const std::string& name, unsigned flags) = 0;

  // Module state.  NAME is the kernel's name (underscores).
  virtual SysState state(const std::string& name) = 0;
  // /sys/module/NAME/refcnt, or a negative errno when there is none.
  virtual int refcnt(const std::string& name) = 0;
  // Entries of /sys/module/NAME/holders/, sorted.
  virtual std::vector<std::string> holders(const std::string& name) = 0;
  // Contents of /sys/module/compression ("zstd", "xz", "gzip"), "" when the
  // kernel does not decompress modules itself.
  virtual std::string compression() = 0;
  // /proc/modules parsed; false when it cannot be read.
  virtual bool proc_modules(std::vector<ProcModule>* out) = 0;
  // /proc/cmdline without the trailing newline ("" when unreadable).
  virtual std::string cmdline() = 0;
  // uname -r.
  virtual std::string release() = 0;
};

// The running kernel.  ROOT ("" normally) is prefixed to /sys and /proc
// paths; the syscalls always go to the real kernel.
class RealKernel : public Kernel {
 public:
  explicit RealKernel(std::string root = "") : root_(std::move(root)) {}
  int finit_module(int fd, const std::string& params, int flags) override;
  int init_module(std::span<const uint8_t> image, const std::string& params) override;
  int delete_module(const std::string& name, unsigned flags) override;
  SysState state(const std::string& name) override;
  int refcnt(const std::string& name) override;
  std::vector<std::string> holders(const std::string& name) override;
  std::string compression() override;
  bool proc_modules(std::vector<ProcModule>* out) override;
  std::string cmdline() override;
  std::string release() override;

 private:
  std::string root_;
};

// Parses /proc/modules text (2.6+ layout); malformed lines are skipped.
std::vector<ProcModule> parse_proc_modules(std::string_view text);

// An in-memory kernel.  Loading parses the image (decompressing it when
// finit_module is given MODULE_INIT_COMPRESSED_FILE and the compression
// matches `decompress`), takes the name from .modinfo "name=" (else from the
// file name behind the descriptor) and requires every module of its
// "depends=" to be loaded, as the real kernel requires their symbols
// (ENOENT otherwise, like an unknown symbol).
class SimKernel : public Kernel {
 public:
  struct Module {
    SysState state = SysState::live;
    std::set<std::string> holders;  // modules using this one
    std::set<std::string> uses;     // modules this one uses
    int extra_refs = 0;             // references not from modules (open devices)
    std::string params;
  };
  std::map<std::string, Module> modules;
  std::string decompress;           // what /sys/module/compression says
  bool has_finit = true;            // false: finit_module gives ENOSYS
  std::map<std::string, int> init_errno;  // NAME -> errno its init fails with
  std::map<std::string, int> delete_errno;  // NAME -> errno delete_module fails with
  std::string cmdline_text;
  std::string release_text = "6.1.0-sim";
  // Every successful load and unload in order: "load NAME PARAMS", "unload NAME".
  std::vector<std::string> log;
  // Every syscall tried: "finit NAME", "finit-compressed NAME", "init NAME",
  // "delete NAME".
  std::vector<std::string> calls;
  int last_finit_flags = -1;  // flags of the latest finit_module call

  // Marks NAME loaded (as if by insmod) using the modules in USES.
  void add_loaded(const std::string& name, const std::vector<std::string>& uses = {});
  // A built-in module: /sys/module/NAME without initstate.
  void add_builtin(const std::string& name);
  bool loaded(const std::string& name) const;

  int finit_module(int fd, const std::string& params, int flags) override;
  int init_module(std::span<const uint8_t> image, const std::string& params) override;
  int delete_module(const std::string& name, unsigned flags) override;
  SysState state(const std::string& name) override;
  int refcnt(const std::string& name) override;
  std::vector<std::string> holders(const std::string& name) override;
  std::string compression() override { return decompress; }
  bool proc_modules(std::vector<ProcModule>* out) override;
  std::string cmdline() override { return cmdline_text; }
  std::string release() override { return release_text; }

 private:
  int load_image(std::span<const uint8_t> image, const std::string& fallback_name, const std::string& params,
                 const char* how);
};

}  // namespace mng
