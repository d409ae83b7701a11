// SPDX-License-Identifier: GPL-2.0-or-later
// kmod 34's index layout (--index-layout=kmod34) checked against the rules
// of its writer: the root node right after the header, every node directly
// followed by the subtrees of its children in ascending character order,
// each subtree in one piece; node contents as in kmod 30's layout.
#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "common/index_write.h"

using namespace mng;

namespace {

uint32_t be32(const std::string& b, size_t at) {
  REQUIRE(at + 4 <= b.size());
  return uint32_t(uint8_t(b[at])) << 24 | uint32_t(uint8_t(b[at + 1])) << 16 | uint32_t(uint8_t(b[at + 2])) << 8 |
         uint32_t(uint8_t(b[at + 3]));
}

// One node as it sits in the file.
struct Node {
  std::string prefix;
  std::map<char, uint32_t> kids;  // character -> child offset word (with flags)
  std::vector<std::pair<uint32_t, std::string>> values;
  size_t end = 0;  // where its own bytes stop
};

Node read_node(const std::string& b, uint32_t word) {
  Node n;
  size_t at = word & kIndexNodeMask;
  if (word & kIndexNodePrefix) {
    size_t z = b.find('\0', at);
    REQUIRE(z != std::string::npos);
    n.prefix = b.substr(at, z - at);
    at = z + 1;
  }
  if (word & kIndexNodeChilds) {
    REQUIRE(at + 2 <= b.size());
    unsigned first = uint8_t(b[at]), last = uint8_t(b[at + 1]);
    at += 2;
    for (unsigned c = first; c <= last; ++c, at += 4)
      if (uint32_t w = be32(b, at)) n.kids[char(c)] = w;
  }
  if (word & kIndexNodeValues) {
    uint32_t count = be32(b, at);
    at += 4;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t prio = be32(b, at);
      size_t z = b.find('\0', at + 4);
      REQUIRE(z != std::string::npos);
      n.values.emplace_back(prio, b.substr(at + 4, z - at - 4));
      at = z + 1;
    }
  }
  n.end = at;
  return n;
}

// Checks the pre-order rules below WORD; returns where its subtree ends and
// collects key -> values.
size_t check_subtree(const std::string& b, uint32_t word, const std::string& key,
                     std::map<std::string, std::vector<std::pair<uint32_t, std::string>>>* out) {
  Node n = read_node(b, word);
  std::string k = key + n.prefix;
  if (!n.values.empty()) (*out)[k] = n.values;
  size_t at = n.end;
  for (auto& [c, w] : n.kids) {
    CHECK((w & kIndexNodeMask) == at);  // the next subtree starts where the last ended
    at = check_subtree(b, w, k + c, out);
  }
  return at;
}

// Every key -> values of a file in either layout, without layout checks.
void collect_any(const std::string& b, uint32_t word, const std::string& key,
                 std::map<std::string, std::vector<std::pair<uint32_t, std::string>>>* out) {
  Node n = read_node(b, word);
  std::string k = key + n.prefix;
  if (!n.values.empty()) (*out)[k] = n.values;
  for (auto& [c, w] : n.kids) collect_any(b, w, k + c, out);
}

std::string build(IndexLayout layout, const std::vector<std::tuple<std::string, std::string, uint32_t>>& in) {
  IndexBuilder b("layout.bin");
  std::string err, bytes;
  for (auto& [k, v, p] : in) REQUIRE(b.add(k, v, p, &err));
  REQUIRE(b.serialize(&bytes, &err, layout));
  return bytes;
}

}  // namespace

TEST_CASE("kmod34 layout: root first, each node before its subtrees, in character order", "[index]") {
  std::vector<std::tuple<std::string, std::string, uint32_t>> in;
  const char* words[] = {"snd", "snd_pcm", "snd_hda", "snd_hda_codec", "usb", "usbcore", "usb_storage", "u",
                         "pci:v00008086d*", "pci:v000010DEd*", "acpi*:PNP0A08:*", "a"};
  uint32_t prio = 0;
  for (const char* w : words) in.emplace_back(w, std::string("mod_") + w, prio++ % 3);
  in.emplace_back("snd", "second_value", 0);
  std::string pre = build(IndexLayout::pre_order, in), post = build(IndexLayout::post_order, in);
  REQUIRE(be32(pre, 0) == kIndexMagic);
  CHECK(be32(pre, 4) == kIndexVersion);
  uint32_t root = be32(pre, 8);
  CHECK((root & kIndexNodeMask) == kIndexHeaderSize);
  std::map<std::string, std::vector<std::pair<uint32_t, std::string>>> got, want;
  CHECK(check_subtree(pre, root, "", &got) == pre.size());  // nothing after the last subtree
  collect_any(post, be32(post, 8), "", &want);
  CHECK(got == want);           // same entries, values in the same order
  CHECK(pre.size() == post.size());  // same nodes, only placed elsewhere
  CHECK(pre != post);
  CHECK(got.at("snd").size() == 2);
  // kmod 30's layout puts the root last instead.
  CHECK((be32(post, 8) & kIndexNodeMask) > kIndexHeaderSize);
}

TEST_CASE("kmod34 layout of an index with one key or none", "[index]") {
  std::string one = build(IndexLayout::pre_order, {{"only", "value", 1}});
  CHECK((be32(one, 8) & kIndexNodeMask) == kIndexHeaderSize);
  std::string post = build(IndexLayout::post_order, {{"only", "value", 1}});
  // An empty root and one child: kmod 34 writes the root first, kmod 30 last.
  CHECK(one.size() == post.size());
  std::map<std::string, std::vector<std::pair<uint32_t, std::string>>> got;
  CHECK(check_subtree(one, be32(one, 8), "", &got) == one.size());
  CHECK(got.size() == 1);
  std::string none = build(IndexLayout::pre_order, {});
  CHECK(none == build(IndexLayout::post_order, {}));
}
