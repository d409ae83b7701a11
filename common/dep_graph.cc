// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/dep_graph.h"

#include <algorithm>

namespace mng {

bool DepGraph::add_edge(uint32_t from, uint32_t to) {
  auto& d = deps[from];
  if (std::find(d.begin(), d.end(), to) != d.end()) return false;
  d.push_back(to);
  ++users[to];
  return true;
}

TopoOrder topo_sort(const DepGraph& g) {
  const uint32_t n = static_cast<uint32_t>(g.size());
  TopoOrder out;
  out.rank.assign(n, TopoOrder::kUnsorted);
  std::vector<uint32_t> users = g.users;
  std::vector<uint32_t> stack;
  stack.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    if (users[i] == 0) stack.push_back(i);
  uint32_t sorted = 0;
  while (!stack.empty()) {
    uint32_t m = stack.back();
    stack.pop_back();
    out.rank[m] = sorted++;
    for (uint32_t d : g.deps[m])
      if (--users[d] == 0) stack.push_back(d);
  }
  for (uint32_t i = 0; i < n; ++i)
    if (out.rank[i] == TopoOrder::kUnsorted) out.in_cycle.push_back(i);
  return out;
}

namespace {

// The roots still to walk, as kmod keeps them: a ring in ascending index
// whose head moves to the next module whenever one is taken or removed,
// wherever it was in the ring.
class RootRing {
 public:
  explicit RootRing(const std::vector<uint32_t>& mods, size_t n) : next_(n), prev_(n), alive_(n, 0) {
    for (size_t i = 0; i < mods.size(); ++i) {
      next_[mods[i]] = mods[(i + 1) % mods.size()];
      prev_[mods[(i + 1) % mods.size()]] = mods[i];
      alive_[mods[i]] = 1;
    }
    head_ = mods.empty() ? kNone : mods[0];
    left_ = mods.size();
  }
  bool empty() const { return left_ == 0; }
  uint32_t head() const { return head_; }
  void remove(uint32_t m) {
    if (!alive_[m]) return;
    alive_[m] = 0;
    head_ = --left_ ? next_[m] : kNone;
    next_[prev_[m]] = next_[m];
    prev_[next_[m]] = prev_[m];
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> next_, prev_;
  std::vector<char> alive_;
  uint32_t head_ = kNone;
  size_t left_ = 0;
};

// One walk of the cycle report: the search state shared by every root.
class CycleSearch {
 public:
  CycleSearch(const DepGraph& g, RootRing* roots, size_t max_steps)
      : g_(g), roots_(*roots), visited_(g.size(), 0), counted_(g.size(), 0), budget_(max_steps) {}
  // Walks from ROOT; false when the step budget ran out.
  bool walk(uint32_t root, CycleReport* out);

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Vertex {
    uint32_t mod, parent;
  };
  bool repeats(uint32_t v) const;
  void report(uint32_t v, CycleReport* out);

  const DepGraph& g_;
  RootRing& roots_;
  std::vector<char> visited_, counted_;
  std::vector<Vertex> vertices_;
  std::vector<uint32_t> stack_;
  size_t budget_;
};

// True when vertex V's module already lies on the path that led to it.
bool CycleSearch::repeats(uint32_t v) const {
  uint32_t m = vertices_[v].mod;
  for (uint32_t p = vertices_[v].parent; p != kNone; p = vertices_[p].parent)
    if (vertices_[p].mod == m) return true;
  return false;
}

// The path from the root to V as one line; the modules before V count as
// on a cycle and are no longer roots.
void CycleSearch::report(uint32_t v, CycleReport* out) {
  std::vector<uint32_t> line;
  for (uint32_t p = vertices_[v].parent; p != kNone; p = vertices_[p].parent) {
    uint32_t m = vertices_[p].mod;
    line.push_back(m);
    if (!counted_[m]) counted_[m] = 1, ++out->modules;
  }
  std::reverse(line.begin(), line.end());
  for (uint32_t m : line) roots_.remove(m);
  line.push_back(vertices_[v].mod);
  out->lines.push_back(std::move(line));
}

bool CycleSearch::walk(uint32_t root, CycleReport* out) {
  vertices_.assign(1, Vertex{root, kNone});
  stack_.assign(1, 0);
  while (!stack_.empty()) {
    uint32_t v = stack_.back();
    stack_.pop_back();
    uint32_t m = vertices_[v].mod;
    if (visited_[m] && m == root) {
      report(v, out);
      continue;
    }
    if (m != root && repeats(v)) continue;
    visited_[m] = 1;
    if (g_.deps[m].empty()) {
      roots_.remove(m);
      continue;
    }
    if (g_.deps[m].size() > budget_) return false;
    budget_ -= g_.deps[m].size();
    for (uint32_t d : g_.deps[m]) {
      stack_.push_back(static_cast<uint32_t>(vertices_.size()));
      vertices_.push_back(Vertex{d, v});
    }
  }
  return true;
}

}  // namespace

CycleReport find_cycles(const DepGraph& g, const TopoOrder& order, size_t max_steps) {
  CycleReport out;
  RootRing roots(order.in_cycle, g.size());
  CycleSearch search(g, &roots, max_steps);
  while (!roots.empty()) {
    uint32_t root = roots.head();
    roots.remove(root);
    if (!search.walk(root, &out)) {
      out.truncated = true;
      break;
    }
  }
  return out;
}

void dependency_closure(const DepGraph& g, const TopoOrder& order, uint32_t m,
                        ClosureScratch* s, std::vector<uint32_t>* out) {
  out->clear();
  if (g.deps[m].empty()) return;
  if (s->stamp.size() != g.size()) {
    s->stamp.assign(g.size(), 0);
    s->epoch = 0;
  }
  if (++s->epoch == 0) {
    std::fill(s->stamp.begin(), s->stamp.end(), 0);
    s->epoch = 1;
  }
  s->stamp[m] = s->epoch;
  s->stack.assign(g.deps[m].rbegin(), g.deps[m].rend());
  while (!s->stack.empty()) {
    uint32_t d = s->stack.back();
    s->stack.pop_back();
    if (s->stamp[d] == s->epoch) continue;
    s->stamp[d] = s->epoch;
    out->push_back(d);
    for (auto it = g.deps[d].rbegin(); it != g.deps[d].rend(); ++it)
      if (s->stamp[*it] != s->epoch) s->stack.push_back(*it);
  }
  std::sort(out->begin(), out->end(), [&](uint32_t a, uint32_t b) { return order.rank[a] < order.rank[b]; });
}

}  // namespace mng
