#include "conf/legacy_parser.h"

#include <boost/spirit/home/x3.hpp>

#include "conf/config_model.h"

namespace mng {
namespace x3 = boost::spirit::x3;

namespace {
namespace grammar {

// isspace() in the C locale.
const auto ws = x3::char_(" \t\n\v\f\r");
// Bytes a keyword is made of: modutils stops at anything <= ' ' (signed
// char, so bytes >= 0x80 stop it too) and at '='.
const auto kw_char = x3::char_('\x21', '\x7f') - x3::lit('=');

template <char Q>
const auto quoted = x3::lit(Q) >> *((x3::lit('\\') >> x3::lit(Q)) | (x3::char_ - x3::lit(Q))) >>
                    (x3::lit(Q) | x3::eoi);
const auto word = x3::raw[+(quoted<'"'> | quoted<'\''> | quoted<'`'> | (x3::char_ - ws))];

}  // namespace grammar
}  // namespace

std::optional<LegacyLine> parse_legacy_line(std::string_view text) {
  using namespace grammar;
  LegacyLine out;
  auto it = text.begin();
  const auto end = text.end();

  // ws* ["add" ws*]
  x3::parse(it, end, *ws);
  auto before_add = it;
  if (x3::parse(it, end, x3::lit("add") >> *ws)) out.adding = true;
  else it = before_add;
  if (it == end) return std::nullopt;

  // keyword, then its terminator
  std::string keyword;
  x3::parse(it, end, *kw_char, keyword);
  out.keyword = std::move(keyword);
  out.head.assign(text.begin(), it);
  if (it != end) {
    out.assignment = (*it == '=');
    ++it;  // the terminator is consumed whatever it is
    x3::parse(it, end, *ws);
  }
  out.arg.assign(it, end);
  return out;
}

std::pair<std::string, std::string> split_first_word(std::string_view text) {
  using namespace grammar;
  auto it = text.begin();
  const auto end = text.end();
  x3::parse(it, end, *ws);
  std::string first;
  x3::parse(it, end, word, first);
  x3::parse(it, end, *ws);
  return {std::move(first), std::string(it, end)};
}

std::vector<std::string> split_words(std::string_view text) {
  using namespace grammar;
  std::vector<std::string> words;
  auto it = text.begin();
  x3::parse(it, text.end(), x3::omit[*ws] >> *(word >> x3::omit[*ws]), words);
  return words;
}

LegacyKeyword classify_legacy_keyword(const LegacyLine& l, int* gen_index) {
  struct Plain {
    const char* name;
    LegacyKeyword kw;
  };
  // Keywords that must NOT be assignments.
  static const Plain plain[] = {
      {"keep", LegacyKeyword::keep},          {"include", LegacyKeyword::include},
      {"define", LegacyKeyword::define},      {"elseif", LegacyKeyword::elseif},
      {"else", LegacyKeyword::else_},         {"endif", LegacyKeyword::endif},
      {"prune", LegacyKeyword::prune},        {"alias", LegacyKeyword::alias},
      {"options", LegacyKeyword::options},    {"above", LegacyKeyword::above},
      {"below", LegacyKeyword::below},        {"probe", LegacyKeyword::probe},
      {"probeall", LegacyKeyword::probeall},  {"pre-install", LegacyKeyword::pre_install},
      {"install", LegacyKeyword::install},    {"post-install", LegacyKeyword::post_install},
      {"pre-remove", LegacyKeyword::pre_remove}, {"remove", LegacyKeyword::remove},
      {"post-remove", LegacyKeyword::post_remove},
  };
  const std::string& k = l.keyword;
  // modutils tests "if" without looking at '=' ("if=x" is an if).
  if (k == "if") return LegacyKeyword::if_;
  if (!l.assignment) {
    for (const auto& p : plain)
      if (k == p.name) return p.kw;
    return LegacyKeyword::unknown;
  }
  if (k.compare(0, 4, "path") == 0) return LegacyKeyword::path;
  if (k == "persistdir") return LegacyKeyword::persistdir;
  if (k == "insmod_opt") return LegacyKeyword::insmod_opt;
  for (std::size_t i = 0; i < kGenFileCount; ++i) {
    std::string name = std::string(gen_file_base(static_cast<GenFile>(i))) + "file";
    if (k == name) {
      if (gen_index) *gen_index = static_cast<int>(i);
      return LegacyKeyword::gen_file;
    }
  }
  return LegacyKeyword::unknown;
}

std::string legacy_path_tag(std::string_view keyword) {
  // path '[' TAG ']' end-of-keyword; TAG holds no ']'.
  auto it = keyword.begin();
  std::string tag;
  bool ok = x3::parse(it, keyword.end(), x3::lit("path[") >> *(x3::char_ - ']') >> ']' >> x3::eoi, tag);
  return ok ? tag : std::string("misc");
}

}  // namespace mng
