// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/index_write.h"

#include <endian.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mng {
namespace {

using Entry = IndexBuilder::Entry;

constexpr size_t kChunkSize = 256 * 1024;

// Index of the first byte outside 1..127, or npos.
size_t bad_char(std::string_view s) {
  // Eight bytes at a time while none is zero or has the top bit set.
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    memcpy(&w, s.data() + i, 8);
    if (((w - 0x0101010101010101ull) | w) & 0x8080808080808080ull) break;
  }
  for (; i < s.size(); i++) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0 || c >= 0x80) return i;
  }
  return std::string_view::npos;
}

// Text for an error message: bytes outside printable ASCII become \xNN.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string label(const std::string& name) { return name.empty() ? std::string("index") : name; }

void put_u32(char* p, uint32_t v) {
  p[0] = static_cast<char>(v >> 24);
  p[1] = static_cast<char>(v >> 16);
  p[2] = static_cast<char>(v >> 8);
  p[3] = static_cast<char>(v);
}

// Entry indices in byte order of keys, then ascending priority, then the
// later entry first.  String comparisons are slow when keys share long
// prefixes ("symbol:", "pci:v0000..."), so this sorts on 8-byte big-endian
// chunks of the keys (plain integer compares), one chunk position at a
// time, re-sorting only the runs that still tie: an MSD radix sort with
// 64-bit digits.  Padding with 0 sorts a shorter key first, since keys
// contain no NUL.
struct Item {
  uint64_t digit;  // scratch for sorting
  uint32_t entry;  // index into the builder's entries
};

std::vector<Item> sort_entries(const std::vector<Entry>& entries) {
  std::vector<Item> items(entries.size());
  for (size_t i = 0; i < items.size(); i++) items[i].entry = static_cast<uint32_t>(i);
  auto digit = [](const Entry& e, size_t depth) {
    uint64_t d = 0;
    if (e.key_len >= depth + 8) {
      memcpy(&d, e.key + depth, 8);
      return be64toh(d);
    }
    for (size_t i = depth; i < depth + 8; i++) d = d << 8 | (i < e.key_len ? static_cast<unsigned char>(e.key[i]) : 0u);
    return d;
  };
  struct Range {
    size_t lo, hi, depth;
  };
  std::vector<Range> todo;
  if (items.size() > 1) todo.push_back(Range{0, items.size(), 0});
  while (!todo.empty()) {
    Range r = todo.back();
    todo.pop_back();
    for (size_t i = r.lo; i < r.hi; i++) items[i].digit = digit(entries[items[i].entry], r.depth);
    std::sort(items.begin() + r.lo, items.begin() + r.hi, [](const Item& a, const Item& b) { return a.digit < b.digit; });
    for (size_t i = r.lo; i < r.hi;) {
      size_t j = i + 1;
      while (j < r.hi && items[j].digit == items[i].digit) j++;
      if (j - i > 1) {
        if (entries[items[i].entry].key_len >= r.depth + 8) {
          todo.push_back(Range{i, j, r.depth + 8});
        } else {  // the whole key is equal
          std::sort(items.begin() + i, items.begin() + j, [&](const Item& a, const Item& b) {
            const Entry &x = entries[a.entry], &y = entries[b.entry];
            if (x.priority != y.priority) return x.priority < y.priority;
            return a.entry > b.entry;  // added later first
          });
        }
      }
      i = j;
    }
  }
  return items;
}

struct Child {
  uint32_t ref;  // what the node consumer returned for the child
  unsigned char ch;
};

// A finished trie node, as handed to a node consumer.
struct NodeView {
  std::string_view prefix;
  uint32_t val_lo, val_hi;  // its values: sorted positions [val_lo, val_hi)
  const Child* kids;        // ascending characters
  uint32_t nkids;
};

// Bytes a node takes in the file, and its field flags.
uint64_t node_size(const NodeView& n, const std::vector<Entry>& entries, const std::vector<Item>& sorted,
                   uint32_t* flags) {
  uint64_t size = 0;
  *flags = 0;
  if (!n.prefix.empty()) {
    size += n.prefix.size() + 1;
    *flags |= kIndexNodePrefix;
  }
  if (n.nkids) {
    size += 2 + 4 * (n.kids[n.nkids - 1].ch - n.kids[0].ch + 1);
    *flags |= kIndexNodeChilds;
  }
  if (n.val_hi > n.val_lo) {
    size += 4;
    for (uint32_t v = n.val_lo; v < n.val_hi; v++) size += 4 + entries[sorted[v].entry].val_len + 1;
    *flags |= kIndexNodeValues;
  }
  return size;
}

// Writes node N (SIZE bytes) into *buf; child slots get the kids' refs.
void node_bytes(const NodeView& n, uint64_t size, const std::vector<Entry>& entries, const std::vector<Item>& sorted,
                std::string* buf) {
  buf->assign(size, '\0');
  char* p = buf->data();
  if (!n.prefix.empty()) {
    memcpy(p, n.prefix.data(), n.prefix.size());
    p += n.prefix.size() + 1;  // the NUL is already there
  }
  if (n.nkids) {
    unsigned char first = n.kids[0].ch, last = n.kids[n.nkids - 1].ch;
    *p++ = static_cast<char>(first);
    *p++ = static_cast<char>(last);
    // Slots of characters without a child stay 0.
    for (uint32_t k = 0; k < n.nkids; k++) put_u32(p + 4 * (n.kids[k].ch - first), n.kids[k].ref);
    p += 4 * (last - first + 1);
  }
  if (n.val_hi > n.val_lo) {
    put_u32(p, n.val_hi - n.val_lo);
    p += 4;
    for (uint32_t v = n.val_lo; v < n.val_hi; v++) {
      const Entry& e = entries[sorted[v].entry];
      put_u32(p, e.priority);
      p += 4;
      if (e.val_len) memcpy(p, e.value(), e.val_len);  // an empty first entry has no storage
      p += e.val_len + 1;
    }
  }
}

// Walks the radix trie of the sorted keys without building it and
// without recursion (a long chain of nested keys must not exhaust the
// stack), handing each node to FINISH(const NodeView&, uint32_t* ref)
// children first, children in ascending character order, the root last:
// exactly kmod 30's post-order.  A node covers a range of sorted keys; its
// prefix is their longest common part after the edge character.  FINISH
// returns false to stop.
template <class Finish>
bool walk_trie(const std::vector<Entry>& entries, const std::vector<Item>& sorted, Finish&& finish) {
  const uint32_t n = static_cast<uint32_t>(sorted.size());
  auto key_at = [&](uint32_t pos) {
    const Entry& e = entries[sorted[pos].entry];
    return std::string_view(e.key, e.key_len);
  };
  struct Frame {
    uint32_t cursor, hi;  // sorted positions still to place below this node
    uint32_t end;         // key position right after the prefix
    uint32_t pending_base;
    uint32_t val_lo, val_hi;
    unsigned char edge;
    std::string_view prefix;
  };
  std::vector<Frame> stack;
  std::vector<Child> pending;  // finished children whose parent is open

  auto open = [&](uint32_t lo, uint32_t hi, uint32_t depth, bool root, unsigned char edge) {
    Frame f{};
    std::string_view a = n ? key_at(lo) : std::string_view();
    uint32_t end = depth;
    if (!root) {  // keys are sorted: what the first and last share, all share
      std::string_view b = key_at(hi - 1);
      size_t m = std::min(a.size(), b.size());
      while (end < m && a[end] == b[end]) end++;
    }
    f.prefix = a.substr(depth, end - depth);
    f.cursor = f.val_lo = f.val_hi = lo;
    if (lo < hi && a.size() == end) {  // the shortest key ends here and sorts first
      uint32_t j = lo + 1;
      while (j < hi && key_at(j).size() == end) j++;  // its other values
      f.val_hi = f.cursor = j;
    }
    f.hi = hi;
    f.end = end;
    f.pending_base = static_cast<uint32_t>(pending.size());
    f.edge = edge;
    stack.push_back(f);
  };

  open(0, n, 0, true, 0);
  uint32_t ref = 0;
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.cursor < f.hi) {
      uint32_t pos = f.end;
      unsigned char c = static_cast<unsigned char>(key_at(f.cursor)[pos]);
      // The keys with character c at pos form a run; find its end.
      uint32_t lo = f.cursor, a = lo + 1, b = f.hi;
      while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (static_cast<unsigned char>(key_at(mid)[pos]) == c) a = mid + 1; else b = mid;
      }
      f.cursor = a;
      open(lo, a, pos + 1, false, c);  // invalidates f
      continue;
    }
    NodeView v{f.prefix, f.val_lo, f.val_hi, pending.data() + f.pending_base,
               static_cast<uint32_t>(pending.size() - f.pending_base)};
    if (!finish(v, &ref)) return false;
    pending.resize(f.pending_base);
    unsigned char edge = f.edge;
    stack.pop_back();
    if (!stack.empty()) pending.push_back(Child{ref, edge});
  }
  return true;
}

std::string too_large(const std::string& name) {
  return label(name) + ": index too large (offsets are limited to 256 MiB)";
}

// kmod 30's layout, streamed: each node is written as soon as it is
// finished, so no trie is kept.  SINK(bytes, n) gets the file after the
// header; *root gets the root's ref for the header.
template <class Sink>
bool emit_post_order(const std::vector<Entry>& entries, const std::vector<Item>& sorted, const std::string& name,
                     uint32_t* root, std::string* err, Sink&& sink) {
  uint64_t at = kIndexHeaderSize;
  std::string buf;
  uint32_t last = 0;  // the root is finished last
  bool ok = walk_trie(entries, sorted, [&](const NodeView& n, uint32_t* ref) {
    uint32_t flags;
    uint64_t size = node_size(n, entries, sorted, &flags);
    if (at + size > kIndexNodeMask) {
      if (err) *err = too_large(name);
      return false;
    }
    *ref = last = static_cast<uint32_t>(at) | flags;
    node_bytes(n, size, entries, sorted, &buf);
    sink(buf.data(), buf.size());
    at += size;
    return true;
  });
  *root = last;
  return ok;
}

// kmod >= 34's layout: every node comes before its subtrees, so all sizes
// must be known first; the trie is kept in flat arrays for that.
template <class Sink>
bool emit_pre_order(const std::vector<Entry>& entries, const std::vector<Item>& sorted, const std::string& name,
                    uint32_t* root, std::string* err, Sink&& sink) {
  struct Node {
    std::string_view prefix;
    uint32_t val_lo, val_hi, kid_begin, nkids;
    uint32_t size, flags;
  };
  std::vector<Node> nodes;  // post-order, root last
  std::vector<Child> kids;  // refs are node indices here
  uint64_t total = kIndexHeaderSize;
  bool ok = walk_trie(entries, sorted, [&](const NodeView& n, uint32_t* ref) {
    Node node{n.prefix, n.val_lo, n.val_hi, static_cast<uint32_t>(kids.size()), n.nkids, 0, 0};
    uint64_t size = node_size(n, entries, sorted, &node.flags);
    total += size;
    if (total > kIndexNodeMask) {
      if (err) *err = too_large(name);
      return false;
    }
    node.size = static_cast<uint32_t>(size);
    kids.insert(kids.end(), n.kids, n.kids + n.nkids);
    *ref = static_cast<uint32_t>(nodes.size());
    nodes.push_back(node);
    return true;
  });
  if (!ok) return false;
  // Subtree sizes (children come before parents), then offsets (parents
  // before children: reverse order), then the nodes in offset order.
  std::vector<uint32_t> subtree(nodes.size(), 0), offset(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); i++) {
    subtree[i] += nodes[i].size;
    for (uint32_t k = 0; k < nodes[i].nkids; k++) subtree[i] += subtree[kids[nodes[i].kid_begin + k].ref];
  }
  offset[nodes.size() - 1] = kIndexHeaderSize;
  for (size_t i = nodes.size(); i-- > 0;) {
    uint32_t at = offset[i] + nodes[i].size;
    for (uint32_t k = 0; k < nodes[i].nkids; k++) {
      uint32_t c = kids[nodes[i].kid_begin + k].ref;
      offset[c] = at;
      at += subtree[c];
    }
  }
  std::vector<uint32_t> order(nodes.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return offset[a] < offset[b]; });
  std::string buf;
  std::vector<Child> final_kids;
  for (uint32_t i : order) {
    const Node& node = nodes[i];
    final_kids.clear();
    for (uint32_t k = 0; k < node.nkids; k++) {
      const Child& c = kids[node.kid_begin + k];
      final_kids.push_back(Child{offset[c.ref] | nodes[c.ref].flags, c.ch});
    }
    NodeView v{node.prefix, node.val_lo, node.val_hi, final_kids.data(), node.nkids};
    node_bytes(v, node.size, entries, sorted, &buf);
    sink(buf.data(), buf.size());
  }
  *root = offset.back() | nodes.back().flags;
  return true;
}

// The file size, from a walk that writes nothing (cheaper than letting
// the output buffer grow: fresh memory is what costs most here).
uint64_t file_size(const std::vector<Entry>& entries, const std::vector<Item>& sorted) {
  uint64_t total = kIndexHeaderSize;
  walk_trie(entries, sorted, [&](const NodeView& n, uint32_t* ref) {
    uint32_t flags;
    total += node_size(n, entries, sorted, &flags);
    *ref = 0;
    return true;
  });
  return total;
}

// Header with the given root ref.
std::string header(uint32_t root) {
  std::string h(kIndexHeaderSize, '\0');
  put_u32(h.data(), kIndexMagic);
  put_u32(h.data() + 4, kIndexVersion);
  put_u32(h.data() + 8, root);
  return h;
}

}  // namespace

const char* IndexBuilder::store(std::string_view a, std::string_view b) {
  size_t need = a.size() + b.size();
  if (need > chunk_left_) {
    size_t n = std::max(kChunkSize, need);
    chunks_.emplace_back(new char[n]);  // not zeroed: pages are touched only when filled
    chunk_pos_ = chunks_.back().get();
    chunk_left_ = n;
  }
  char* p = chunk_pos_;
  if (!a.empty()) memcpy(p, a.data(), a.size());
  if (!b.empty()) memcpy(p + a.size(), b.data(), b.size());
  chunk_pos_ += need;
  chunk_left_ -= need;
  return p;
}

bool IndexBuilder::add(std::string_view key, std::string_view value, uint32_t priority, std::string* err) {
  size_t k = bad_char(key), v = bad_char(value);
  if (k != std::string_view::npos || v != std::string_view::npos) {
    if (err) {
      bool in_key = k != std::string_view::npos;
      unsigned char c = static_cast<unsigned char>(in_key ? key[k] : value[v]);
      char hex[8];
      snprintf(hex, sizeof hex, "0x%02x", c);
      *err = label(name_) + ": bad character " + hex +
             (in_key ? " in key '" + printable(key) + "'"
                     : " in value '" + printable(value) + "' of key '" + printable(key) + "'") +
             " - only 7-bit ASCII is supported";
    }
    return false;
  }
  // Past 28-bit offsets the file cannot be written anyway.
  if (key.size() > kIndexNodeMask || value.size() > kIndexNodeMask || entries_.size() >= UINT32_MAX) {
    if (err) *err = label(name_) + ": entry too large for an index";
    return false;
  }
  Entry e;
  e.key = store(key, value);
  e.key_len = static_cast<uint32_t>(key.size());
  e.val_len = static_cast<uint32_t>(value.size());
  e.priority = priority;
  entries_.push_back(e);
  return true;
}

bool IndexBuilder::serialize(std::string* out, std::string* err, IndexLayout layout) const {
  // The root's ref goes into the header once the nodes are placed.
  std::vector<Item> sorted = sort_entries(entries_);
  out->clear();
  out->reserve(std::min<uint64_t>(file_size(entries_, sorted), kIndexNodeMask));
  out->append(header(0));
  auto append = [&](const char* p, size_t n) { out->append(p, n); };
  uint32_t root = 0;
  bool ok = layout == IndexLayout::post_order ? emit_post_order(entries_, sorted, name_, &root, err, append)
                                              : emit_pre_order(entries_, sorted, name_, &root, err, append);
  if (!ok) {
    out->clear();
    return false;
  }
  put_u32(out->data() + 8, root);
  return true;
}

bool IndexBuilder::write(FILE* f, std::string* err, IndexLayout layout) const {
  // Like kmod: a placeholder header, the nodes, then the real root ref.
  bool io_ok = true;
  int saved = 0;
  auto put = [&](const char* p, size_t n) {
    if (io_ok && fwrite(p, 1, n, f) != n) {
      io_ok = false;
      saved = errno;
    }
  };
  long start = ftell(f);
  if (start < 0) {
    if (err) *err = label(name_) + ": cannot write an index to a stream without seeking: " + strerror(errno);
    return false;
  }
  std::string h = header(0);
  put(h.data(), h.size());
  uint32_t root = 0;
  std::vector<Item> sorted = sort_entries(entries_);
  bool ok = layout == IndexLayout::post_order ? emit_post_order(entries_, sorted, name_, &root, err, put)
                                              : emit_pre_order(entries_, sorted, name_, &root, err, put);
  if (!ok) return false;
  if (io_ok) {
    long end = ftell(f);
    h = header(root);
    if (end < 0 || fseek(f, start + 8, SEEK_SET) != 0) {
      io_ok = false;
      saved = errno;
    } else {
      put(h.data() + 8, 4);
      if (io_ok && fseek(f, end, SEEK_SET) != 0) {
        io_ok = false;
        saved = errno;
      }
    }
  }
  if (!io_ok || ferror(f)) {
    if (err) *err = label(name_) + ": write failed: " + strerror(saved ? saved : EIO);
    return false;
  }
  return true;
}

}  // namespace mng
