// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf/legacy_parser.h"

#include <boost/spirit/home/x3.hpp>

#include "conf/config_model.h"

namespace mng {
namespace x3 = boost::spirit::x3;

namespace {

// ---- Keyword sets ----------------------------------------------------------

// Keywords that must NOT be assignments.
struct PlainKeywords : x3::symbols<LegacyKeyword> {
  PlainKeywords() {
    add("keep", LegacyKeyword::keep)("include", LegacyKeyword::include)("define", LegacyKeyword::define)(
        "elseif", LegacyKeyword::elseif)("else", LegacyKeyword::else_)("endif", LegacyKeyword::endif)(
        "prune", LegacyKeyword::prune)("alias", LegacyKeyword::alias)("options", LegacyKeyword::options)(
        "above", LegacyKeyword::above)("below", LegacyKeyword::below)("probe", LegacyKeyword::probe)(
        "probeall", LegacyKeyword::probeall)("pre-install", LegacyKeyword::pre_install)(
        "install", LegacyKeyword::install)("post-install", LegacyKeyword::post_install)(
        "pre-remove", LegacyKeyword::pre_remove)("remove", LegacyKeyword::remove)(
        "post-remove", LegacyKeyword::post_remove);
  }
};

// Keywords that must be assignments (besides path...), with the GenFile
// index of the generated-file names.
struct AssignedKeyword {
  LegacyKeyword kw = LegacyKeyword::unknown;
  int gen = -1;
};
struct AssignmentKeywords : x3::symbols<AssignedKeyword> {
  AssignmentKeywords() {
    add("persistdir", AssignedKeyword{LegacyKeyword::persistdir})(
        "insmod_opt", AssignedKeyword{LegacyKeyword::insmod_opt});
    for (std::size_t i = 0; i < kGenFileCount; ++i)
      add(std::string(gen_file_base(static_cast<GenFile>(i))) + "file",
          AssignedKeyword{LegacyKeyword::gen_file, static_cast<int>(i)});
  }
};

struct CmpSymbols : x3::symbols<LegacyCmp> {
  CmpSymbols() {
    add("==", LegacyCmp::eq)("=", LegacyCmp::eq)("!=", LegacyCmp::ne)("<", LegacyCmp::lt)("<=", LegacyCmp::le)(
        ">", LegacyCmp::gt)(">=", LegacyCmp::ge);
  }
};

// Built on first use: the generated-file names come from another unit.
const PlainKeywords& plain_keywords() {
  static const PlainKeywords s;
  return s;
}
const AssignmentKeywords& assignment_keywords() {
  static const AssignmentKeywords s;
  return s;
}
const CmpSymbols cmp_symbols;

// ---- Grammar (the names follow the header) --------------------------------

namespace grammar {

// Semantic actions: store the matched text, or a value, in a member of the
// rule's attribute.
template <typename M>
auto text_to(M member) {
  return [member](auto& ctx) {
    auto& range = x3::_attr(ctx);
    (x3::_val(ctx).*member).assign(range.begin(), range.end());
  };
}
template <typename M, typename V>
auto value_to(M member, V value) {
  return [member, value](auto& ctx) { x3::_val(ctx).*member = value; };
}

// isspace() in the C locale.
const auto ws = x3::char_(" \t\n\v\f\r");
const auto end = x3::eoi;
const auto rest = x3::raw[*x3::char_];

template <char Q>
const auto quoted = x3::lit(Q) >> *((x3::lit('\\') >> x3::lit(Q)) | (x3::char_ - x3::lit(Q))) >>
                    (x3::lit(Q) | x3::eoi);
const auto word = x3::raw[+(quoted<'"'> | quoted<'\''> | quoted<'`'> | (x3::char_ - ws))];

// line := ws* ["add" ws*] keyword (end | '=' ws* arg | sep ws* arg)
// Bytes a keyword is made of: modutils stops at anything <= ' ' (signed
// char, so bytes >= 0x80 stop it too) and at '='.
const auto kw_char = x3::char_('\x21', '\x7f') - x3::lit('=');
const auto keyword = x3::raw[*kw_char][text_to(&LegacyLine::keyword)];
const auto add_prefix = x3::lit("add")[value_to(&LegacyLine::adding, true)] >> *ws;
const auto sep = x3::char_;  // whatever ended the keyword
const auto arg = rest[text_to(&LegacyLine::arg)];
const auto line = x3::rule<class line_, LegacyLine>{"line"} =
    x3::raw[*ws >> -add_prefix >> keyword][text_to(&LegacyLine::head)] >>
    (end | x3::lit('=')[value_to(&LegacyLine::assignment, true)] >> *ws >> arg | sep >> *ws >> arg);
const auto nothing = *ws >> -(x3::lit("add") >> *ws) >> end;

// expr := ['!' word ws*] test, built from its parts upwards.
using C = LegacyCondition;
const auto op_to = [](auto& ctx) { x3::_val(ctx).op = x3::_attr(ctx); };
const auto op = cmp_symbols[op_to] >> &(ws | end) | word[value_to(&C::op, LegacyCmp::unknown)];
const auto binary = x3::omit[word[text_to(&C::left)] >> *ws >> op >> *ws >> rest[text_to(&C::right)]];
const auto single = x3::omit[-word[text_to(&C::left)] >> *ws >> end];
const auto autoclean = x3::omit[x3::lit("-k") >> *x3::char_];
const auto readable = x3::omit[&x3::lit("-f") >> word >> *ws] >> rest[text_to(&C::left)];
const auto numeric = x3::omit[&x3::lit("-n") >> word >> *ws][value_to(&C::numeric, true)];
const auto test = autoclean[value_to(&C::test, C::Test::autoclean)] |
                  readable[value_to(&C::test, C::Test::readable)] |
                  -numeric >> *ws >> (binary[value_to(&C::test, C::Test::compare)] |
                                      single[value_to(&C::test, C::Test::truth)]);
const auto negation = x3::omit[&x3::lit('!') >> word][value_to(&C::negate, true)] >> *ws;
const auto condition = x3::rule<class condition_, LegacyCondition>{"condition"} = -negation >> test;

}  // namespace grammar
}  // namespace

std::optional<LegacyLine> parse_legacy_line(std::string_view text) {
  auto it = text.begin();
  if (x3::parse(it, text.end(), grammar::nothing)) return std::nullopt;
  LegacyLine out;
  it = text.begin();
  x3::parse(it, text.end(), grammar::line, out);  // matches every line
  return out;
}

LegacyCondition parse_legacy_condition(std::string_view arg) {
  LegacyCondition out;
  auto it = arg.begin();
  x3::parse(it, arg.end(), grammar::condition, out);  // matches every text
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
  const std::string& k = l.keyword;
  auto whole = [&k](const auto& parser, auto& attr) {
    auto it = k.begin();
    return x3::parse(it, k.end(), parser >> x3::eoi, attr);
  };
  x3::unused_type none;
  // modutils tests "if" without looking at '=' ("if=x" is an if).
  if (whole(x3::lit("if"), none)) return LegacyKeyword::if_;
  if (!l.assignment) {
    LegacyKeyword kw = LegacyKeyword::unknown;
    return whole(plain_keywords(), kw) ? kw : LegacyKeyword::unknown;
  }
  if (whole(x3::lit("path") >> x3::omit[*x3::char_], none)) return LegacyKeyword::path;
  AssignedKeyword a;
  if (!whole(assignment_keywords(), a)) return LegacyKeyword::unknown;
  if (a.kw == LegacyKeyword::gen_file && gen_index) *gen_index = a.gen;
  return a.kw;
}

std::string legacy_path_tag(std::string_view keyword) {
  // path '[' TAG ']' end-of-keyword; TAG holds no ']'.
  auto it = keyword.begin();
  std::string tag;
  bool ok = x3::parse(it, keyword.end(), x3::lit("path[") >> *(x3::char_ - ']') >> ']' >> x3::eoi, tag);
  return ok ? tag : std::string("misc");
}

}  // namespace mng
