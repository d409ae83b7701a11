// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/dep_graph.h"

#include <catch2/catch.hpp>

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

TEST_CASE("cycles name every module on them and nothing else", "[depgraph]") {
  // 0 <-> 1 is a cycle that also needs 2; 3 -> 4 -> 5 -> 3 is another; 6 uses 0.
  auto g = graph(7, {{0, 1}, {1, 0}, {0, 2}, {3, 4}, {4, 5}, {5, 3}, {6, 0}});
  auto o = topo_sort(g);
  CHECK(o.in_cycle == std::vector<uint32_t>{0, 1, 2, 3, 4, 5});
  auto cycles = find_cycles(g, o);
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
  auto cycles = find_cycles(g, o);
  REQUIRE(cycles.size() == 1);
  CHECK(cycles[0] == std::vector<uint32_t>{1, 1});
}
