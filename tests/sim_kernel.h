// SPDX-License-Identifier: GPL-2.0-or-later
// The simulated kernel of the unit tests: everything in memory (the loaded
// set, reference counts, holders, parameters, failures to inject, every
// call made).  It is compiled into build/unit_tests only; the shipped tools
// never link it (tests/check-nosim.sh).
#pragma once
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "common/kernel.h"

namespace mng {

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
  int last_delete_flags = -1;  // flags of the latest delete_module call
  // NAME -> how many more delete_module calls find its extra references
  // (extra_refs) still held; the call after those finds them gone, as when
  // a user closes a device while modprobe -w waits.
  std::map<std::string, int> refs_dropped_after;

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
