// SPDX-License-Identifier: GPL-2.0-or-later
#include "tests/sim_kernel.h"

#include <unistd.h>

#include <cerrno>

#include "common/elf_module.h"
#include "common/module_file.h"

namespace mng {

namespace {

// Reads all of FD from its start.
bool read_fd(int fd, std::vector<uint8_t>* out) {
  out->clear();
  if (::lseek(fd, 0, SEEK_SET) < 0) return false;
  uint8_t buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out->insert(out->end(), buf, buf + n);
  }
}

std::string fd_path(int fd) {
  char buf[4096];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n <= 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

void SimKernel::add_loaded(const std::string& name, const std::vector<std::string>& uses) {
  Module& m = modules[name];
  m.state = SysState::live;
  for (const auto& u : uses) {
    m.uses.insert(u);
    modules[u].holders.insert(name);
  }
}

void SimKernel::add_builtin(const std::string& name) { modules[name].state = SysState::no_initstate; }

bool SimKernel::loaded(const std::string& name) const {
  auto it = modules.find(name);
  return it != modules.end() && it->second.state == SysState::live;
}

int SimKernel::load_image(std::span<const uint8_t> image, const std::string& fallback_name,
                          const std::string& params, const char* how) {
  ModuleElf elf;
  std::string why;
  if (!parse_module_elf(image, &elf, &why)) {
    calls.push_back(std::string(how) + " ?");
    return -ENOEXEC;
  }
  std::string name = fallback_name;
  std::vector<std::string> deps;
  for (const auto& mi : elf.modinfo) {
    std::string_view k = elf.str(mi.key), v = elf.str(mi.value);
    if (k == "name") {
      name = std::string(v);
    } else if (k == "depends") {
      size_t a = 0;
      while (a < v.size()) {
        size_t c = v.find(',', a);
        if (c == std::string_view::npos) c = v.size();
        if (c > a) deps.push_back(normalize_modname(v.substr(a, c - a)));
        a = c + 1;
      }
    }
  }
  calls.push_back(std::string(how) + " " + name);
  auto it = modules.find(name);
  if (it != modules.end()) return -EEXIST;
  for (const auto& d : deps)
    if (!loaded(d)) return -ENOENT;
  auto fail = init_errno.find(name);
  if (fail != init_errno.end()) return -fail->second;
  Module& m = modules[name];
  m.state = SysState::live;
  m.params = params;
  for (const auto& d : deps) {
    m.uses.insert(d);
    modules[d].holders.insert(name);
  }
  log.push_back("load " + name + (params.empty() ? "" : " " + params));
  return 0;
}

int SimKernel::finit_module(int fd, const std::string& params, int flags) {
  last_finit_flags = flags;
  if (!has_finit) {
    calls.push_back("finit ENOSYS");
    return -ENOSYS;
  }
  std::vector<uint8_t> raw;
  if (!read_fd(fd, &raw)) return -EBADF;
  std::string path = fd_path(fd);
  std::string fallback = modname_from_path(path);
  Compression c = sniff_compression(raw);
  if (flags & kModuleInitCompressedFile) {
    // The real kernel decompresses only its own format.
    if (c == Compression::none || decompress.empty() || decompress != compression_name(c)) {
      calls.push_back("finit compressed-mismatch");
      return -EINVAL;
    }
    std::vector<uint8_t> plain;
    std::string why;
    if (!mng::decompress(raw, c, &plain, &why)) return -EINVAL;
    return load_image(plain, fallback, params, "finit-compressed");
  }
  if (c != Compression::none) {
    calls.push_back("finit not-elf");
    return -ENOEXEC;
  }
  return load_image(raw, fallback, params, "finit");
}

int SimKernel::init_module(std::span<const uint8_t> image, const std::string& params) {
  return load_image(image, "", params, "init");
}

int SimKernel::delete_module(const std::string& name, unsigned flags) {
  calls.push_back("delete " + name);
  last_delete_flags = static_cast<int>(flags);
  auto it = modules.find(name);
  if (it == modules.end() || it->second.state == SysState::no_initstate) return -ENOENT;
  if (auto drop = refs_dropped_after.find(name); drop != refs_dropped_after.end() && it->second.extra_refs > 0)
    if (drop->second-- <= 0) it->second.extra_refs = 0;
  auto fail = delete_errno.find(name);
  if (fail != delete_errno.end()) return -fail->second;
  if (!it->second.holders.empty() || it->second.extra_refs > 0) return -EWOULDBLOCK;
  for (const auto& u : it->second.uses) {
    auto d = modules.find(u);
    if (d != modules.end()) d->second.holders.erase(name);
  }
  modules.erase(it);
  log.push_back("unload " + name);
  return 0;
}

SysState SimKernel::state(const std::string& name) {
  auto it = modules.find(name);
  return it == modules.end() ? SysState::absent : it->second.state;
}

int SimKernel::refcnt(const std::string& name) {
  auto it = modules.find(name);
  if (it == modules.end() || it->second.state == SysState::no_initstate) return -ENOENT;
  return static_cast<int>(it->second.holders.size()) + it->second.extra_refs;
}

std::vector<std::string> SimKernel::holders(const std::string& name) {
  auto it = modules.find(name);
  if (it == modules.end()) return {};
  return {it->second.holders.begin(), it->second.holders.end()};
}

bool SimKernel::proc_modules(std::vector<ProcModule>* out) {
  out->clear();
  for (const auto& [name, m] : modules) {
    if (m.state == SysState::no_initstate) continue;
    ProcModule p;
    p.name = name;
    p.size = 4096;
    p.refcnt = static_cast<int>(m.holders.size()) + m.extra_refs;
    p.users.assign(m.holders.begin(), m.holders.end());
    p.state = m.state == SysState::live ? "Live" : m.state == SysState::coming ? "Loading" : "Unloading";
    out->push_back(std::move(p));
  }
  return true;
}

}  // namespace mng
