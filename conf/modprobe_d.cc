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

// Words separated by isspace() bytes.
std::vector<std::string> split_space(std::string_view s) { return strtok_split_strings(s, " \t\n\v\f\r"); }


}  // namespace

void parse_modprobe_d_text(ConfigModel* m, std::string_view text, const std::string& filename,
                           std::vector<ConfigError>* errors, ConfSource source) {
  for (const KmodLine& line : kmod_logical_lines(text)) {
    if (line.text.empty() || line.text[0] == '#') continue;
    Tokens t(line.text);
    std::optional<std::string> cmd = t.next();
    if (!cmd) continue;
    ConfOrigin at{filename, line.line};
    bool ok = false;

    if (*cmd == "alias") {
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
    } else if (*cmd == "blacklist") {
      if (auto name = t.next())
        if (auto n = normalize_alias(*name)) {
          m->blacklist.push_back(ConfBlacklist{*n, source, at});
          ok = true;
        }
    } else if (*cmd == "options" || *cmd == "install" || *cmd == "remove" || *cmd == "softdep" ||
               *cmd == "weakdep") {
      auto name = t.next();
      auto rest = t.rest();
      std::optional<std::string> n;
      if (name && rest) n = normalize_alias(*name);
      if (n) {
        ok = true;
        if (*cmd == "options") {
          ConfOptions o;
          o.module = *n;
          o.text = *rest;
          for (auto& c : o.text)
            if (c == '\t') c = ' ';
          o.source = source;
          o.origin = at;
          m->options.push_back(std::move(o));
        } else if (*cmd == "install" || *cmd == "remove") {
          m->commands.push_back(ConfCommand{*cmd == "install" ? CommandKind::install : CommandKind::remove,
                                            *n, *rest, source, at});
        } else if (*cmd == "softdep") {
          ConfSoftdep sd{*n, {}, {}, source, at};
          std::vector<std::string>* into = nullptr;
          for (auto& w : split_space(*rest)) {
            if (w == "pre:") into = &sd.pre;
            else if (w == "post:") into = &sd.post;
            else if (into) into->push_back(std::move(w));
          }
          m->softdeps.push_back(std::move(sd));
        } else {
          m->weakdeps.push_back(ConfWeakdep{*n, split_space(*rest), source, at});
        }
      }
    } else if (*cmd == "include" || *cmd == "config") {
      if (errors)
        errors->push_back(ConfigError{ConfErrorLevel::error, source, filename, line.line,
                                      filename + ": command " + *cmd + " is deprecated and not parsed anymore"});
      continue;
    }
    if (!ok && errors)
      errors->push_back(ConfigError{ConfErrorLevel::error, source, filename, line.line,
                                    filename + " line " + std::to_string(line.line) +
                                        ": ignoring bad line starting with '" + *cmd + "'"});
  }
}

bool parse_modprobe_d_file(ConfigModel* m, const std::string& path, std::vector<ConfigError>* errors,
                           bool trusted_only) {
  std::string content, why;
  switch (read_config_text(path, &content, trusted_only, &why)) {
    case ConfigRead::ok:
      break;
    case ConfigRead::unreadable:
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
