// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/run_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "common/file_util.h"
#include "depmod/output_set.h"
#include "tests/test_util.h"

namespace mng {
namespace {
using testing::TempDir;

CacheKey key_at(const std::string& path) {
  struct stat st;
  REQUIRE(stat(path.c_str(), &st) == 0);
  return cache_key(st);
}

// A tree with two modules and two outputs, and a cache recording them
// under INPUTS, written after the outputs as depmod writes it.
struct Tree {
  TempDir dir;
  std::vector<FoundModule> mods;
  std::vector<std::string> names{"modules.dep", "modules.alias"};
  ModuleCache cache;
  struct stat cache_st {};

  explicit Tree(uint64_t inputs) {
    for (const char* m : {"a.ko", "b.ko"}) mods.push_back({dir.write(m, std::string("module ") + m), m, m, m, m});
    dir.write("modules.dep", "a.ko:\nb.ko:\n");
    dir.write("modules.alias", "alias x a\n");
    CacheWriter w(0);
    for (const FoundModule& m : mods) w.add(m.path, key_at(m.path), ModuleElf{});
    std::string data = w.finish();
    RunState state;
    state.inputs = inputs;
    UniqueFd d(open(dir.path.c_str(), O_RDONLY | O_DIRECTORY));
    REQUIRE(output_keys(d.get(), names, &state.outputs));
    seal_cache(&data, state);
    dir.write(kModuleCacheName, data);
    reload();
  }
  void reload() {
    DepmodOptions opt;
    REQUIRE(load_cache(opt, dir.path, &cache, &cache_st));
  }
  bool unchanged(uint64_t inputs) const {
    UniqueFd d(open(dir.path.c_str(), O_RDONLY | O_DIRECTORY));
    return nothing_changed(cache, cache_st, inputs, mods, d.get(), names);
  }
};

void later() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

}  // namespace

TEST_CASE("nothing changed: same modules, inputs and outputs", "[cache][run_state]") {
  Tree t(42);
  CHECK(t.unchanged(42));
  CHECK_FALSE(t.unchanged(43));
  CHECK_FALSE(t.unchanged(0));
  Tree untrusted(0);
  CHECK_FALSE(untrusted.unchanged(0));
}

TEST_CASE("an output edited in place with its mtime put back is noticed", "[cache][run_state]") {
  Tree t(42);
  std::string path = t.dir / "modules.dep";
  struct stat before;
  REQUIRE(stat(path.c_str(), &before) == 0);
  later();
  {
    UniqueFd fd(open(path.c_str(), O_WRONLY));
    REQUIRE(pwrite(fd.get(), "X", 1, 0) == 1);
  }
  struct timespec times[2] = {before.st_atim, before.st_mtim};
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
  CHECK(key_at(path).mtime_ns == static_cast<uint64_t>(before.st_mtim.tv_nsec));
  CHECK_FALSE(t.unchanged(42));
}

TEST_CASE("a removed or replaced output, a pending journal or a changed module is noticed", "[cache][run_state]") {
  Tree t(42);
  REQUIRE(t.unchanged(42));
  SECTION("removed output") {
    REQUIRE(unlink((t.dir / "modules.alias").c_str()) == 0);
    CHECK_FALSE(t.unchanged(42));
  }
  SECTION("replaced output, same size") {
    t.dir.write("modules.alias.new", "alias y a\n");
    REQUIRE(rename((t.dir / "modules.alias.new").c_str(), (t.dir / "modules.alias").c_str()) == 0);
    CHECK_FALSE(t.unchanged(42));
  }
  SECTION("journal") {
    t.dir.write(kOutputJournal, "");
    CHECK_FALSE(t.unchanged(42));
  }
  SECTION("module rewritten") {
    later();
    t.dir.write("a.ko", "module a.kX");
    CHECK_FALSE(t.unchanged(42));
  }
  SECTION("one module more") {
    t.mods.push_back({t.dir.write("c.ko", "c"), "c.ko", "c.ko", "c", "c"});
    CHECK_FALSE(t.unchanged(42));
  }
  SECTION("one module fewer") {
    t.mods.pop_back();
    CHECK_FALSE(t.unchanged(42));
  }
}

TEST_CASE("the inputs digest is not trusted without modules.order or while side files are fresh",
          "[cache][run_state]") {
  TempDir d;
  std::vector<FoundModule> mods{{d / "a.ko", "a.ko", "a.ko", "a", "a"}};
  CHECK(inputs_digest("opts", d.path, mods) == 0);
  d.write("modules.order", "a.ko\n");
  CHECK(inputs_digest("opts", d.path, mods) == 0);  // just written
}

TEST_CASE("the inputs digest follows options, module paths and side files", "[cache][run_state]") {
  TempDir d;
  d.write("modules.order", "a.ko\n");
  std::vector<FoundModule> mods{{d / "a.ko", "a.ko", "a.ko", "a", "a"}, {d / "b.ko", "b.ko", "b.ko", "b", "b"}};
  std::this_thread::sleep_for(std::chrono::milliseconds(3100));
  uint64_t base = inputs_digest("opts", d.path, mods);
  CHECK(base != 0);
  CHECK(inputs_digest("opts", d.path, mods) == base);
  CHECK(inputs_digest("opts2", d.path, mods) != base);
  std::vector<FoundModule> swapped{mods[1], mods[0]};
  CHECK(inputs_digest("opts", d.path, swapped) != base);
  d.write("modules.builtin", "kernel/x.ko\n");
  CHECK(inputs_digest("opts", d.path, mods) == 0);  // fresh
}

}  // namespace mng
