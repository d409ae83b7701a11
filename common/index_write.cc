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
std::vector<uint32_t> sort_entries(const std::vector<Entry>& entries) {
  struct Item {
    uint64_t digit;
    uint32_t entry;
  };
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
            return x.seq > y.seq;
          });
        }
      }
      i = j;
    }
  }
  std::vector<uint32_t> order(items.size());
  for (size_t i = 0; i < items.size(); i++) order[i] = items[i].entry;
  return order;
}

struct Node {
  const char* prefix = nullptr;
  uint32_t prefix_len = 0;
  uint32_t child_begin = 0, child_count = 0;  // into Plan::children
  uint32_t val_begin = 0, val_count = 0;      // into Plan::order
  uint32_t size = 0;                          // bytes of this node alone
  uint32_t ref = 0;                           // file offset | field flags
};

struct Child {
  uint32_t node;
  unsigned char ch;
};

// Everything needed to write the file: the trie in flat arrays with each
// node's final offset.
struct Plan {
  std::vector<uint32_t> order;  // entries by key
  std::vector<Node> nodes;      // post-order, root last
  std::vector<Child> children;  // each node's children, ascending
  std::vector<uint32_t> emit;   // node indices in file order
  size_t total = 0;             // file size
};

// Builds the radix trie from the sorted keys without recursion (a long
// chain of nested keys must not exhaust the stack).  A node covers a range
// of distinct keys; its prefix is their longest common part after the edge
// character.  Nodes are finished children-first, so `nodes` ends up in
// post-order with the root last; each node's children are ascending.
void build_trie(const std::vector<Entry>& entries, Plan* plan) {
  const std::vector<uint32_t>& order = plan->order;
  auto key_at = [&](uint32_t pos) {
    const Entry& e = entries[order[pos]];
    return std::string_view(e.key, e.key_len);
  };
  // One group per distinct key: its first position in `order`.
  std::vector<uint32_t> group;
  group.reserve(order.size() + 1);
  for (uint32_t i = 0; i < order.size(); i++)
    if (i == 0 || key_at(i) != key_at(i - 1)) group.push_back(i);
  const uint32_t ngroups = static_cast<uint32_t>(group.size());
  group.push_back(static_cast<uint32_t>(order.size()));
  auto gkey = [&](uint32_t g) { return key_at(group[g]); };

  std::vector<Node>& nodes = plan->nodes;
  std::vector<Child>& children = plan->children;
  nodes.reserve(ngroups * 2 + 1);
  children.reserve(ngroups * 2);
  if (ngroups == 0) {
    nodes.push_back(Node{});  // empty index: a root without any field
    return;
  }

  struct Frame {
    uint32_t cursor, hi;  // groups still to place below this node
    uint32_t end;         // key position right after the prefix
    uint32_t pending_base;
    unsigned char edge;
    Node node;
  };
  std::vector<Frame> stack;
  std::vector<Child> pending;  // finished children whose parent is open

  auto open = [&](uint32_t lo, uint32_t hi, uint32_t depth, bool root, unsigned char edge) {
    Frame f{};
    std::string_view a = gkey(lo);
    uint32_t end = depth;
    if (!root) {  // keys are sorted: what the first and last share, all share
      std::string_view b = gkey(hi - 1);
      size_t n = std::min(a.size(), b.size());
      while (end < n && a[end] == b[end]) end++;
    }
    f.node.prefix = a.data() + depth;
    f.node.prefix_len = end - depth;
    f.cursor = lo;
    if (a.size() == end) {  // the shortest key ends here and sorts first
      f.node.val_begin = group[lo];
      f.node.val_count = group[lo + 1] - group[lo];
      f.cursor = lo + 1;
    }
    f.hi = hi;
    f.end = end;
    f.pending_base = static_cast<uint32_t>(pending.size());
    f.edge = edge;
    stack.push_back(f);
  };

  open(0, ngroups, 0, true, 0);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.cursor < f.hi) {
      uint32_t pos = f.end;
      unsigned char c = static_cast<unsigned char>(gkey(f.cursor)[pos]);
      // The groups with character c at pos form a run; find its end.
      uint32_t lo = f.cursor, a = lo + 1, b = f.hi;
      while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (static_cast<unsigned char>(gkey(mid)[pos]) == c) a = mid + 1; else b = mid;
      }
      f.cursor = a;
      open(lo, a, pos + 1, false, c);  // invalidates f
      continue;
    }
    Node n = f.node;
    n.child_begin = static_cast<uint32_t>(children.size());
    n.child_count = static_cast<uint32_t>(pending.size() - f.pending_base);
    children.insert(children.end(), pending.begin() + f.pending_base, pending.end());
    pending.resize(f.pending_base);
    unsigned char edge = f.edge;
    stack.pop_back();
    nodes.push_back(n);
    if (!stack.empty()) pending.push_back(Child{static_cast<uint32_t>(nodes.size() - 1), edge});
  }
}

bool make_plan(const std::vector<Entry>& entries, const std::string& name, IndexLayout layout, Plan* plan,
               std::string* err) {
  plan->order = sort_entries(entries);
  build_trie(entries, plan);
  std::vector<Node>& nodes = plan->nodes;
  const std::vector<Child>& children = plan->children;

  // Sizes and flags.
  uint64_t total = kIndexHeaderSize;
  std::vector<uint32_t> flags(nodes.size(), 0);
  for (size_t i = 0; i < nodes.size(); i++) {
    Node& n = nodes[i];
    uint64_t size = 0;
    if (n.prefix_len) {
      size += n.prefix_len + 1;
      flags[i] |= kIndexNodePrefix;
    }
    if (n.child_count) {
      unsigned first = children[n.child_begin].ch;
      unsigned last = children[n.child_begin + n.child_count - 1].ch;
      size += 2 + 4 * (last - first + 1);
      flags[i] |= kIndexNodeChilds;
    }
    if (n.val_count) {
      size += 4;
      for (uint32_t v = n.val_begin; v < n.val_begin + n.val_count; v++) size += 4 + entries[plan->order[v]].val_len + 1;
      flags[i] |= kIndexNodeValues;
    }
    total += size;
    if (total > kIndexNodeMask) {
      if (err) *err = label(name) + ": index too large (offsets are limited to 256 MiB)";
      return false;
    }
    n.size = static_cast<uint32_t>(size);
  }
  plan->total = total;

  // Offsets.  Post-order is the order the nodes were finished in; pre-order
  // puts each node first, then its children's subtrees in ascending order.
  const size_t root = nodes.size() - 1;
  std::vector<uint32_t> offset(nodes.size(), 0);
  if (layout == IndexLayout::post_order) {
    uint32_t at = kIndexHeaderSize;
    for (size_t i = 0; i < nodes.size(); i++) {
      offset[i] = at;
      at += nodes[i].size;
    }
  } else {
    std::vector<uint32_t> subtree(nodes.size(), 0);
    for (size_t i = 0; i < nodes.size(); i++) {  // children come before parents
      subtree[i] += nodes[i].size;
      for (uint32_t c = 0; c < nodes[i].child_count; c++) subtree[i] += subtree[children[nodes[i].child_begin + c].node];
    }
    offset[root] = kIndexHeaderSize;
    for (size_t i = nodes.size(); i-- > 0;) {  // parents come before children
      uint32_t at = offset[i] + nodes[i].size;
      for (uint32_t c = 0; c < nodes[i].child_count; c++) {
        uint32_t child = children[nodes[i].child_begin + c].node;
        offset[child] = at;
        at += subtree[child];
      }
    }
  }
  for (size_t i = 0; i < nodes.size(); i++) nodes[i].ref = offset[i] | flags[i];

  plan->emit.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); i++) plan->emit[i] = static_cast<uint32_t>(i);
  if (layout == IndexLayout::pre_order)
    std::sort(plan->emit.begin(), plan->emit.end(), [&](uint32_t a, uint32_t b) { return offset[a] < offset[b]; });
  return true;
}

// Calls SINK(bytes, n) with the whole file, in order, a node at a time.
template <class Sink>
void emit_plan(const Plan& plan, const std::vector<Entry>& entries, Sink&& sink) {
  char header[kIndexHeaderSize];
  put_u32(header, kIndexMagic);
  put_u32(header + 4, kIndexVersion);
  put_u32(header + 8, plan.nodes.back().ref);
  sink(header, sizeof header);
  std::string buf;
  for (uint32_t i : plan.emit) {
    const Node& n = plan.nodes[i];
    buf.assign(n.size, '\0');
    char* p = buf.data();
    if (n.prefix_len) {
      memcpy(p, n.prefix, n.prefix_len);
      p += n.prefix_len + 1;  // the NUL is already there
    }
    if (n.child_count) {
      const Child* c = &plan.children[n.child_begin];
      unsigned char first = c[0].ch, last = c[n.child_count - 1].ch;
      *p++ = static_cast<char>(first);
      *p++ = static_cast<char>(last);
      // Slots of characters without a child stay 0.
      for (uint32_t k = 0; k < n.child_count; k++) put_u32(p + 4 * (c[k].ch - first), plan.nodes[c[k].node].ref);
      p += 4 * (last - first + 1);
    }
    if (n.val_count) {
      put_u32(p, n.val_count);
      p += 4;
      for (uint32_t v = n.val_begin; v < n.val_begin + n.val_count; v++) {
        const Entry& e = entries[plan.order[v]];
        put_u32(p, e.priority);
        p += 4;
        memcpy(p, e.value, e.val_len);
        p += e.val_len + 1;
      }
    }
    sink(buf.data(), buf.size());
  }
}

}  // namespace

const char* IndexBuilder::store(std::string_view s) {
  if (s.size() > chunk_left_) {
    size_t n = std::max(kChunkSize, s.size());
    chunks_.push_back(std::make_unique<char[]>(n));
    chunk_pos_ = chunks_.back().get();
    chunk_left_ = n;
  }
  char* p = chunk_pos_;
  if (!s.empty()) memcpy(p, s.data(), s.size());
  chunk_pos_ += s.size();
  chunk_left_ -= s.size();
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
  e.key = store(key);
  e.value = store(value);
  e.key_len = static_cast<uint32_t>(key.size());
  e.val_len = static_cast<uint32_t>(value.size());
  e.priority = priority;
  e.seq = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  return true;
}

bool IndexBuilder::serialize(std::string* out, std::string* err, IndexLayout layout) const {
  Plan plan;
  if (!make_plan(entries_, name_, layout, &plan, err)) return false;
  out->clear();
  out->reserve(plan.total);
  emit_plan(plan, entries_, [&](const char* p, size_t n) { out->append(p, n); });
  return true;
}

bool IndexBuilder::write(FILE* f, std::string* err, IndexLayout layout) const {
  Plan plan;
  if (!make_plan(entries_, name_, layout, &plan, err)) return false;
  bool ok = true;
  int saved = 0;
  emit_plan(plan, entries_, [&](const char* p, size_t n) {
    if (ok && fwrite(p, 1, n, f) != n) {
      ok = false;
      saved = errno;
    }
  });
  if (!ok || ferror(f)) {
    if (err) *err = label(name_) + ": write failed: " + strerror(saved ? saved : EIO);
    return false;
  }
  return true;
}

std::string normalize_alias(std::string_view alias, bool* ok) {
  std::string out(alias);
  *ok = true;
  for (size_t i = 0; i < out.size(); i++) {
    char c = out[i];
    if (c == '-') {
      out[i] = '_';
    } else if (c == ']') {
      *ok = false;
      return out;
    } else if (c == '[') {
      // Copied unchanged up to the first ']' (a nested '[' is just a character).
      size_t close = out.find(']', i + 1);
      if (close == std::string::npos) {
        *ok = false;
        return out;
      }
      i = close;
    }
  }
  return out;
}

}  // namespace mng
