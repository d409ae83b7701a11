// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/index_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "common/elf_module.h"
#include "common/file_util.h"
#include "common/modname.h"
#include "common/index_write.h"
#include "common/log.h"
#include "common/text_util.h"

namespace mng {
namespace {

// Tracks (key, value) pairs for -w.
struct DupCheck {
  bool on;
  std::unordered_set<std::string> seen;
  bool repeated(std::string_view key, std::string_view value) {
    if (!on) return false;
    std::string k(key);
    k += '\0';
    k += value;
    return !seen.insert(std::move(k)).second;
  }
};

bool finish(const IndexBuilder& b, IndexLayout layout, OutputFile* out) {
  out->name = b.name();
  std::string err;
  if (!b.serialize(&out->data, &err, layout)) {
    log(Level::error, "Could not write index '%s': %s", b.name().c_str(), err.c_str());
    return false;
  }
  return true;
}

bool add(IndexBuilder& b, std::string_view key, std::string_view value, uint32_t prio) {
  std::string err;
  if (b.add(key, value, prio, &err)) return true;
  log(Level::error, "%s", err.c_str());
  return false;
}

// Reads NAME in the directory DIRFD; false with errno set when it cannot.
// modules.builtin.modinfo of a full kernel is well under a MiB.
bool read_whole(int dirfd, const char* name, std::string* out) {
  out->clear();
  if (dirfd < 0) return false;
  UniqueFd fd(openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  return fd && read_fd(fd.get(), name, size_t{256} << 20, out);
}

// The module directory, opened once; the errno of a failed open is kept.
struct DirFd {
  UniqueFd fd;
  int open_errno;
  explicit DirFd(const std::string& dir)
      : fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)), open_errno(errno) {}
};
}  // namespace

bool build_dep_index(const DepmodTree& t, const std::vector<std::string>& dep_lines, bool warn_dups,
                     IndexLayout layout, OutputFile* out) {
  bool ok = true;
  IndexBuilder deps("modules.dep.bin");
  DupCheck dup_deps{warn_dups, {}};
  deps.reserve(t.mods.size());
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    const std::string& name = t.mods[i].modname;
    if (dup_deps.repeated(name, dep_lines[i])) log(Level::warning, "duplicate module deps:\n%s", dep_lines[i].c_str());
    ok &= add(deps, name, dep_lines[i], i);
  }
  return ok && finish(deps, layout, out);
}

bool build_alias_index(const DepmodTree& t, bool warn_dups, IndexLayout layout, OutputFile* out) {
  bool ok = true;
  IndexBuilder aliases("modules.alias.bin");
  DupCheck dup_aliases{warn_dups, {}};
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    const std::string& name = t.mods[i].modname;
    const ModuleElf& e = t.elf[i];
    for (const ModInfo& mi : e.modinfo) {
      if (e.str(mi.key) != "alias") continue;
      std::string_view raw = e.str(mi.value);
      std::optional<std::string> alias = normalize_alias(raw);
      if (!alias) {
        log(Level::warning, "Unmatched bracket in %.*s", int(raw.size()), raw.data());
        continue;
      }
      if (dup_aliases.repeated(*alias, name))
        log(Level::warning, "duplicate module alias:\n%s %s", alias->c_str(), name.c_str());
      ok &= add(aliases, *alias, name, i);
    }
  }
  return ok && finish(aliases, layout, out);
}

bool build_symbols_index(const DepmodTree& t, bool warn_dups, IndexLayout layout, OutputFile* out) {
  bool ok = true;
  IndexBuilder syms("modules.symbols.bin");
  DupCheck dup_syms{warn_dups, {}};
  syms.reserve(t.symbols.size());
  std::string key = "symbol:";
  for (auto& [sym, owner] : t.symbols) {
    key.resize(7);
    key += sym;
    if (dup_syms.repeated(key, t.mods[owner].modname))
      log(Level::warning, "duplicate module syms:\n%s %s", key.c_str(), t.mods[owner].modname.c_str());
    ok &= add(syms, key, t.mods[owner].modname, owner);
  }
  return ok && finish(syms, layout, out);
}

bool builtin_index_from_text(std::string_view text, IndexLayout layout, OutputFile* out) {
  bool ok = true;
  IndexBuilder b("modules.builtin.bin");
  for_each_line(text, [&](std::string_view line) {
    if (line.empty() || !isalpha(static_cast<unsigned char>(line[0])))
      log(Level::error, "Invalid modules.builtin line: %.*s", int(line.size()), line.data());
    else
      ok &= add(b, modname_from_path(line), "", 0);
  });
  return finish(b, layout, out) && ok;
}

bool builtin_alias_index_from_text(std::string_view text, IndexLayout layout, OutputFile* out) {
  bool ok = true;
  // Records "modname.key=value", each NUL-terminated.
  IndexBuilder b("modules.builtin.alias.bin");
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view rec = text.substr(pos, end - pos);
    pos = end + 1;
    size_t dot = rec.find('.'), eq = rec.find('=');
    if (dot == std::string_view::npos || eq == std::string_view::npos || eq < dot) continue;
    if (rec.substr(dot + 1, eq - dot - 1) != "alias") continue;
    std::string_view value = rec.substr(eq + 1);
    std::optional<std::string> alias = normalize_alias(value);
    if (!alias) {
      log(Level::warning, "Unmatched bracket in %.*s", int(value.size()), value.data());
      continue;
    }
    ok &= add(b, *alias, rec.substr(0, dot), 0);
  }
  return finish(b, layout, out) && ok;
}

bool build_builtin_indexes(const std::string& dir, IndexLayout layout, OutputFile* builtin_bin,
                           OutputFile* builtin_alias_bin) {
  bool ok = true;
  std::string text;
  // The module directory is opened once; both sources are read relative to it.
  DirFd d(dir);
  builtin_bin->name = "modules.builtin.bin";
  if (!read_whole(d.fd.get(), "modules.builtin", &text)) {
    if (!d.fd) errno = d.open_errno;
    log(Level::warning, "could not open modules.builtin at %s: %s", dir.c_str(), read_error_text(errno));
    builtin_bin->data.clear();
  } else {
    ok &= builtin_index_from_text(text, layout, builtin_bin);
  }
  builtin_alias_bin->name = "modules.builtin.alias.bin";
  if (!read_whole(d.fd.get(), "modules.builtin.modinfo", &text)) {
    if (!d.fd) errno = d.open_errno;
    log(Level::warning, "could not open modules.builtin.modinfo at %s: %s", dir.c_str(),
        read_error_text(errno));
    builtin_alias_bin->data.clear();
    return ok;
  }
  return builtin_alias_index_from_text(text, layout, builtin_alias_bin) && ok;
}

}  // namespace mng
