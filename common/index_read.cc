// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/index_read.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/file_util.h"
#include "common/index_write.h"

namespace mng {

struct IndexFile::Node {
  uint32_t off = 0;  // unflagged file offset
  std::string_view prefix;
  unsigned first = 1, last = 0;  // first > last: no children
  const unsigned char* childs = nullptr;
  uint32_t value_count = 0;
  const unsigned char* values = nullptr;  // already bounds-checked
};

namespace {

uint32_t be32(const unsigned char* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

// Reads the value at P (checked by read_node) and moves P past it.
IndexValue next_value(const unsigned char*& p) {
  IndexValue v;
  v.priority = be32(p);
  const char* s = reinterpret_cast<const char*>(p + 4);
  size_t len = strlen(s);
  v.value = std::string_view(s, len);
  p += 4 + len + 1;
  return v;
}

}  // namespace

IndexFile::IndexFile(IndexFile&& o) noexcept { *this = std::move(o); }

IndexFile& IndexFile::operator=(IndexFile&& o) noexcept {
  if (this != &o) {
    if (mapped_) munmap(const_cast<unsigned char*>(data_), size_);
    data_ = o.data_;
    size_ = o.size_;
    mapped_ = o.mapped_;
    open_ = o.open_;
    root_ = o.root_;
    path_ = std::move(o.path_);
    o.data_ = nullptr;
    o.size_ = 0;
    o.mapped_ = false;
    o.open_ = false;
  }
  return *this;
}

IndexFile::~IndexFile() {
  if (mapped_) munmap(const_cast<unsigned char*>(data_), size_);
}

bool IndexFile::fail(std::string* err, const std::string& what, uint64_t at) const {
  if (err) {
    char buf[32];
    snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(at));
    *err = path_ + ": corrupt index: " + what + " at offset " + buf;
  }
  return false;
}

bool IndexFile::open(const std::string& path, std::string* err, int* errno_out) {
  *this = IndexFile();
  path_ = path;
  if (errno_out) *errno_out = 0;
  auto sys_fail = [&](const char* what) {
    int e = errno;
    if (errno_out) *errno_out = e;
    if (err) *err = path + ": " + what + ": " + strerror(e);
    return false;
  };
  UniqueFd fd = open_read(path);
  if (!fd) return sys_fail("could not open index");
  struct stat st;
  if (fstat(fd.get(), &st) < 0) return sys_fail("could not stat index");
  if (!S_ISREG(st.st_mode)) {
    if (errno_out) *errno_out = EINVAL;
    if (err) *err = path + ": " + read_error_text(EINVAL);
    return false;
  }
  if (st.st_size > 0) {
    void* p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (p == MAP_FAILED) return sys_fail("could not map index");
    data_ = static_cast<const unsigned char*>(p);
    size_ = static_cast<size_t>(st.st_size);
    mapped_ = true;
  }
  fd.reset();
  if (!check_header(err)) {
    if (errno_out) *errno_out = EINVAL;
    *this = IndexFile();
    return false;
  }
  return true;
}

bool IndexFile::open_bytes(std::string_view bytes, std::string name, std::string* err) {
  *this = IndexFile();
  path_ = std::move(name);
  data_ = reinterpret_cast<const unsigned char*>(bytes.data());
  size_ = bytes.size();
  if (!check_header(err)) {
    *this = IndexFile();
    return false;
  }
  return true;
}

bool IndexFile::check_header(std::string* err) {
  auto bad = [&](const std::string& why) {
    if (err) *err = path_ + ": " + why;
    return false;
  };
  if (size_ == 0) {  // published by depmod when there is nothing to index
    open_ = true;
    return true;
  }
  if (size_ < kIndexHeaderSize) return bad("truncated index header (" + std::to_string(size_) + " bytes)");
  uint32_t magic = be32(data_), version = be32(data_ + 4);
  char buf[96];
  if (magic == kIndexMagicOld) return bad("old module-init-tools index format is not supported");
  if (magic != kIndexMagic) {
    snprintf(buf, sizeof buf, "not a module index (magic 0x%08x instead of 0x%08x)", magic, kIndexMagic);
    return bad(buf);
  }
  if (version >> 16 != kIndexVersionMajor) {
    snprintf(buf, sizeof buf, "unsupported index version %u.%u (only major version %u is supported)",
             version >> 16, version & 0xffff, kIndexVersionMajor);
    return bad(buf);
  }
  root_ = be32(data_ + 8);
  uint32_t off = root_ & kIndexNodeMask;
  if (off < kIndexHeaderSize || off > size_) {
    snprintf(buf, sizeof buf, "root offset 0x%x out of range", off);
    return bad(buf);
  }
  open_ = true;
  return true;
}

bool IndexFile::read_node(uint32_t flagged, Node* n, std::string* err) const {
  uint64_t off = flagged & kIndexNodeMask;
  if (off < kIndexHeaderSize || off > size_) return fail(err, "node offset out of range", off);
  *n = Node();
  n->off = static_cast<uint32_t>(off);
  size_t p = off;
  if (flagged & kIndexNodePrefix) {
    const void* nul = memchr(data_ + p, 0, size_ - p);
    if (!nul) return fail(err, "unterminated node prefix", p);
    size_t len = static_cast<const unsigned char*>(nul) - (data_ + p);
    n->prefix = std::string_view(reinterpret_cast<const char*>(data_ + p), len);
    p += len + 1;
  }
  if (flagged & kIndexNodeChilds) {
    if (size_ - p < 2) return fail(err, "truncated child table", p);
    n->first = data_[p];
    n->last = data_[p + 1];
    if (n->first > n->last) return fail(err, "child table with first > last", p);
    p += 2;
    size_t bytes = 4 * size_t(n->last - n->first + 1);
    if (size_ - p < bytes) return fail(err, "truncated child table", p);
    n->childs = data_ + p;
    p += bytes;
  }
  if (flagged & kIndexNodeValues) {
    if (size_ - p < 4) return fail(err, "truncated value count", p);
    uint32_t count = be32(data_ + p);
    p += 4;
    if (count > (size_ - p) / 5) return fail(err, "value count too large", p - 4);
    n->values = data_ + p;
    n->value_count = count;
    for (uint32_t i = 0; i < count; i++) {
      if (size_ - p < 5) return fail(err, "truncated value", p);
      const void* nul = memchr(data_ + p + 4, 0, size_ - p - 4);
      if (!nul) return fail(err, "unterminated value", p);
      p = static_cast<const unsigned char*>(nul) - data_ + 1;
    }
  }
  return true;
}

// Walks with an explicit stack and a budget, so a corrupt file whose
// offsets loop (or share nodes) ends in an error instead of a hang or a
// stack overflow.  A tree stored in N bytes has at most N/4 + 1 nodes
// (every node but the root takes a 4-byte child slot), and a key is at
// most N bytes long; anything beyond that cannot be a tree.
struct IndexWalker {
  using Node = IndexFile::Node;
  const IndexFile& f;
  std::string* err;
  uint64_t budget;

  IndexWalker(const IndexFile& file, std::string* e) : f(file), err(e), budget(file.size_ / 4 + 2) {}

  bool read(uint32_t flagged, Node* n) {
    if (budget == 0) return f.fail(err, "node offsets form a loop", flagged & kIndexNodeMask);
    budget--;
    return f.read_node(flagged, n, err);
  }

  // Child of N for character CH; *present false when there is none.
  bool child(const Node& n, unsigned ch, Node* out, bool* present) {
    *present = false;
    if (ch < n.first || ch > n.last) return true;
    uint32_t flagged = be32(n.childs + 4 * (ch - n.first));
    if ((flagged & kIndexNodeMask) == 0) return true;
    if (!read(flagged, out)) return false;
    *present = true;
    return true;
  }

  // Moves *N down to its child for character CH; *present false (and *N
  // unchanged) when there is none.
  bool step(Node* n, unsigned ch, bool* present) {
    Node c;
    if (!child(*n, ch, &c, present)) return false;
    if (*present) *n = c;
    return true;
  }

  bool key_fits(const std::string& key, const Node& at) {
    if (key.size() <= f.size_) return true;
    return f.fail(err, "key longer than the file (node offsets form a loop)", at.off);
  }

  // Depth-first over the subtree at START, whose prefix is taken from
  // character SKIP on; KEY grows by the characters met.  PRE(node, key) is
  // called on the way down, POST(node, key) after the node's children;
  // either returning false stops the walk.
  template <class Pre, class Post>
  bool walk(const Node& start, size_t skip, std::string& key, Pre pre, Post post) {
    struct Frame {
      Node node;
      unsigned next;      // next child character to try
      size_t key_before;  // key length to restore when leaving
    };
    std::vector<Frame> stack;
    size_t before = key.size();
    key.append(start.prefix.substr(std::min(skip, start.prefix.size())));
    if (!key_fits(key, start)) return false;
    stack.push_back(Frame{start, start.first, before});
    if (!pre(stack.back().node, key)) return false;
    while (!stack.empty()) {
      Frame& fr = stack.back();
      if (fr.next <= fr.node.last) {
        unsigned ch = fr.next++;
        Node c;
        bool present;
        if (!child(fr.node, ch, &c, &present)) return false;
        if (!present) continue;
        size_t kb = key.size();
        key.push_back(static_cast<char>(ch));
        key.append(c.prefix);
        if (!key_fits(key, c)) return false;
        stack.push_back(Frame{c, c.first, kb});  // invalidates fr
        if (!pre(stack.back().node, key)) return false;
        continue;
      }
      if (!post(fr.node, key)) return false;
      key.resize(fr.key_before);
      stack.pop_back();
    }
    return true;
  }
};

bool IndexFile::lookup_all(std::string_view key, std::vector<IndexValue>* out, std::string* err) const {
  out->clear();
  if (!open_ || size_ == 0) return true;
  IndexWalker w(*this, err);
  Node n;
  if (!w.read(root_, &n)) return false;
  size_t i = 0;
  for (;;) {
    if (key.size() - i < n.prefix.size() || key.compare(i, n.prefix.size(), n.prefix) != 0) return true;
    i += n.prefix.size();
    if (i == key.size()) {
      const unsigned char* p = n.values;
      for (uint32_t k = 0; k < n.value_count; k++) out->push_back(next_value(p));
      return true;
    }
    bool present;
    if (!w.step(&n, static_cast<unsigned char>(key[i]), &present)) return false;
    if (!present) return true;
    i++;
  }
}

bool IndexFile::lookup(std::string_view key, IndexValue* out, bool* found, std::string* err) const {
  // Only the node's first value is wanted, but nodes are small; reuse.
  std::vector<IndexValue> all;
  *found = false;
  if (!lookup_all(key, &all, err)) return false;
  if (!all.empty()) {
    *out = all[0];
    *found = true;
  }
  return true;
}

bool IndexFile::search_wild(std::string_view key_in, std::vector<IndexValue>* out, std::string* err) const {
  out->clear();
  if (!open_ || size_ == 0) return true;
  // libkmod works on C strings: a query ends at its first NUL.
  const std::string key(key_in.substr(0, std::min(key_in.find('\0'), key_in.size())));
  IndexWalker w(*this, err);
  std::vector<IndexValue> met;  // in the order libkmod meets them

  auto add_values = [&](const Node& n) {
    const unsigned char* p = n.values;
    for (uint32_t k = 0; k < n.value_count; k++) met.push_back(next_value(p));
  };
  // Everything below a wildcard: the stored text from the wildcard on is
  // an fnmatch pattern for the rest of the query (SUB).
  auto wild_subtree = [&](const Node& start, size_t skip, std::string pattern, const char* sub) {
    auto none = [](const Node&, const std::string&) { return true; };
    auto match = [&](const Node& n, const std::string& pat) {
      if (n.value_count > 0 && fnmatch(pat.c_str(), sub, 0) == 0) add_values(n);
      return true;
    };
    return w.walk(start, skip, pattern, none, match);
  };

  // Follows the query down the trie until it leaves it or a wildcard
  // starts; wildcard children are searched on the way.
  auto descend = [&]() {
    Node n;
    if (!w.read(root_, &n)) return false;
    size_t i = 0;
    for (;;) {
      for (size_t j = 0; j < n.prefix.size(); j++) {
        char ch = n.prefix[j];
        if (ch == '*' || ch == '?' || ch == '[') return wild_subtree(n, j, std::string(), key.c_str() + i + j);
        if (i + j >= key.size() || ch != key[i + j]) return true;
      }
      i += n.prefix.size();
      for (char wc : {'*', '?', '['}) {
        Node c;
        bool present;
        if (!w.child(n, static_cast<unsigned char>(wc), &c, &present)) return false;
        if (present && !wild_subtree(c, 0, std::string(1, wc), key.c_str() + i)) return false;
      }
      if (i == key.size()) {
        add_values(n);
        return true;
      }
      bool present;
      if (!w.step(&n, static_cast<unsigned char>(key[i]), &present)) return false;
      if (!present) return true;
      i++;
    }
  };
  if (!descend()) return false;
  // libkmod inserts each value before the first one of equal or higher
  // priority: ascending priority, and among equals the last met first.
  std::reverse(met.begin(), met.end());
  std::stable_sort(met.begin(), met.end(),
                   [](const IndexValue& a, const IndexValue& b) { return a.priority < b.priority; });
  *out = std::move(met);
  return true;
}

bool IndexFile::dump(const std::function<void(std::string_view, const IndexValue&)>& fn, std::string* err) const {
  if (!open_ || size_ == 0) return true;
  IndexWalker w(*this, err);
  Node root;
  if (!w.read(root_, &root)) return false;
  std::string key;
  auto emit = [&](const Node& n, const std::string& k) {
    const unsigned char* p = n.values;
    for (uint32_t i = 0; i < n.value_count; i++) fn(k, next_value(p));
    return true;
  };
  auto none = [](const Node&, const std::string&) { return true; };
  return w.walk(root, 0, key, emit, none);
}

bool IndexFile::dump(std::vector<IndexEntry>* out, std::string* err) const {
  out->clear();
  return dump([&](std::string_view k, const IndexValue& v) { out->push_back(IndexEntry{std::string(k), std::string(v.value), v.priority}); },
              err);
}

}  // namespace mng
