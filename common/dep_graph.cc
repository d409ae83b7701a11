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

std::vector<std::vector<uint32_t>> find_cycles(const DepGraph& g, const TopoOrder& order) {
  const uint32_t n = static_cast<uint32_t>(g.size());
  std::vector<std::vector<uint32_t>> cycles;
  std::vector<char> named(n, 0);
  std::vector<uint32_t> parent(n);
  std::vector<uint32_t> seen(n, UINT32_MAX);
  std::vector<uint32_t> queue;
  auto leftover = [&](uint32_t m) { return order.rank[m] == TopoOrder::kUnsorted; };
  // Leftovers are the modules on cycles plus the modules those need.  For
  // each one not named yet, the shortest way back to itself (breadth
  // first over leftover edges) is a cycle through it, if there is one.
  for (uint32_t start : order.in_cycle) {
    if (named[start]) continue;
    queue.assign(1, start);
    seen[start] = start;
    bool closed = false;
    uint32_t last = start;
    for (size_t qi = 0; qi < queue.size() && !closed; ++qi) {
      uint32_t m = queue[qi];
      for (uint32_t d : g.deps[m]) {
        if (!leftover(d)) continue;
        if (d == start) {
          closed = true;
          last = m;
          break;
        }
        if (seen[d] == start) continue;
        seen[d] = start;
        parent[d] = m;
        queue.push_back(d);
      }
    }
    if (!closed) continue;
    std::vector<uint32_t> cyc;
    for (uint32_t m = last; m != start; m = parent[m]) cyc.push_back(m);
    cyc.push_back(start);
    std::reverse(cyc.begin(), cyc.end());
    cyc.push_back(start);
    for (uint32_t m : cyc) named[m] = 1;
    cycles.push_back(std::move(cyc));
  }
  return cycles;
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
