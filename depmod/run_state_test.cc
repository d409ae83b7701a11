// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/run_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
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

// ---- outputs left as they are ---------------------------------------------

// A module whose .modinfo holds FIELDS (key, value, ...).
ModuleElf with_fields(std::initializer_list<const char*> fields) {
  ModuleElf e;
  std::vector<StrRef> refs;
  for (const char* f : fields) {
    refs.push_back({static_cast<uint32_t>(e.pool.size()), static_cast<uint32_t>(strlen(f))});
    e.pool.append(f).push_back('\0');
  }
  for (size_t i = 0; i + 1 < refs.size(); i += 2) e.modinfo.push_back({refs[i], refs[i + 1]});
  return e;
}

struct SmallTree {
  DepmodTree t;
  std::vector<std::string> dep_lines{"kernel/a.ko:", "kernel/b.ko: kernel/a.ko"};
  SmallTree() {
    t.mods = {{"/m/kernel/a.ko", "kernel/a.ko", "kernel/a.ko", "a", "a"},
              {"/m/kernel/b.ko", "kernel/b.ko", "kernel/b.ko", "b", "b"}};
    t.elf.push_back(with_fields({"alias", "pci:v1d*", "softdep", "pre: c"}));
    t.elf.push_back(with_fields({"alias", "usb:v2p*", "weakdep", "d"}));
    t.symbols = {{"a_func", 0}};
  }
  std::array<uint64_t, kOutCount> sources(uint64_t base = 42) const { return output_sources(base, t, dep_lines); }
};

// The rows whose sources differ between A and B.
std::vector<std::string> changed(const std::array<uint64_t, kOutCount>& a, const std::array<uint64_t, kOutCount>& b) {
  std::vector<std::string> rows;
  for (const OutputRow& row : kOutputs)
    if (a[row.id] != b[row.id]) rows.push_back(row.name);
  return rows;
}

TEST_CASE("each output's sources follow what it is made from, and nothing else", "[cache][run_state]") {
  SmallTree x;
  const auto base = x.sources();
  for (uint64_t v : base) CHECK(v != 0);
  for (uint64_t v : x.sources(0)) CHECK(v == 0);  // an untrusted run keeps nothing
  CHECK(x.sources() == base);
  CHECK(changed(x.sources(43), base).size() == kOutCount);
  using V = std::vector<std::string>;
  SECTION("an alias") {
    x.t.elf[1] = with_fields({"alias", "usb:v3p*", "weakdep", "d"});
    CHECK(changed(x.sources(), base) == V{"modules.alias", "modules.alias.bin", "modules.devname"});
  }
  SECTION("a softdep, a weakdep") {
    x.t.elf[0] = with_fields({"alias", "pci:v1d*", "softdep", "pre: e"});
    x.t.elf[1] = with_fields({"alias", "usb:v2p*"});
    CHECK(changed(x.sources(), base) == V{"modules.softdep", "modules.weakdep"});
  }
  SECTION("a dependency") {
    x.dep_lines[1] = "kernel/b.ko:";
    CHECK(changed(x.sources(), base) == V{"modules.dep", "modules.dep.bin"});
  }
  SECTION("a path") {
    x.t.mods[1].path = "/m/updates/b.ko", x.t.mods[1].shown = "updates/b.ko";
    CHECK(changed(x.sources(), base) == V{"modules.dep", "modules.dep.bin"});
  }
  SECTION("a symbol's owner") {
    x.t.symbols = {{"a_func", 1}};
    CHECK(changed(x.sources(), base) == V{"modules.symbols", "modules.symbols.bin"});
  }
  SECTION("the modules' order: the indexes' priorities are module numbers") {
    std::swap(x.t.mods[0], x.t.mods[1]);
    std::swap(x.t.elf[0], x.t.elf[1]);
    std::swap(x.dep_lines[0], x.dep_lines[1]);
    x.t.symbols = {{"a_func", 1}};
    auto now = x.sources();
    for (Out o : {kDep, kDepBin, kAlias, kAliasBin, kSymbols, kSymbolsBin, kDevname}) CHECK(now[o] != base[o]);
  }
}

// Every output written, recorded as the last run's with sources 1..11.
struct Published {
  TempDir dir;
  std::vector<std::string> names = output_names("modules.dep");
  RunState last;
  struct timespec cache_ctime {};
  std::array<uint64_t, kOutCount> sources{};
  Published() {
    for (const std::string& n : names) dir.write(n, "contents of " + n + "\n");
    UniqueFd d(open(dir.path.c_str(), O_RDONLY | O_DIRECTORY));
    REQUIRE(output_keys(d.get(), names, &last.outputs));
    last.inputs = 7;
    for (size_t i = 0; i < kOutCount; ++i) last.sources.push_back(sources[i] = i + 1);
    later();
    struct stat st;
    REQUIRE(stat(dir.write(kModuleCacheName, "c").c_str(), &st) == 0);
    cache_ctime = st.st_ctim;
  }
  size_t kept() const {
    UniqueFd d(open(dir.path.c_str(), O_RDONLY | O_DIRECTORY));
    auto keep = kept_outputs(last, cache_ctime, sources, d.get(), names);
    return static_cast<size_t>(std::count(keep.begin(), keep.end(), true));
  }
};

TEST_CASE("an output is kept only when made from the same sources and untouched since", "[cache][run_state]") {
  Published p;
  CHECK(p.kept() == kOutCount);
  SECTION("other sources") {
    p.sources[kAlias] = 99;
    CHECK(p.kept() == kOutCount - 1);
  }
  SECTION("the two built-in indexes go together") {
    p.sources[kBuiltinAliasBin] = 99;
    CHECK(p.kept() == kOutCount - 2);
  }
  SECTION("the last run printed a message") {
    p.last.inputs = 0;
    CHECK(p.kept() == 0);
  }
  SECTION("no record of the sources (an older cache)") {
    p.last.sources.clear();
    CHECK(p.kept() == 0);
  }
  SECTION("edited in place, modification time put back") {
    later();
    std::string f = p.dir / "modules.alias";
    struct stat st;
    REQUIRE(stat(f.c_str(), &st) == 0);
    UniqueFd fd(open(f.c_str(), O_WRONLY));
    REQUIRE(pwrite(fd.get(), "C", 1, 0) == 1);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    REQUIRE(futimens(fd.get(), times) == 0);
    CHECK(p.kept() == kOutCount - 1);
  }
  SECTION("removed") {
    REQUIRE(unlink((p.dir / "modules.symbols.bin").c_str()) == 0);
    CHECK(p.kept() == kOutCount - 1);
  }
}

}  // namespace mng
