// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/dep_graph.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace mng;

namespace {
DepGraph graph(size_t n, std::initializer_list<std::pair<uint32_t, uint32_t>> edges) {
  DepGraph g(n);
  for (auto [a, b] : edges) g.add_edge(a, b);
  return g;
}
std::vector<uint32_t> closure(const DepGraph& g, const TopoOrder& o, uint32_t m) {
  ClosureScratch s;
  std::vector<uint32_t> out;
  dependency_closure(g, o, m, &s, &out);
  return out;
}
}  // namespace

TEST_CASE("edges are added once and counted as users", "[depgraph]") {
  DepGraph g(3);
  CHECK(g.add_edge(0, 1));
  CHECK_FALSE(g.add_edge(0, 1));
  CHECK(g.add_edge(2, 1));
  CHECK(g.users[1] == 2);
  CHECK(g.users[0] == 0);
}

TEST_CASE("every module ranks before the modules it needs", "[depgraph]") {
  // 0 -> 1 -> 2, 3 -> 2, 4 -> {0, 3}
  auto g = graph(5, {{0, 1}, {1, 2}, {3, 2}, {4, 0}, {4, 3}});
  auto o = topo_sort(g);
  REQUIRE(o.in_cycle.empty());
  for (uint32_t m = 0; m < 5; ++m)
    for (uint32_t d : g.deps[m]) CHECK(o.rank[m] < o.rank[d]);
  // Closure of 4 lists everything below it, dependents first.
  auto c = closure(g, o, 4);
  REQUIRE(c.size() == 4);
  for (size_t i = 1; i < c.size(); ++i) CHECK(o.rank[c[i - 1]] < o.rank[c[i]]);
  CHECK(closure(g, o, 2).empty());
}

TEST_CASE("roots are taken from a stack in ascending index, as kmod does", "[depgraph]") {
  // Three independent modules: kmod pushes 0,1,2 and pops 2 first.
  auto g = graph(3, {});
  auto o = topo_sort(g);
  CHECK(o.rank == std::vector<uint32_t>{2, 1, 0});
}

namespace {
// A graph over single-letter modules, given as "ab ac ca": a -> b, a -> c,
// c -> a; modules are numbered in the order ORDER lists them.
struct Named {
  std::string order;
  DepGraph g;
  Named(std::string o, const std::string& edges) : order(std::move(o)), g(order.size()) {
    for (size_t i = 0; i + 1 < edges.size(); i += 3) g.add_edge(id(edges[i]), id(edges[i + 1]));
  }
  uint32_t id(char c) const { return static_cast<uint32_t>(order.find(c)); }
  std::vector<std::string> lines(const CycleReport& r) const {
    std::vector<std::string> out;
    for (auto& l : r.lines) {
      std::string t;
      for (uint32_t m : l) t += order[m];
      out.push_back(t);
    }
    return out;
  }
};
// The shape of kmod's own detect_loop test: a -> b -> c -> a with a and b
// also needing the leaves f and g, d <-> e, and h -> i -> j -> {h, k}, k -> h.
// Each module's dependencies in the order its symbol table names them.
const char* kLoopEdges = "af ag ab bf bg bc ca de ed hi ij jh jk kh";
}  // namespace

TEST_CASE("kmod's detect_loop graph: kmod's lines, order and count", "[depgraph]") {
  // After d's walk the ring's head is past e, so the leaves f and g are
  // taken (silently) and h is the next root, then c.
  Named n("dijcabefghk", kLoopEdges);
  auto o = topo_sort(n.g);
  auto r = find_cycles(n.g, o);
  CHECK(n.lines(r) == std::vector<std::string>{"ded", "hijkh", "hijh", "cabc"});
  // In ascending order, a's walk takes the leaf g out, which leaves h at the head.
  Named m("abcdefghijk", kLoopEdges);
  CHECK(m.lines(find_cycles(m.g, topo_sort(m.g))) == std::vector<std::string>{"abca", "hijkh", "hijh", "ded"});
  CHECK(r.modules == 9);
  CHECK_FALSE(r.truncated);
}

TEST_CASE("a root reached before and not on a cycle is reported alone", "[depgraph]") {
  // a <-> b, b -> t, t -> u: t and u are left over; t has a dependency and
  // was visited from a, so as a root it prints itself alone and is not counted.
  Named n("abtu", "ab ba bt tu");
  auto o = topo_sort(n.g);
  auto r = find_cycles(n.g, o);
  CHECK(n.lines(r) == std::vector<std::string>{"aba", "t"});
  CHECK(r.modules == 2);
}

TEST_CASE("where kmod's walk never ends, each elementary cycle is reported once", "[depgraph]") {
  // The same graph with k first: from k, the cycle h -> i -> j -> h does not
  // pass k, and kmod goes round it forever.
  Named n("kabcdefghij", kLoopEdges);
  auto o = topo_sort(n.g);
  auto r = find_cycles(n.g, o);
  CHECK_FALSE(r.truncated);
  auto lines = n.lines(r);
  REQUIRE(!lines.empty());
  CHECK(lines[0] == "khijk");
  std::set<std::string> seen;
  for (auto& l : lines) {
    CHECK(seen.insert(l).second);
    std::set<char> inner(l.begin(), l.end() - (l.size() > 1 ? 1 : 0));
    CHECK(inner.size() == l.size() - (l.size() > 1 ? 1 : 0));  // no module twice
  }
  CHECK(r.modules == 9);
}

TEST_CASE("the cycle search stops at its step budget", "[depgraph]") {
  // Every module needs every other: the simple cycles are too many to list.
  const uint32_t n = 12;
  DepGraph g(n);
  for (uint32_t a = 0; a < n; ++a)
    for (uint32_t b = 0; b < n; ++b)
      if (a != b) g.add_edge(a, b);
  auto o = topo_sort(g);
  auto r = find_cycles(g, o, 10000);
  CHECK(r.truncated);
  CHECK(r.lines.size() < 10000);
}

TEST_CASE("cycles name every module on them and nothing else", "[depgraph]") {
  // 0 <-> 1 is a cycle that also needs 2; 3 -> 4 -> 5 -> 3 is another; 6 uses 0.
  auto g = graph(7, {{0, 1}, {1, 0}, {0, 2}, {3, 4}, {4, 5}, {5, 3}, {6, 0}});
  auto o = topo_sort(g);
  CHECK(o.in_cycle == std::vector<uint32_t>{0, 1, 2, 3, 4, 5});
  auto cycles = find_cycles(g, o).lines;
  REQUIRE(cycles.size() == 2);
  std::vector<int> named(7, 0);
  for (auto& c : cycles) {
    CHECK(c.front() == c.back());
    for (size_t i = 0; i + 1 < c.size(); ++i) {
      auto& d = g.deps[c[i]];
      CHECK(std::find(d.begin(), d.end(), c[i + 1]) != d.end());
      named[c[i]] = 1;
    }
  }
  CHECK(named == std::vector<int>{1, 1, 0, 1, 1, 1, 0});
}

TEST_CASE("a self-dependency is a cycle", "[depgraph]") {
  DepGraph g(2);
  g.deps[1].push_back(1);
  g.users[1] = 1;
  auto o = topo_sort(g);
  auto cycles = find_cycles(g, o).lines;
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0] == std::vector<uint32_t>{1, 1});
}
