// SPDX-License-Identifier: GPL-2.0-or-later
// Index writer tests.  The reference is Debian's kmod 30 depmod: it is run
// on a small tree of real test modules (plus hand-made modules.builtin and
// modules.builtin.modinfo files, which depmod turns into indexes of
// arbitrary keys), and our writer, fed the same entries in the same order
// (taken from depmod's own text outputs), must produce identical bytes.
#include <catch2/catch.hpp>
#include <stdlib.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/index_read.h"
#include "common/index_write.h"
#include "common/modname.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;

namespace mng::index_test {

using namespace mng::testing;

struct Triple {
  std::string key, value;
  uint32_t priority;
};

// depmod's modname: basename up to the first '.', '-' turned into '_'.
std::string modname_of(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  std::string name(path.substr(0, path.find('.')));
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

// The entries kmod's depmod puts in each index, rebuilt from the text files
// it wrote next to them (DIR = <root>/lib/modules/<kver>), in kmod's
// insertion order.  Keys: dep, alias, symbols, builtin, builtin.alias.
std::map<std::string, std::vector<Triple>> entries_from_text(const fs::path& dir) {
  std::map<std::string, std::vector<Triple>> out;
  std::unordered_map<std::string, uint32_t> idx;  // modname -> line in modules.dep
  uint32_t n = 0;
  for (const std::string& line : lines_of(read_file(dir / "modules.dep"))) {
    std::string name = modname_of(line.substr(0, line.find(':')));
    idx.emplace(name, n);
    out["dep"].push_back({name, line, n});
    n++;
  }
  for (const std::string& line : lines_of(read_file(dir / "modules.alias"))) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string word, alias, mod;
    ss >> word >> alias >> mod;
    if (auto key = normalize_alias(alias)) out["alias"].push_back({*key, mod, idx.at(mod)});
  }
  for (const std::string& line : lines_of(read_file(dir / "modules.symbols"))) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string word, sym, mod;
    ss >> word >> sym >> mod;
    out["symbols"].push_back({sym, mod, idx.at(mod)});
  }
  for (const std::string& line : lines_of(read_file(dir / "modules.builtin")))
    if (!line.empty()) out["builtin"].push_back({modname_of(line), "", 0});
  // Records "modname.key=value\0"; depmod inserts aliases in file order
  // (checked with records of two modules interleaved).
  std::string modinfo = read_file(dir / "modules.builtin.modinfo");
  size_t pos = 0;
  while (pos < modinfo.size()) {
    size_t end = modinfo.find('\0', pos);
    if (end == std::string::npos) end = modinfo.size();
    std::string rec = modinfo.substr(pos, end - pos);
    pos = end + 1;
    size_t dot = rec.find('.'), eq = rec.find('=');
    if (dot == std::string::npos || eq == std::string::npos || eq < dot) continue;
    if (rec.compare(dot + 1, eq - dot - 1, "alias") != 0 || eq + 1 == rec.size()) continue;
    if (auto key = normalize_alias(rec.substr(eq + 1))) out["builtin.alias"].push_back({*key, rec.substr(0, dot), 0});
  }
  return out;
}

const char* bin_name(const std::string& kind) {
  if (kind == "dep") return "modules.dep.bin";
  if (kind == "alias") return "modules.alias.bin";
  if (kind == "symbols") return "modules.symbols.bin";
  if (kind == "builtin") return "modules.builtin.bin";
  return "modules.builtin.alias.bin";
}

std::string build(const std::vector<Triple>& entries, IndexLayout layout = IndexLayout::post_order) {
  IndexBuilder b("test.bin");
  std::string err;
  for (const Triple& t : entries) REQUIRE(b.add(t.key, t.value, t.priority, &err));
  std::string bytes;
  REQUIRE(b.serialize(&bytes, &err, layout));
  return bytes;
}


}  // namespace mng::index_test

using namespace mng;
using namespace mng::index_test;

TEST_CASE("index writer rejects non-ASCII keys and values with a message", "[index]") {
  IndexBuilder b("modules.alias.bin");
  std::string err;
  CHECK_FALSE(b.add("caf\xc3\xa9", "mod", 0, &err));
  CHECK(err.find("modules.alias.bin") != std::string::npos);
  CHECK(err.find("caf\\xc3\\xa9") != std::string::npos);
  CHECK(err.find("0xc3") != std::string::npos);
  err.clear();
  CHECK_FALSE(b.add("key", std::string("a\0b", 3), 0, &err));
  CHECK(err.find("value") != std::string::npos);
  CHECK(err.find("key 'key'") != std::string::npos);
  CHECK(b.size() == 0);
  CHECK(b.add("key", "ok", 1, &err));
  CHECK(b.size() == 1);
}

TEST_CASE("empty index is kmod's 12-byte header with a bare root", "[index]") {
  // kmod 30 writes exactly this for an empty modules.builtin (checked by
  // the tree test below too: its builtin index with no keys).
  std::string bytes = build({});
  CHECK(bytes == std::string("\xb0\x07\xf4\x57\x00\x02\x00\x01\x00\x00\x00\x0c", 12));
}

TEST_CASE("an empty key with an empty value as the first entry is written and read back", "[index]") {
  // modules.builtin's "kernel/" names the module "": the first entry then
  // has no bytes of storage at all (fuzz_builtin found the copy from it).
  IndexBuilder b("modules.builtin.bin");
  std::string err;
  REQUIRE(b.add("", "", 0, &err));
  REQUIRE(b.add("ext4", "", 0, &err));
  std::string bytes;
  REQUIRE(b.serialize(&bytes, &err));
  IndexFile f;
  REQUIRE(f.open_bytes(bytes, "modules.builtin.bin", &err));
  std::vector<IndexEntry> dump;
  REQUIRE(f.dump(&dump, &err));
  REQUIRE(dump.size() == 2);
  CHECK(dump[0].key == "");
  CHECK(dump[1].key == "ext4");
}

TEST_CASE("index bytes equal kmod 30 depmod's for the same entries", "[index][.kmod]") {
  std::string dir = require_kmod_tree();
  auto all = entries_from_text(dir);
  for (const char* kind : {"dep", "alias", "symbols", "builtin", "builtin.alias"}) {
    INFO(kind);
    std::string ref = read_file(fs::path(dir) / bin_name(kind));
    REQUIRE(ref.size() > 12);
    CHECK(all[kind].size() > 0);
    std::string ours = build(all[kind]);
    CHECK(ours.size() == ref.size());
    CHECK(ours == ref);
  }
  // Ties: several builtin modules share aliases at priority 0, so the
  // "later entry first" rule is exercised above; make sure it really is.
  std::map<std::string, std::set<std::string>> mods_of;
  for (const Triple& t : all["builtin.alias"]) mods_of[t.key].insert(t.value);
  size_t shared = 0;
  for (auto& [k, v] : mods_of) shared += v.size() > 1;
  CHECK(shared > 10);
}

TEST_CASE("index from kmod's empty builtin list equals ours", "[index][.kmod]") {
  std::string dir = require_kmod_tree();
  // A second tree with empty builtin files, so depmod writes empty indexes.
  char tmpl[] = "/tmp/mng-index-empty-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path root = tmpl;
  fs::path kdir = fs::path(dir).filename();
  fs::path d = root / "lib/modules" / kdir;
  fs::create_directories(d);
  write_file(d / "modules.builtin", "");
  write_file(d / "modules.builtin.modinfo", "");
  std::string out;
  int rc = run(kmod_depmod_path() + " -b '" + root.string() + "' " + kdir.string() + " 2>&1", &out);
  INFO(out);
  CHECK(rc == 0);
  std::string empty = build({});
  CHECK(read_file(d / "modules.builtin.bin") == empty);
  CHECK(read_file(d / "modules.builtin.alias.bin") == empty);
  CHECK(read_file(d / "modules.dep.bin") == empty);
  fs::remove_all(root);
}

// The Debian amd64 tree prepared by tests/check-index.sh (hidden tag: too
// big for every run).  MNG_INDEX_TREE = <root>/lib/modules/<kver> after
// kmod's depmod ran there.  Prints the writer timings.
TEST_CASE("index bytes equal kmod 30's on a full distribution tree", "[.index-tree]") {
  const char* env = getenv("MNG_INDEX_TREE");
  REQUIRE(env != nullptr);
  fs::path dir = env;
  auto all = entries_from_text(dir);
  REQUIRE(all["dep"].size() > 1000);
  double big = 0;
  for (const char* kind : {"dep", "alias", "symbols", "builtin", "builtin.alias"}) {
    INFO(kind);
    const auto& entries = all[kind];
    std::string ref = read_file(dir / bin_name(kind));
    double best = 1e9;
    std::string ours;
    for (int rep = 0; rep < 5; rep++) {
      auto t0 = std::chrono::steady_clock::now();
      IndexBuilder b(bin_name(kind));
      std::string err;
      bool ok = true;
      for (const Triple& t : entries) ok &= b.add(t.key, t.value, t.priority, &err);
      ok &= b.serialize(&ours, &err);
      auto t1 = std::chrono::steady_clock::now();
      REQUIRE(ok);
      best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    if (std::string(kind) == "dep" || std::string(kind) == "alias" || std::string(kind) == "symbols") big += best;
    printf("%-26s %6zu entries %8zu bytes  build+serialise %.2f ms\n", bin_name(kind), entries.size(), ours.size(), best);
    CHECK(ours.size() == ref.size());
    CHECK(ours == ref);
  }
  printf("dep+alias+symbols together: %.2f ms\n", big);
}

TEST_CASE("index writer streams the same bytes to a FILE", "[index]") {
  std::vector<Triple> in;
  for (int i = 0; i < 2000; i++) in.push_back({"key" + std::to_string(i * 37 % 1000), "value" + std::to_string(i), static_cast<uint32_t>(i % 5)});
  IndexBuilder b("stream.bin");
  std::string err;
  for (const Triple& t : in) REQUIRE(b.add(t.key, t.value, t.priority, &err));
  for (IndexLayout layout : {IndexLayout::post_order, IndexLayout::pre_order}) {
    std::string want;
    REQUIRE(b.serialize(&want, &err, layout));
    FILE* f = tmpfile();
    REQUIRE(f);
    REQUIRE(b.write(f, &err, layout));
    REQUIRE(fflush(f) == 0);
    rewind(f);
    std::string got(want.size() + 10, '\0');
    got.resize(fread(got.data(), 1, got.size(), f));
    fclose(f);
    CHECK(got == want);
  }
  // A failing write is reported with the index name and the reason.
  FILE* full = fopen("/dev/full", "w");
  REQUIRE(full);
  CHECK_FALSE(b.write(full, &err));
  fclose(full);
  CHECK(err.find("stream.bin") != std::string::npos);
  CHECK(err.find("No space left") != std::string::npos);
}
