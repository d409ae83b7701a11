// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/text_output.h"

#include <cstdio>

#include "common/log.h"

namespace mng {
namespace {
// Calls FN(module index, value) for each .modinfo entry with key KEY, in
// module order and then section order.
template <typename Fn>
void for_each_info(const DepmodTree& t, std::string_view key, Fn fn) {
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    const ModuleElf& e = t.elf[i];
    for (const ModInfo& mi : e.modinfo)
      if (e.str(mi.key) == key) fn(i, e.str(mi.value));
  }
}

std::string keyed_file(const DepmodTree& t, const char* header, std::string_view key, std::string_view word) {
  std::string out = header;
  for_each_info(t, key, [&](uint32_t i, std::string_view v) {
    out += word;
    out += ' ';
    out += t.mods[i].modname;
    out += ' ';
    out += v;
    out += '\n';
  });
  return out;
}
}  // namespace

std::vector<std::string> dependency_lines(const DepmodTree& t) {
  std::vector<std::string> lines(t.mods.size());
  ClosureScratch scratch;
  std::vector<uint32_t> closure;
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    std::string& line = lines[i];
    line = t.mods[i].shown;
    line += ':';
    dependency_closure(t.graph, t.order, i, &scratch, &closure);
    for (uint32_t d : closure) {
      line += ' ';
      line += t.mods[d].shown;
    }
  }
  return lines;
}

std::string format_modules_dep(const std::vector<std::string>& lines) {
  size_t total = 0;
  for (auto& l : lines) total += l.size() + 1;
  std::string out;
  out.reserve(total);
  for (auto& l : lines) {
    out += l;
    out += '\n';
  }
  return out;
}

std::string format_modutils_dep(const DepmodTree& t, const std::string& basedir) {
  auto absolute = [&](const FoundModule& m) {
    if (!basedir.empty() && m.path.starts_with(basedir) && m.path.size() > basedir.size() &&
        m.path[basedir.size()] == '/')
      return m.path.substr(basedir.size());
    return m.path;
  };
  std::string out;
  ClosureScratch scratch;
  std::vector<uint32_t> closure;
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    out += absolute(t.mods[i]);
    out += ':';
    dependency_closure(t.graph, t.order, i, &scratch, &closure);
    for (size_t k = 0; k < closure.size(); ++k) {
      out += k ? " \\\n\t" : "\t";
      out += absolute(t.mods[closure[k]]);
    }
    out += "\n\n";
  }
  return out;
}

namespace {
// "alias PREFIXKEY MODNAME" and a newline.
void add_alias_line(std::string* out, std::string_view prefix, std::string_view key, std::string_view modname) {
  out->append("alias ").append(prefix).append(key).append(1, ' ').append(modname).append(1, '\n');
}
}  // namespace

std::string format_modules_alias(const DepmodTree& t) {
  std::string out = "# Aliases extracted from modules themselves.\n";
  for_each_info(t, "alias", [&](uint32_t i, std::string_view v) { add_alias_line(&out, "", v, t.mods[i].modname); });
  return out;
}

std::string format_modules_softdep(const DepmodTree& t) {
  return keyed_file(t, "# Soft dependencies extracted from modules themselves.\n", "softdep", "softdep");
}

std::string format_modules_weakdep(const DepmodTree& t) {
  return keyed_file(t, "# Weak dependencies extracted from modules themselves.\n", "weakdep", "weakdep");
}

std::string format_modules_symbols(const DepmodTree& t) {
  std::string out = "# Aliases for symbols, used by symbol_request().\n";
  for (auto& [sym, owner] : t.symbols) add_alias_line(&out, "symbol:", sym, t.mods[owner].modname);
  return out;
}

std::string format_modules_devname(const DepmodTree& t) {
  std::string out;
  for (uint32_t i = 0; i < t.mods.size(); ++i) {
    const ModuleElf& e = t.elf[i];
    std::string devname;
    bool have_devname = false;
    char type = 0;
    unsigned major = 0, minor = 0;
    for (const ModInfo& mi : e.modinfo) {
      if (e.str(mi.key) != "alias") continue;
      std::string_view v = e.str(mi.value);
      unsigned a, b;
      // sscanf (kmod's parse) only where its literal prefix can match:
      // most aliases are device tables, and scanning each cost more than
      // the rest of this file.
      if (v.starts_with("devname:")) {
        devname = v.substr(8);
        have_devname = true;
      } else if (v.starts_with("char-major-") && sscanf(std::string(v).c_str(), "char-major-%u-%u", &a, &b) == 2) {
        type = 'c', major = a, minor = b;
      } else if (v.starts_with("block-major-") &&
                 sscanf(std::string(v).c_str(), "block-major-%u-%u", &a, &b) == 2) {
        type = 'b', major = a, minor = b;
      }
      if (type && have_devname) break;
    }
    if (!have_devname) continue;
    if (!type) {
      log(Level::error, "Module '%s' has devname (%s) but lacks major and minor information. Ignoring.",
          t.mods[i].modname.c_str(), devname.c_str());
      continue;
    }
    if (out.empty()) out = "# Device nodes to trigger on-demand module loading.\n";
    char buf[64];
    snprintf(buf, sizeof buf, " %c%u:%u\n", type, major, minor);
    out += t.mods[i].modname;
    out += ' ';
    out += devname;
    out += buf;
  }
  return out;
}

}  // namespace mng
