// SPDX-License-Identifier: GPL-2.0-or-later
// The dependency graph of a set of modules, and the orderings depmod
// derives from it.  Modules are numbered 0..n-1 in module order (the line
// order of modules.dep).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mng {

struct DepGraph {
  // Direct dependencies of each module, in first-reference order, no
  // duplicates.
  std::vector<std::vector<uint32_t>> deps;
  // Number of distinct modules that depend directly on each module.
  std::vector<uint32_t> users;

  explicit DepGraph(size_t n = 0) : deps(n), users(n, 0) {}
  size_t size() const { return deps.size(); }
  // Adds the edge FROM -> TO once; returns false when it was already there.
  bool add_edge(uint32_t from, uint32_t to);
};

// kmod's topological order: Kahn's algorithm starting from the modules
// nobody uses, taken in ascending index and popped from a stack, so a
// module always sorts before every module it depends on.
struct TopoOrder {
  std::vector<uint32_t> rank;        // position in the sort; kUnsorted for modules in cycles
  std::vector<uint32_t> in_cycle;    // modules left over, ascending
  static constexpr uint32_t kUnsorted = UINT32_MAX;
};
TopoOrder topo_sort(const DepGraph& g);

// kmod's report of the modules topo_sort left over.  The leftovers form a
// ring in ascending index; the module at its head becomes a root, and
// taking a module out of the ring (as a root, as a module on a reported
// line, or as a leftover without dependencies once visited) moves the head
// to the module after it.  A depth first walk from the root (dependencies
// pushed in order, the last popped first) reports every way back to the
// root as one line, and a root already visited from an earlier root
// reports itself alone.  kmod's walk keeps
// following paths that repeat a module, and so never ends when a cycle
// without the root is reachable from it; this one drops such paths, which
// yields kmod's lines exactly wherever kmod's walk ends and otherwise each
// elementary cycle through the root once, in kmod's order.
struct CycleReport {
  // Each line as module indexes: a closed walk (first == last), or one
  // module alone.
  std::vector<std::vector<uint32_t>> lines;
  // Distinct modules on the reported walks (kmod's count line).
  size_t modules = 0;
  // True when the search stopped at MAX_STEPS before it was done.
  bool truncated = false;
};
CycleReport find_cycles(const DepGraph& g, const TopoOrder& order, size_t max_steps = size_t{1} << 22);

// All modules M depends on, directly or not, sorted by rank: dependents
// before their dependencies, so loading from the end backwards works.
// SCRATCH is reused between calls (sized and cleared internally).
struct ClosureScratch {
  std::vector<uint32_t> stamp;
  uint32_t epoch = 0;
  std::vector<uint32_t> stack;
};
void dependency_closure(const DepGraph& g, const TopoOrder& order, uint32_t m,
                        ClosureScratch* scratch, std::vector<uint32_t>* out);

}  // namespace mng
