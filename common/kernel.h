// SPDX-License-Identifier: GPL-2.0-or-later
// Everything modprobe asks of the running kernel, behind one interface so
// the tools can be tested against a simulated kernel.
//
// RealKernel talks to Linux: finit_module through syscall(), init_module and
// delete_module through the C library (so LD_PRELOAD shims such as kmod's
// testsuite ones see the calls), module state from sysfs and procfs under a
// configurable root (tests point it at a fake tree).
// DryRunKernel (modprobe -n / -D) answers questions from the kernel it
// wraps but only records the calls that would change it.
// The simulated kernel of the unit tests lives in tests/sim_kernel.h.
#pragma once
#include <cerrno>
#include <cstdint>
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
  // The same entries in the order the directory lists them (lsmod shows
  // them so, as kmod does).
  virtual std::vector<std::string> holders_listed(const std::string& name) { return holders(name); }
  // /sys/module/NAME/coresize, or a negative errno when there is none
  // (lsmod then takes the size from /proc/modules).
  virtual long coresize(const std::string& name) { return -ENOENT; }
  // Contents of /sys/module/compression ("zstd", "xz", "gzip"), "" when the
  // kernel does not decompress modules itself.
  virtual std::string compression() = 0;
  // /proc/modules parsed; false when it cannot be read.
  virtual bool proc_modules(std::vector<ProcModule>* out) = 0;
  // /proc/cmdline without the trailing newline ("" when unreadable).
  virtual std::string cmdline() = 0;
  // uname -r.
  virtual std::string release() = 0;

  // Whether this kernel only records the calls that would change it (a dry
  // run): then nothing needs to be opened or read for them.
  virtual bool records_only() const { return false; }
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
  std::vector<std::string> holders_listed(const std::string& name) override;
  long coresize(const std::string& name) override;
  std::string compression() override;
  bool proc_modules(std::vector<ProcModule>* out) override;
  std::string cmdline() override;
  std::string release() override;

 private:
  std::string root_;
};

// A dry run (modprobe -n, -D): the state questions go to the wrapped
// kernel, the calls that would load or unload a module are recorded and
// answered 0 without reaching it.
class DryRunKernel : public Kernel {
 public:
  explicit DryRunKernel(Kernel& real) : real_(real) {}
  int finit_module(int fd, const std::string& params, int flags) override;
  int init_module(std::span<const uint8_t> image, const std::string& params) override;
  int delete_module(const std::string& name, unsigned flags) override;
  SysState state(const std::string& name) override { return real_.state(name); }
  int refcnt(const std::string& name) override { return real_.refcnt(name); }
  std::vector<std::string> holders(const std::string& name) override { return real_.holders(name); }
  std::vector<std::string> holders_listed(const std::string& name) override { return real_.holders_listed(name); }
  long coresize(const std::string& name) override { return real_.coresize(name); }
  std::string compression() override { return real_.compression(); }
  bool proc_modules(std::vector<ProcModule>* out) override { return real_.proc_modules(out); }
  std::string cmdline() override { return real_.cmdline(); }
  std::string release() override { return real_.release(); }
  bool records_only() const override { return true; }

  // The calls not made, in order: "finit PARAMS", "init PARAMS",
  // "delete NAME" (PARAMS may be empty).
  const std::vector<std::string>& recorded() const { return recorded_; }

 private:
  Kernel& real_;
  std::vector<std::string> recorded_;
};

// Parses /proc/modules text (2.6+ layout); malformed lines are skipped.
std::vector<ProcModule> parse_proc_modules(std::string_view text);

}  // namespace mng
