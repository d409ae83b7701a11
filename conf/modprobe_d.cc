// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/modprobe_d.h"

#include <boost/spirit/home/x3.hpp>

#include "common/text_util.h"
#include "conf/file_text.h"

namespace mng {
namespace x3 = boost::spirit::x3;

namespace {
namespace grammar {
const auto blank = x3::char_(" \t");                     // strtok(" \t")
const auto token = +(x3::char_ - blank);
}  // namespace grammar

// strtok_r-style cursor over one logical line.
class Tokens {
 public:
  explicit Tokens(std::string_view s) : it_(s.begin()), end_(s.end()) {}

  // Next token ("\t " separated), or nullopt.
  std::optional<std::string> next() {
    x3::parse(it_, end_, *grammar::blank);
    std::string tok;
    if (!x3::parse(it_, end_, grammar::token, tok)) return std::nullopt;
    // strtok overwrites the one separator after the token.
    if (it_ != end_) ++it_;
    return tok;
  }
  // strtok_r(NULL, "\0"): everything left, nullopt if nothing is.
  std::optional<std::string> rest() {
    if (it_ == end_) return std::nullopt;
    std::string r(it_, end_);
    it_ = end_;
    return r;
  }

 private:
  std::string_view::const_iterator it_, end_;
};

// The commands, and the two section words of softdep.
enum class Command { alias, blacklist, options, install, remove, softdep, weakdep, include, config };
struct Commands : x3::symbols<Command> {
  Commands() {
    add("alias", Command::alias)("blacklist", Command::blacklist)("options", Command::options)(
        "install", Command::install)("remove", Command::remove)("softdep", Command::softdep)(
        "weakdep", Command::weakdep)("include", Command::include)("config", Command::config);
  }
};
enum class SoftdepSection { pre, post };
struct SoftdepSections : x3::symbols<SoftdepSection> {
  SoftdepSections() { add("pre:", SoftdepSection::pre)("post:", SoftdepSection::post); }
};

// A whole token must be the keyword: "aliasx" is no command.
template <typename Symbols, typename T>
bool keyword(const Symbols& symbols, const std::string& token, T* out) {
  auto it = token.begin();
  return x3::parse(it, token.end(), symbols >> x3::eoi, *out);
}

// Words separated by isspace() bytes.
std::vector<std::string> split_space(std::string_view s) { return strtok_split_strings(s, " \t\n\v\f\r"); }

const Commands commands;
const SoftdepSections softdep_sections;

void report_bad_line(std::vector<ConfigError>* errors, ConfSource source, const std::string& filename,
                     unsigned line, const std::string& cmd) {
  if (errors)
    errors->push_back(ConfigError{ConfErrorLevel::error, source, filename, line,
                                  filename + " line " + std::to_string(line) +
                                      ": ignoring bad line starting with '" + cmd + "'"});
}

// options, install, remove, softdep, weakdep NAME REST.
void add_module_command(ConfigModel* m, Command kind, const std::string& name, const std::string& rest,
                        ConfSource source, const ConfOrigin& at) {
  switch (kind) {
    case Command::options: {
      ConfOptions o;
      o.module = name;
      o.text = rest;
      for (auto& c : o.text)
        if (c == '\t') c = ' ';
      o.source = source;
      o.origin = at;
      m->options.push_back(std::move(o));
      break;
    }
    case Command::install:
    case Command::remove:
      m->commands.push_back(
          ConfCommand{kind == Command::install ? CommandKind::install : CommandKind::remove, name, rest, source, at});
      break;
    case Command::softdep: {
      ConfSoftdep sd{name, {}, {}, source, at};
      std::vector<std::string>* into = nullptr;
      for (auto& w : split_space(rest)) {
        SoftdepSection section;
        if (keyword(softdep_sections, w, &section)) into = section == SoftdepSection::pre ? &sd.pre : &sd.post;
        else if (into) into->push_back(std::move(w));
      }
      m->softdeps.push_back(std::move(sd));
      break;
    }
    default:  // weakdep
      m->weakdeps.push_back(ConfWeakdep{name, split_space(rest), source, at});
      break;
  }
}

}  // namespace

void parse_modprobe_d_text(ConfigModel* m, std::string_view text, const std::string& filename,
                           std::vector<ConfigError>* errors, ConfSource source) {
  const std::string* shared_name = intern_file_name(filename);
  for_each_kmod_line(text, [&](const KmodLine& line) {
    if (line.text.empty() || line.text[0] == '#') return;
    Tokens t(line.text);
    std::optional<std::string> cmd = t.next();
    if (!cmd) return;
    ConfOrigin at{shared_name, line.line};
    bool ok = false;

    Command kind;
    if (!keyword(commands, *cmd, &kind)) {
      report_bad_line(errors, source, filename, line.line, *cmd);
      return;
    }
    switch (kind) {
      case Command::alias: {
        auto name = t.next();
        auto target = t.next();
        if (name && target) {
          auto n = normalize_alias(*name);
          auto tg = normalize_alias(*target);
          if (n && tg) {
            m->aliases.push_back(ConfAlias{*n, {*tg}, source, at});
            ok = true;
          }
        }
        break;
      }
      case Command::blacklist:
        if (auto name = t.next())
          if (auto n = normalize_alias(*name)) {
            m->blacklist.push_back(ConfBlacklist{*n, source, at});
            ok = true;
          }
        break;
      case Command::include:
      case Command::config:
        if (errors)
          errors->push_back(ConfigError{ConfErrorLevel::error, source, filename, line.line,
                                        filename + ": command " + *cmd + " is deprecated and not parsed anymore"});
        return;
      case Command::options:
      case Command::install:
      case Command::remove:
      case Command::softdep:
      case Command::weakdep: {
        auto name = t.next();
        auto rest = t.rest();
        std::optional<std::string> n;
        if (name && rest) n = normalize_alias(*name);
        if (!n) break;
        ok = true;
        add_module_command(m, kind, *n, *rest, source, at);
        break;
      }
    }
    if (!ok) report_bad_line(errors, source, filename, line.line, *cmd);
  });
}

bool parse_modprobe_d_file(ConfigModel* m, const std::string& path, std::vector<ConfigError>* errors,
                           bool trusted_only) {
  std::string content, why;
  switch (read_config_text(path, &content, trusted_only, &why)) {
    case ConfigRead::ok:
      break;
    case ConfigRead::unreadable:
      // A file that cannot be opened is skipped silently, as by libkmod; one
      // that is opened but refused (a FIFO, /dev/zero, too large) is named.
      if (errors && !why.empty())
        errors->push_back(ConfigError{ConfErrorLevel::error, ConfSource::modprobe_d, path, 0, why + " (ignored)"});
      return false;
    case ConfigRead::untrusted:
      m->untrusted_files.push_back(path);
      if (errors) errors->push_back(ConfigError{ConfErrorLevel::error, ConfSource::modprobe_d, path, 0, why});
      return false;
  }
  m->modprobe_d_files.push_back(path);
  parse_modprobe_d_text(m, content, path, errors);
  return true;
}

}  // namespace mng
