// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/legacy_read.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

#include "common/file_util.h"
#include "conf/expand.h"
#include "conf/file_text.h"
#include "conf/legacy_defaults.h"
#include "conf/legacy_lexer.h"
#include "conf/legacy_parser.h"

namespace mng {
namespace {

constexpr int kMaxIfLevel = 20;       // modutils MAX_LEVEL
constexpr int kMaxIncludeDepth = 20;  // modutils MAX_DEPTH


template <typename T>
bool compare(LegacyCmp c, const T& a, const T& b) {
  switch (c) {
    case LegacyCmp::eq: return a == b;
    case LegacyCmp::ne: return a != b;
    case LegacyCmp::lt: return a < b;
    case LegacyCmp::le: return a <= b;
    case LegacyCmp::gt: return a > b;
    case LegacyCmp::ge: return a >= b;
    case LegacyCmp::unknown: break;
  }
  return false;
}

// One "if" level: whether the enclosing block was active when it was
// opened, and modutils' state (0 false so far, 1 taking this branch,
// 2 a branch was already taken).
struct IfFrame {
  bool outer_active;
  int state;
};

class Reader {
 public:
  Reader(ConfigModel* m, const LegacyReadOptions& o, std::vector<ConfigError>* errors)
      : m_(*m), o_(o), errors_(errors) {}

  // What modutils' do_read returned: ok, failed only because of invalid
  // lines (depmod does not care), or failed hard.
  enum class Status { ok, invalid, fatal };
  Status read_file(const std::string& path, int depth);
  Status read_text(std::string_view text, const std::string& name, int depth);

 private:
  struct FileState {
    const std::string& name;
    bool drop_default_paths = true;
    std::vector<IfFrame> ifs;
    unsigned line = 0;
    bool invalid = false;  // an invalid line was seen
    bool fatal = false;    // reading stopped on an error
  };

  ExpandEnv env() const { return ExpandEnv{o_.version, &m_.defines, o_.environment}; }
  ConfOrigin origin(const FileState& f) const { return ConfOrigin{f.name, f.line}; }

  void report(ConfErrorLevel level, const std::string& file, unsigned line, std::string msg) {
    if (errors_) errors_->push_back(ConfigError{level, ConfSource::legacy, file, line, std::move(msg)});
  }
  // modutils: error("Invalid line %d in %s\n\t%s") and the read fails for modprobe.
  void invalid_line(FileState& f, const std::string& head) {
    report(ConfErrorLevel::error, f.name, f.line,
           "Invalid line " + std::to_string(f.line) + " in " + f.name + "\n\t" + head);
    m_.modprobe_fails = true;
    f.invalid = true;
  }
  // An error that ends the read of this file (do_read returning -1).
  bool abort_file(FileState& f, std::string msg) {
    report(ConfErrorLevel::error, f.name, f.line, std::move(msg));
    f.fatal = true;
    return false;
  }
  std::string where(const FileState& f) const { return f.name + ":" + std::to_string(f.line) + ": "; }

  bool active(const FileState& f) const {
    return f.ifs.empty() || (f.ifs.back().outer_active && f.ifs.back().state == 1);
  }
  // Evaluates an if/elseif expression; false + *error on an unsupported construct.
  bool eval_condition(const std::string& arg, bool* value, std::string* error);
  // First expanded word (or `fallback` when there is none).
  bool first_word(const std::string& text, const std::string& fallback, std::string* out, std::string* error);

  // Handles one non-conditional line; false aborts the file.
  bool handle(FileState& f, const LegacyLine& l, LegacyKeyword kw, int gen_index, int depth);
  bool handle_setting(FileState& f, const LegacyLine& l, LegacyKeyword kw, int gen_index);
  bool handle_list(FileState& f, const LegacyLine& l, LegacyKeyword kw);

  ConfigModel& m_;
  const LegacyReadOptions& o_;
  std::vector<ConfigError>* errors_;
};

bool Reader::first_word(const std::string& text, const std::string& fallback, std::string* out,
                        std::string* error) {
  ExpandResult r = meta_expand(text, env());
  if (!r.ok()) {
    *error = r.error;
    return false;
  }
  *out = r.words.empty() ? fallback : r.words.front();
  return true;
}

bool Reader::eval_condition(const std::string& arg, bool* value, std::string* error) {
  const LegacyCondition c = parse_legacy_condition(arg);
  bool result = false;
  switch (c.test) {
    case LegacyCondition::Test::autoclean:
      result = o_.autoclean;
      break;
    case LegacyCondition::Test::readable: {
      std::string file;
      if (!first_word(c.left, c.left, &file, error)) return false;
      result = access(file.c_str(), R_OK) == 0;
      break;
    }
    case LegacyCondition::Test::compare: {
      std::string w1, w2;
      if (!first_word(c.left, "", &w1, error) || !first_word(c.right, "", &w2, error)) return false;
      if (c.numeric)
        result = compare(c.op, std::strtol(w1.c_str(), nullptr, 0), std::strtol(w2.c_str(), nullptr, 0));
      else
        result = compare(c.op, std::strcmp(w1.c_str(), w2.c_str()), 0);
      break;
    }
    case LegacyCondition::Test::truth: {
      ExpandResult r = meta_expand(c.left, env());
      if (!r.ok()) {
        *error = r.error;
        return false;
      }
      result = !r.words.empty() && r.words[0] != "0" && r.words[0] != "false" && !r.words[0].empty();
      break;
    }
  }
  *value = c.negate ? !result : result;
  return true;
}

Reader::Status Reader::read_file(const std::string& path, int depth) {
  std::string content, why;
  switch (read_config_text(path, &content, o_.trusted_only, &why)) {
    case ConfigRead::ok:
      break;
    case ConfigRead::unreadable:
      report(ConfErrorLevel::error, path, 0, "Can't open " + path);
      return Status::fatal;
    case ConfigRead::untrusted:
      report(ConfErrorLevel::error, path, 0, why);
      m_.untrusted_files.push_back(path);
      return Status::fatal;
  }
  m_.legacy_files.push_back(path);
  return read_text(content, path, depth);
}

Reader::Status Reader::read_text(std::string_view text, const std::string& name, int depth) {
  FileState f{name, true, {}, 0, false, false};
  auto stop = [&](std::string msg) {
    abort_file(f, std::move(msg));
    return Status::fatal;
  };
  for (const LogicalLine& ll : legacy_logical_lines(text)) {
    f.line = ll.line;
    std::optional<LegacyLine> parsed = parse_legacy_line(ll.text);
    if (!parsed) continue;
    const LegacyLine& l = *parsed;
    int gen_index = -1;
    const LegacyKeyword kw = classify_legacy_keyword(l, &gen_index);
    const std::string ln = std::to_string(f.line);

    if (kw == LegacyKeyword::endif) {
      if (f.ifs.empty()) return stop(name + ": unmatched endif in line " + ln);
      f.ifs.pop_back();
      continue;
    }
    if (kw == LegacyKeyword::else_) {
      if (f.ifs.empty()) return stop(name + ": else without if in line " + ln);
      f.ifs.back().state = !f.ifs.back().state;
      continue;
    }
    bool is_elseif = kw == LegacyKeyword::elseif;
    if (is_elseif || kw == LegacyKeyword::if_) {
      if (is_elseif && f.ifs.empty()) return stop(name + ": elseif without if in line " + ln);
      if (is_elseif && f.ifs.back().state != 0) {
        f.ifs.back().state = 2;  // an earlier branch was taken
        continue;
      }
      if (!is_elseif && f.ifs.size() >= static_cast<std::size_t>(kMaxIfLevel))
        return stop(name + ": Too many nested if's in line " + ln);
      // Conditions inside a skipped block are not evaluated at all.
      bool outer = is_elseif ? f.ifs.back().outer_active : active(f);
      bool value = false;
      std::string error;
      if (outer && !eval_condition(l.arg, &value, &error)) return stop(where(f) + error);
      if (is_elseif) f.ifs.back().state = value ? 1 : 0;
      else f.ifs.push_back(IfFrame{outer, value ? 1 : 0});
      continue;
    }
    if (!active(f)) continue;
    if (!handle(f, l, kw, gen_index, depth)) return Status::fatal;
  }
  if (!f.ifs.empty()) {
    report(ConfErrorLevel::error, name, f.line, "missing endif at " + name + " EOF");
    f.fatal = true;
  }
  return f.fatal ? Status::fatal : f.invalid ? Status::invalid : Status::ok;
}

bool Reader::handle(FileState& f, const LegacyLine& l, LegacyKeyword kw, int gen_index, int depth) {
  std::string error;
  switch (kw) {
    case LegacyKeyword::keep:
      f.drop_default_paths = false;
      return true;

    case LegacyKeyword::path:
    case LegacyKeyword::gen_file:
    case LegacyKeyword::persistdir:
    case LegacyKeyword::insmod_opt:
    case LegacyKeyword::define:
      return handle_setting(f, l, kw, gen_index);

    case LegacyKeyword::include: {
      if (depth > kMaxIncludeDepth)
        return abort_file(f, f.name + ": Too many include level in line " + std::to_string(f.line));
      // Every word of the expansion is read, in its order (a pattern's
      // matches in directory order), as modutils 2.4.21 and later do.
      ExpandResult r = meta_expand(l.arg, env());
      if (!r.ok()) return abort_file(f, where(f) + r.error);
      if (r.words.empty()) r.words.push_back(l.arg);
      bool failed = false;
      for (const auto& file : r.words) {
        if (read_file(file, depth + 1) == Status::ok) continue;
        report(ConfErrorLevel::error, f.name, f.line, "include " + l.arg + " failed");
        failed = true;
      }
      if (failed) invalid_line(f, l.head);
      return true;
    }

    case LegacyKeyword::prune:
    case LegacyKeyword::alias:
    case LegacyKeyword::options:
    case LegacyKeyword::above:
    case LegacyKeyword::below:
    case LegacyKeyword::probe:
    case LegacyKeyword::probeall:
      return handle_list(f, l, kw);

    case LegacyKeyword::pre_install:
    case LegacyKeyword::install:
    case LegacyKeyword::post_install:
    case LegacyKeyword::pre_remove:
    case LegacyKeyword::remove:
    case LegacyKeyword::post_remove: {
      static const CommandKind kinds[] = {CommandKind::pre_install, CommandKind::install,
                                          CommandKind::post_install, CommandKind::pre_remove,
                                          CommandKind::remove, CommandKind::post_remove};
      auto idx = static_cast<int>(kw) - static_cast<int>(LegacyKeyword::pre_install);
      auto [module, command] = split_first_word(l.arg);
      m_.commands.push_back(ConfCommand{kinds[idx], std::move(module), std::move(command),
                                        ConfSource::legacy, origin(f)});
      return true;
    }

    case LegacyKeyword::if_:
    case LegacyKeyword::elseif:
    case LegacyKeyword::else_:
    case LegacyKeyword::endif:  // handled by read_text
    case LegacyKeyword::unknown:
      break;
  }
  invalid_line(f, l.head);
  return true;
}

// path[], the *file= names, persistdir, insmod_opt, define: settings of
// the whole configuration.
bool Reader::handle_setting(FileState& f, const LegacyLine& l, LegacyKeyword kw, int gen_index) {
  std::string error;
  switch (kw) {
    case LegacyKeyword::path: {
      if (f.drop_default_paths) {
        f.drop_default_paths = false;
        m_.paths.clear();
      }
      ExpandResult r = meta_expand(l.arg, env(), o_.root);
      if (!r.ok()) return abort_file(f, where(f) + r.error);
      std::string tag = legacy_path_tag(l.keyword);
      for (auto& w : r.words) m_.paths.push_back(SearchPath{tag, std::move(w)});
      return true;
    }

    case LegacyKeyword::gen_file: {
      auto i = static_cast<std::size_t>(gen_index);
      if (m_.gen_file_set[i]) {  // first definition wins
        invalid_line(f, l.head);
        return true;
      }
      m_.gen_file_set[i] = true;
      m_.gen_files[i] = l.arg;  // expanded by legacy_finish
      m_.gen_file_origins[i] = origin(f);
      return true;
    }

    case LegacyKeyword::persistdir: {
      std::string dir;
      if (!first_word(l.arg, l.arg, &dir, &error)) return abort_file(f, where(f) + error);
      m_.persistdir = dir;
      return true;
    }

    case LegacyKeyword::insmod_opt:
      m_.has_insmod_opt = true;
      m_.insmod_opt = l.arg;
      return true;

    case LegacyKeyword::define: {
      auto [name, rest] = split_first_word(l.arg);
      std::string value;
      if (!first_word(rest, "", &value, &error)) return abort_file(f, where(f) + error);
      m_.defines.emplace_back(std::move(name), std::move(value));
      return true;
    }

    default:
      break;
  }
  invalid_line(f, l.head);
  return true;
}

// alias, options, prune, above, below, probe, probeall (modutils decode_list).
bool Reader::handle_list(FileState& f, const LegacyLine& l, LegacyKeyword kw) {
  auto [name, rest] = split_first_word(l.arg);
  bool never_autoclean = false;
  if (kw == LegacyKeyword::options && name == "-k") {
    if (rest.empty())
      report(ConfErrorLevel::error, f.name, f.line, where(f) + "Missing module argument after -k");
    std::tie(name, rest) = split_first_word(rest);
    never_autoclean = true;
  }
  ExpandResult r = meta_expand(rest, env());
  if (!r.ok()) {
    std::string msg = where(f) + r.error;
    if (kw == LegacyKeyword::prune) return abort_file(f, msg);  // depmod reads prune lines
    report(ConfErrorLevel::error, f.name, f.line, msg);
    m_.modprobe_fails = true;
    f.invalid = true;
    return true;
  }
  bool adding = l.adding && kw != LegacyKeyword::alias;  // "add alias" replaces like alias
  auto merge = [&](std::vector<std::string>* words) {
    if (!adding) words->clear();
    for (auto& w : r.words) words->push_back(std::move(w));
  };

  if (kw == LegacyKeyword::alias) {
    for (auto& a : m_.aliases)
      if (is_legacy(a.source) && a.name == name) {
        merge(&a.targets);
        a.source = ConfSource::legacy;
        a.origin = origin(f);
        return true;
      }
    m_.aliases.push_back(ConfAlias{name, {}, ConfSource::legacy, origin(f)});
    merge(&m_.aliases.back().targets);
    return true;
  }
  if (kw == LegacyKeyword::options) {
    for (auto& o : m_.options)
      if (is_legacy(o.source) && o.module == name) {
        merge(&o.words);
        o.never_autoclean = o.never_autoclean || never_autoclean;  // sticky
        o.source = ConfSource::legacy;
        o.origin = origin(f);
        return true;
      }
    ConfOptions o;
    o.module = name;
    o.never_autoclean = never_autoclean;
    o.origin = origin(f);
    m_.options.push_back(std::move(o));
    merge(&m_.options.back().words);
    return true;
  }
  std::vector<ConfModuleList>* list = nullptr;
  switch (kw) {
    case LegacyKeyword::prune: list = &m_.prune; break;
    case LegacyKeyword::above: list = &m_.above; break;
    case LegacyKeyword::below: list = &m_.below; break;
    case LegacyKeyword::probe: list = &m_.probe; break;
    default: list = &m_.probeall; break;
  }
  for (auto& e : *list)
    if (e.name == name) {
      merge(&e.modules);
      e.source = ConfSource::legacy;
      e.origin = origin(f);
      return true;
    }
  list->push_back(ConfModuleList{name, {}, ConfSource::legacy, origin(f)});
  merge(&list->back().modules);
  return true;
}

std::string env_value(const LegacyReadOptions& o, const std::string& name, bool* found) {
  std::optional<std::string> v = mng::env_value(name, o.environment);
  *found = v.has_value();
  return v.value_or(std::string());
}

// Invalid lines fail only modprobe; hard errors in the top-level file fail both.
bool finish_top(ConfigModel* m, Reader::Status s) {
  if (s != Reader::Status::ok) m->modprobe_fails = true;
  if (s == Reader::Status::fatal) m->depmod_fails = true;
  return s == Reader::Status::ok;
}

}  // namespace

void legacy_begin(ConfigModel* m, const LegacyReadOptions& o) {
  m->legacy_in_force = true;
  bool found = false;
  std::string modpath = o.safe_mode ? std::string() : env_value(o, "MODPATH", &found);
  if (found && !o.safe_mode) m->paths = legacy_modpath_paths(modpath, o.version);
  else m->paths = legacy_default_paths(o.root, o.version);
  add_legacy_builtin_tables(m);
}

bool legacy_read_file(ConfigModel* m, const std::string& path, const LegacyReadOptions& o,
                      std::vector<ConfigError>* errors) {
  return finish_top(m, Reader(m, o, errors).read_file(path, 0));
}

bool legacy_read_text(ConfigModel* m, std::string_view text, const std::string& name,
                      const LegacyReadOptions& o, std::vector<ConfigError>* errors) {
  return finish_top(m, Reader(m, o, errors).read_text(text, name, 0));
}

void legacy_finish(ConfigModel* m, const LegacyReadOptions& o, std::vector<ConfigError>* errors) {
  ExpandEnv env{o.version, &m->defines, o.environment};
  for (std::size_t i = 0; i < kGenFileCount; ++i) {
    auto f = static_cast<GenFile>(i);
    // Undocumented modutils test hook: $DEPPATH, $PCIMAPPATH, ... win.
    std::string var = gen_file_base(f);
    for (auto& c : var) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    var += "PATH";
    bool found = false;
    std::string override_value = o.safe_mode ? std::string() : env_value(o, var, &found);
    if (found && !o.safe_mode) {
      m->gen_files[i] = override_value;
      continue;
    }
    if (!m->gen_file_set[i]) {
      m->gen_files[i] = legacy_default_gen_file(o.root, o.version, f);
      continue;
    }
    const ConfOrigin& at = m->gen_file_origins[i];
    ExpandResult r = meta_expand(m->gen_files[i], env, o.root);
    std::string problem = !r.ok() ? r.error : r.words.empty() ? std::string(gen_file_base(f)) + "file= is empty" : "";
    if (!problem.empty()) {
      if (errors)
        errors->push_back(ConfigError{ConfErrorLevel::error, ConfSource::legacy, at.file(), at.line,
                                      at.file() + ":" + std::to_string(at.line) + ": " + problem});
      m->modprobe_fails = m->depmod_fails = true;
      m->gen_files[i] = legacy_default_gen_file(o.root, o.version, f);
      continue;
    }
    m->gen_files[i] = r.words.front();
  }
}

}  // namespace mng
