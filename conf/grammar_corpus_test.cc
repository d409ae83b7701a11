// SPDX-License-Identifier: GPL-2.0-or-later
// Expected results of the configuration grammars over a broad corpus.
//
// conf/testdata/grammar_corpus.txt holds every line of the configuration
// snippets in the unit tests and every line and file of tests/conf-cases and
// fuzz/seeds (conf/testdata/make-grammar-corpus.py builds it); the test adds
// generated edge cases (empty and blank lines, lone quotes, unterminated
// backquotes, deep if nesting, very long and many times continued lines).
// Each input goes through
//   P  parse_legacy_line, classify_legacy_keyword, legacy_path_tag
//   W  split_first_word, split_words
//   I  an "if" line (as if, and as elseif) read by legacy_read_text, with
//      and without -k: which branch was taken, and the messages
//   R  the line (or file) as a whole legacy file: messages and modprobe -c
//   M  the line (or file) as a modprobe.d file: messages and modprobe -c
// and the renderings must equal conf/testdata/grammar_corpus.expected.
// That file was written by the hand-written parsers before the grammars
// moved to Boost.Spirit X3, so it is the differential test between the two.
// To rewrite it after an intended change of behaviour:
//   MNG_WRITE_GRAMMAR_EXPECTED=1 build/unit_tests '[grammar-corpus]'
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/test_util.h"
#include "conf/legacy_parser.h"
#include "conf/modprobe_d.h"

using namespace mng;
using namespace mng::testing;

namespace {

const char kCorpus[] = "conf/testdata/grammar_corpus.txt";
const char kExpected[] = "conf/testdata/grammar_corpus.expected";

std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char n = s[++i];
    if (n == 'n') {
      out += '\n';
    } else if (n == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += n;
    }
  }
  return out;
}

std::string escape(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else (out += "\\x") += std::string{hex[c >> 4], hex[c & 15]};
  }
  return out;
}

// Escaped, and long values shortened to their length, a hash and a prefix.
std::string shown(std::string_view s) {
  std::string e = escape(s);
  if (e.size() <= 400) return "[" + e + "]";
  unsigned long long h = 1469598103934665603ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::ostringstream o;
  o << "[" << e.substr(0, 80) << "...](" << s.size() << " bytes, fnv " << std::hex << h << ")";
  return o.str();
}

std::string messages(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += " e=" + shown(e.file + ":" + std::to_string(e.line) + ":" + e.message);
  return out;
}

struct Renderer {
  std::string empty_legacy;  // modprobe -c of an empty legacy file

  std::string parsed(const std::string& text) {
    auto l = parse_legacy_line(text);
    if (!l) return "P none\n";
    int gen = -1;
    LegacyKeyword kw = classify_legacy_keyword(*l, &gen);
    std::ostringstream o;
    o << "P add=" << l->adding << " asg=" << l->assignment << " kw=" << static_cast<int>(kw) << " gen=" << gen
      << " key=" << shown(l->keyword) << " arg=" << shown(l->arg) << " head=" << shown(l->head)
      << " tag=" << shown(legacy_path_tag(l->keyword)) << "\n";
    return o.str();
  }

  std::string words(const std::string& text) {
    auto [first, rest] = split_first_word(text);
    std::string out = "W first=" + shown(first) + " rest=" + shown(rest) + " all=";
    for (const auto& w : split_words(text)) out += shown(w);
    return out + "\n";
  }

  std::string condition(const std::string& expr) {
    static const std::map<std::string, std::string> env{{"EMPTY", ""}, {"ONE", "1"}};
    std::string out = "I";
    for (const char* form : {"if", "elseif"}) {
      std::string text = std::string(form == std::string("if") ? "" : "if 0\nalias hit skipped\n") + form + " " +
                         expr + "\nalias hit yes\nelse\nalias hit no\nendif\n";
      for (bool autoclean : {false, true}) {
        LegacyResult r = read_legacy_snippet("define D 2\n" + text, "2.4.20", "c", &env, autoclean);
        std::string hit = "-";
        for (const auto& a : r.model.aliases)
          if (a.name == "hit" && !a.targets.empty()) hit = a.targets.front();
        out += std::string(" ") + form + (autoclean ? "/k" : "") + "=" + hit + (r.ok ? "" : "!") + messages(r.errors);
      }
    }
    return out + "\n";
  }

  // modprobe -c lines that an empty configuration does not have, and how
  // many lines there are.
  std::string legacy(const std::string& text) {
    LegacyResult r = read_legacy_snippet(text, "2.4.20", "c");
    std::set<std::string> base;
    for (const auto& l : lines_of(empty_legacy)) base.insert(l);
    std::string extra;
    std::size_t n = 0;
    for (const auto& l : lines_of(r.shown)) {
      ++n;
      if (!base.count(l)) extra += l + "\n";
    }
    return "R ok=" + std::to_string(r.ok) + " modprobe_fails=" + std::to_string(r.model.modprobe_fails) +
           " depmod_fails=" + std::to_string(r.model.depmod_fails) + " lines=" + std::to_string(n) +
           " new=" + shown(extra) + messages(r.errors) + "\n";
  }

  std::string modprobe_d(const std::string& text) {
    ConfigModel m;
    std::vector<ConfigError> errors;
    parse_modprobe_d_text(&m, text, "m", &errors);
    return "M " + shown(show_config_string(m)) + messages(errors) + "\n";
  }

  // Inputs that would read the machine's files (absolute globs, includes)
  // are not read as legacy files; the relative ones run in an empty directory.
  static bool reads_machine(const std::string& text) {
    return text.find('/') != std::string::npos &&
           (text.find_first_of("[]~?*") != std::string::npos || text.find("include") != std::string::npos);
  }

  std::string record(const std::string& kind, const std::string& text) {
    std::string out = kind + " " + shown(text) + "\n";
    bool machine = reads_machine(text);
    if (kind == "line") {
      out += parsed(text) + words(text);
      out += machine ? "I skipped\n" : condition(text);
    }
    out += machine ? "R skipped\n" : legacy(text);
    return out + modprobe_d(text);
  }
};

std::vector<std::pair<std::string, std::string>> generated_inputs() {
  std::vector<std::pair<std::string, std::string>> in;
  auto line = [&](std::string s) { in.emplace_back("line", std::move(s)); };
  auto file = [&](std::string s) { in.emplace_back("file", std::move(s)); };
  for (const char* s : {"", " ", "\t", " \t\v\f\r ", "add", "add ", " add\t", "addadd x", "add=x", "=x", "==",
                        "`", "``", "` `", "`uname -r", "`kernelversion", "if `", "alias a `b", "\"", "'", "\"a b",
                        "'a\\' b", "\\", "\\\\", "!", "! ", "!!", "!x y", "! ! x", "!-k", "! -k", "-k", "-kx", "-k x",
                        "-f", "-f ", "-fx", "-f c", "-f \"\"", "-n", "-n 1", "-n 1 ==", "-n 0x10 > 8", "-n 010 == 8",
                        "-n a < b", "-nx 1 == 1", "a", "0", "false", "\"\"", "''", "$EMPTY", "$ONE", "$D", "${D}",
                        "$(ls)", "a == a", "a = a", "a != a", "a < b", "a <= b", "b > a", "a >= a", "a <> b",
                        "a =! b", "a == ", "a  ==   a   x y", "\"a b\" == \"a b\"", "a\t==\ta", "x == `uname -r`",
                        "`uname -r` == 2.4.20", "$D == 2", "-n $D >= 2", "a == $(x)", "path", "path=", "path[",
                        "path[x", "path[]=a", "path[a]b=c", "path[a]]=c", "pathx=y", "keep=", "if=a", "if", "endif",
                        "endif=", "else x", "elseif", "elseif=1", "persistdir", "persistdir=", "insmod_opt=",
                        "depfile", "depfile=", "depfile=a", "pcimapfile=", "xfile=", "options -k", "options -k m",
                        "options -k -k m", "alias\x01x y", "alias\x80x y", "\x80", "\x7f", "ali\xffs a b",
                        "alias a b\x00 c", "softdep m pre: a post: b", "softdep m post: a pre: b c",
                        "softdep m x pre: pre: a", "softdep m", "softdep", "weakdep m a b", "weakdep m",
                        "blacklist", "blacklist a-b", "blacklist a[-]b", "blacklist a]b", "blacklist a[b",
                        "alias a-b c-d", "alias a", "options a   x=1\t y=2", "options a", "options a ",
                        "install a b\tc", "install a", "remove a b", "include x", "config x", "includex",
                        "aliasx a b", "Alias a b", "# c", " # c", "\t#", "alias a b # c"})
    line(std::string(s, std::char_traits<char>::length(s)));
  line(std::string("alias a b\0c", 11));
  line(std::string("\0alias a b", 10));
  line("alias x " + std::string(5000, 'y'));
  line("options m " + std::string(100000, 'v'));
  line(std::string(70000, ' ') + "alias a b");
  line("if " + std::string(3000, '!'));
  line(std::string(2000, '`'));
  line("a " + std::string(1000, '"'));
  line("-n " + std::string(400, '9') + " > 1");
  // Files.
  for (const char* s : {"", "\n", "\n\n\n", "   \n\t\n", "\\", "\\\n", "a\\", "alias a \\\nb\n", "alias a\\\n b\n",
                        "alias a \\\\\nb c\n", "alias `a\nb` c\n", "alias a `uname\n", "else\n", "endif\n",
                        "elseif 1\n", "if\n", "if 1\n", "if 1\nelse\nelse\nalias a b\nendif\n",
                        "if 0\nelse\nelse\nalias a b\nendif\n", "if 1\nelseif 1\nalias a b\nelse\nalias c d\nendif\n",
                        "if 0\nif `x`\nendif\nendif\n", "if `x`\nendif\n", "alias a b\n\x00\nalias c d\n",
                        "options x a\nadd options x b\noptions -k x c\n", "path=a\npath[b]=c\nkeep\npath=d\n",
                        "keep\npath=a\n", "depfile=a\ndepfile=b\n", "alias a b\nalias\\\n"})
    file(s);
  for (int depth : {19, 20, 21, 200}) {
    std::string t;
    for (int i = 0; i < depth; ++i) t += "if " + std::to_string(i % 2) + "\n";
    t += "alias deep yes\n";
    for (int i = 0; i < depth; ++i) t += "endif\n";
    file(t);
  }
  std::string continued;
  for (int i = 0; i < 2000; ++i) continued += "alias c" + std::to_string(i) + " \\\n";
  file(continued + "x\n");
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "alias m" + std::to_string(i % 7) + " t" + std::to_string(i) + "\n";
  file(many);
  file(std::string(200000, 'z'));
  return in;
}

std::vector<std::pair<std::string, std::string>> corpus_inputs() {
  std::vector<std::pair<std::string, std::string>> in;
  std::ifstream f(kCorpus, std::ios::binary);
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    in.emplace_back(line.substr(0, sp), sp == std::string::npos ? "" : unescape(line.substr(sp + 1)));
  }
  return in;
}

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream o;
  o << f.rdbuf();
  return o.str();
}

}  // namespace

TEST_CASE("grammar corpus: every input gives the recorded result", "[conf][grammar-corpus]") {
  auto corpus = corpus_inputs();
  REQUIRE(corpus.size() > 1000);
  for (auto& g : generated_inputs()) corpus.push_back(std::move(g));
  const std::string expected_path = std::filesystem::absolute(kExpected).string();

  Renderer r;
  std::string actual;
  {
    TempDir empty;  // relative globs and -f tests see an empty directory
    const auto cwd = std::filesystem::current_path();
    REQUIRE(chdir(empty.path.c_str()) == 0);
    r.empty_legacy = read_legacy_snippet("", "2.4.20", "c").shown;
    for (const auto& [kind, text] : corpus) actual += r.record(kind, text);
    REQUIRE(chdir(cwd.c_str()) == 0);
  }

  if (std::getenv("MNG_WRITE_GRAMMAR_EXPECTED")) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    WARN("wrote " << expected_path);
    return;
  }
  std::string expected = read_all(expected_path);
  REQUIRE_FALSE(expected.empty());
  auto want = lines_of(expected), got = lines_of(actual);
  std::size_t differing = 0;
  std::string first_diff;
  for (std::size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    const std::string w = i < want.size() ? want[i] : "<none>";
    const std::string g = i < got.size() ? got[i] : "<none>";
    if (w == g) continue;
    if (differing++ == 0)
      first_diff = "line " + std::to_string(i + 1) + "\nexpected: " + w + "\nactual:   " + g;
  }
  INFO(first_diff);
  CHECK(differing == 0);
  CHECK(want.size() == got.size());
}
