// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/kcmdline.h"

#include "common/file_util.h"
#include "common/modname.h"
#include "conf/modprobe_d.h"

namespace mng {
namespace {

constexpr const char* kCmdlineFile = "/proc/cmdline";

void add_result(ConfigModel* m, const std::string& modname, const std::string& param, const std::string& value,
                std::vector<ConfigError>* errors) {
  ConfOrigin at{kCmdlineFile, 0};
  if (modname == "modprobe" && param.starts_with("blacklist=")) {
    // strsep(value, ","): every piece, empty ones included.
    std::size_t start = 0;
    for (;;) {
      std::size_t comma = value.find(',', start);
      m->blacklist.push_back(ConfBlacklist{value.substr(start, comma - start), ConfSource::kcmdline, at});
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return;
  }
  auto name = normalize_alias(modname);
  if (!name) {
    if (errors)
      errors->push_back(ConfigError{ConfErrorLevel::error, ConfSource::kcmdline, kCmdlineFile, 0,
                                    "Ignoring bad option on kernel command line while parsing module name: '" +
                                        modname + "'"});
    return;
  }
  ConfOptions o;
  o.module = *name;
  o.text = param;
  for (auto& c : o.text)
    if (c == '\t') c = ' ';
  o.source = ConfSource::kcmdline;
  o.origin = at;
  m->options.push_back(std::move(o));
}

}  // namespace

void parse_kernel_cmdline(ConfigModel* m, std::string_view cmdline, std::vector<ConfigError>* errors) {
  // Work on a NUL-terminated copy, with positions instead of pointers.
  std::string buf(cmdline);
  buf.push_back('\0');
  enum class State { ignore, modname, param, value, complete };
  State state = State::modname;
  bool quoted = false;
  std::size_t modname = 0, param = 0, value = 0;
  bool has_value = false;
  std::size_t quote_start = std::string::npos;

  for (std::size_t p = 0; p < buf.size(); ++p) {
    char c = buf[p];
    bool last = (c == '\0');
    if (c == '"') {
      quoted = !quoted;
      // Only a quote opening the whole token is allowed before the value.
      if (quoted && state == State::modname && p == modname) {
        quote_start = p;
        modname = p + 1;
      } else if (state != State::value) {
        state = State::ignore;
      }
    } else if (last || c == ' ' || c == '\n' || c == '\t' || c == '\v' || c == '\f' || c == '\r') {
      if (quoted && state == State::value) {
        // a space inside a quoted value
      } else if (quoted) {
        state = State::ignore;
      } else if (state == State::value || state == State::param) {
        buf[p] = '\0';
        state = State::complete;
      } else {
        modname = p + 1;
        state = State::modname;
        quote_start = std::string::npos;
      }
    } else if (c == '.') {
      if (state == State::modname) {
        buf[p] = '\0';
        param = p + 1;
        state = State::param;
      } else if (state == State::param) {
        state = State::ignore;
      }
    } else if (c == '=') {
      if (state == State::param) {
        value = p + 1;
        has_value = true;
        state = State::value;
      } else if (state == State::modname) {
        state = State::ignore;
      }
    }

    if (state == State::complete) {
      if (quote_start != std::string::npos && quote_start < modname && has_value) {
        // "mod.p=a b" -> mod.p="a b": shift name and parameter left over
        // the opening quote and put a quote before the value.
        buf.erase(quote_start, 1);
        --modname;
        --param;
        --value;
        --p;
        buf.insert(buf.begin() + static_cast<std::ptrdiff_t>(value), '"');
        ++p;
      }
      std::string mod(buf.c_str() + modname);
      std::string par(buf.c_str() + param);
      std::string val = has_value ? std::string(buf.c_str() + value) : std::string();
      add_result(m, mod, par, val, errors);
      modname = p + 1;
      state = State::modname;
      quote_start = std::string::npos;
      has_value = false;
    }
    if (last) break;
  }
}

std::string read_kernel_cmdline(const std::string& path) {
  // The kernel limits its command line to a few KiB.
  std::string text;
  read_file(path, size_t{1} << 20, &text);
  return text;
}

}  // namespace mng
