// SPDX-License-Identifier: GPL-2.0-or-later
// index_dump FILE: prints every key of a kmod binary index (modules.*.bin)
// as "key<TAB>priority<TAB>value" lines, walking the trie depth-first with
// children in ascending byte order, values in stored order.
//
// The conformance check uses it to compare our indexes with kmod's when the
// bytes differ only in layout: kmod 30 writes nodes post-order, newer kmod
// (and possibly we) pre-order, but readers only follow offsets, so two files
// with the same dump are equivalent.  Deliberately independent of the
// project's own index reader, so a reader bug cannot hide a writer bug.
//
// A 0-byte file (kmod's empty builtin indexes) dumps as nothing.
// Exit status: 0 ok, 1 malformed index (message names the file), 2 usage.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kMagic = 0xB007F457;
constexpr uint32_t kFlagPrefix = 0x80000000;
constexpr uint32_t kFlagValues = 0x40000000;
constexpr uint32_t kFlagChilds = 0x20000000;
constexpr uint32_t kOffsetMask = 0x0FFFFFFF;
// Keys are at most a few hundred bytes; a deeper walk means a loop.
constexpr int kMaxDepth = 4096;

struct Index {
  std::string path;
  std::vector<unsigned char> data;
  std::string error;  // first problem found, empty when fine
};

bool fail(Index& ix, const std::string& what, size_t at) {
  if (ix.error.empty()) ix.error = what + " at offset " + std::to_string(at);
  return false;
}

bool read_u32(Index& ix, size_t& pos, uint32_t& out) {
  if (pos + 4 > ix.data.size()) return fail(ix, "truncated integer", pos);
  const unsigned char* p = &ix.data[pos];
  out = uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
  pos += 4;
  return true;
}

bool read_str(Index& ix, size_t& pos, std::string& out) {
  size_t end = pos;
  while (end < ix.data.size() && ix.data[end] != 0) ++end;
  if (end >= ix.data.size()) return fail(ix, "unterminated string", pos);
  out.assign(ix.data.begin() + pos, ix.data.begin() + end);
  pos = end + 1;
  return true;
}

bool walk(Index& ix, uint32_t ref, std::string key, int depth, std::string& out) {
  if (depth > kMaxDepth) return fail(ix, "node nesting too deep (loop?)", ref & kOffsetMask);
  size_t pos = ref & kOffsetMask;
  if (pos < 12 || pos > ix.data.size()) return fail(ix, "node offset out of range", pos);
  if (ref & kFlagPrefix) {
    std::string prefix;
    if (!read_str(ix, pos, prefix)) return false;
    key += prefix;
  }
  std::vector<std::pair<unsigned char, uint32_t>> children;
  if (ref & kFlagChilds) {
    if (pos + 2 > ix.data.size()) return fail(ix, "truncated child range", pos);
    unsigned first = ix.data[pos], last = ix.data[pos + 1];
    pos += 2;
    if (first > last || last > 127) return fail(ix, "bad child range", pos - 2);
    for (unsigned c = first; c <= last; ++c) {
      uint32_t child;
      if (!read_u32(ix, pos, child)) return false;
      if (child != 0) children.emplace_back(static_cast<unsigned char>(c), child);
    }
  }
  if (ref & kFlagValues) {
    uint32_t count;
    if (!read_u32(ix, pos, count)) return false;
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t prio;
      std::string value;
      if (!read_u32(ix, pos, prio) || !read_str(ix, pos, value)) return false;
      out += key + '\t' + std::to_string(prio) + '\t' + value + '\n';
    }
  }
  for (auto& [c, child] : children)
    if (!walk(ix, child, key + char(c), depth + 1, out)) return false;
  return true;
}

bool dump(Index& ix, std::string& out) {
  if (ix.data.empty()) return true;
  size_t pos = 0;
  uint32_t magic, version, root;
  if (!read_u32(ix, pos, magic) || !read_u32(ix, pos, version) || !read_u32(ix, pos, root))
    return false;
  if (magic != kMagic) return fail(ix, "bad magic", 0);
  if (version >> 16 != 2) return fail(ix, "unsupported major version", 4);
  return walk(ix, root, "", 0, out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: index_dump FILE\n");
    return 2;
  }
  Index ix;
  ix.path = argv[1];
  std::ifstream in(ix.path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "index_dump: cannot open %s\n", ix.path.c_str());
    return 1;
  }
  ix.data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::string out;
  if (!dump(ix, out)) {
    std::fprintf(stderr, "index_dump: %s: %s\n", ix.path.c_str(), ix.error.c_str());
    return 1;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
