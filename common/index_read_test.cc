// SPDX-License-Identifier: GPL-2.0-or-later
// Index reader tests: round trips through our writer (both layouts),
// answers on kmod 30's own files compared with what kmod's modprobe
// answers, and corrupt files.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <fnmatch.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/index_read.h"
#include "common/index_write.h"
#include "common/modname.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;


using namespace mng;
using namespace mng::testing;

namespace {

struct Kv {
  std::string key, value;
  uint32_t priority;
  bool operator==(const Kv& o) const { return key == o.key && value == o.value && priority == o.priority; }
};

std::ostream& operator<<(std::ostream& os, const Kv& kv) {
  return os << kv.key << " -> " << kv.value << " (" << kv.priority << ")";
}

std::string make_index(const std::vector<Kv>& in, IndexLayout layout = IndexLayout::post_order) {
  IndexBuilder b("test.bin");
  std::string err, out;
  for (const Kv& kv : in) REQUIRE(b.add(kv.key, kv.value, kv.priority, &err));
  REQUIRE(b.serialize(&out, &err, layout));
  return out;
}

std::vector<Kv> dump_of(const IndexFile& f) {
  std::vector<Kv> out;
  std::string err;
  bool ok = f.dump([&](std::string_view k, const IndexValue& v) { out.push_back({std::string(k), std::string(v.value), v.priority}); }, &err);
  INFO(err);
  REQUIRE(ok);
  return out;
}

std::vector<std::string> wild(const IndexFile& f, const std::string& q) {
  std::vector<IndexValue> vals;
  std::string err;
  bool ok = f.search_wild(q, &vals, &err);
  INFO(err);
  REQUIRE(ok);
  std::vector<std::string> out;
  for (auto& v : vals) out.push_back(std::string(v.value));
  return out;
}

// What the format promises, computed without any trie: keys in byte
// order; a key's values by ascending priority, the later entry first.
std::vector<Kv> expected_dump(const std::vector<Kv>& in) {
  std::vector<Kv> out(in.rbegin(), in.rend());
  std::stable_sort(out.begin(), out.end(), [](const Kv& a, const Kv& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.priority < b.priority;
  });
  return out;
}

// Turns a stored alias pattern into a query it matches.
std::string concrete(const std::string& pat) {
  std::string q;
  for (size_t i = 0; i < pat.size(); i++) {
    if (pat[i] == '*') {
      q += "X1";
    } else if (pat[i] == '?') {
      q += 'Z';
    } else if (pat[i] == '[') {
      size_t close = pat.find(']', i + 1);
      if (close == std::string::npos) return q + pat.substr(i);
      q += pat[i + 1] == '!' || pat[i + 1] == '^' ? '~' : pat[i + 1];
      i = close;
    } else {
      q += pat[i];
    }
  }
  return q;
}

// modprobe -R for many queries in one run: "-a -R q1 SEP q2 SEP ...",
// where SEP is a module name that no alias resolves to.
std::vector<std::vector<std::string>> resolve_all(const std::string& modprobe, const std::vector<std::string>& qs,
                                                  const std::string& sep) {
  std::vector<std::vector<std::string>> out;
  for (size_t start = 0; start < qs.size(); start += 1000) {
    std::string cmd = modprobe + " -a -R";
    size_t end = std::min(qs.size(), start + 1000);
    for (size_t i = start; i < end; i++) cmd += " '" + qs[i] + "' " + sep;
    std::string text;
    run(cmd + " 2>/dev/null", &text);
    std::vector<std::string> cur;
    for (const std::string& l : lines_of(text)) {
      if (l == sep) {
        out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(l);
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("index round trip: many keys in both layouts", "[index]") {
  std::mt19937 rng(7);
  std::vector<Kv> in;
  // Short keys over a tiny alphabet: shared prefixes, keys that are
  // prefixes of others, one-character keys and the empty key.
  for (int i = 0; i < 3000; i++) {
    std::string k;
    int len = rng() % 9;
    for (int j = 0; j < len; j++) k += "ab_c"[rng() % 4];
    in.push_back({k, "v" + std::to_string(i), static_cast<uint32_t>(rng() % 4)});
  }
  in.push_back({"", "empty-key", 2});
  in.push_back({"z", "one-char", 0});
  for (int i = 0; i < 50; i++) in.push_back({"many", "m" + std::to_string(i), static_cast<uint32_t>(i % 3)});
  in.push_back({"a-much-longer-key/with.all:kinds,of~chars", "x", 0xffffffffu});
  std::vector<Kv> want = expected_dump(in);

  std::map<std::string, std::vector<Kv>> by_key;
  for (const Kv& kv : want) by_key[kv.key].push_back(kv);

  std::string post = make_index(in, IndexLayout::post_order);
  std::string pre = make_index(in, IndexLayout::pre_order);
  CHECK(post.size() == pre.size());
  CHECK(post != pre);
  // Pre-order puts the root right after the header.
  CHECK((static_cast<unsigned char>(pre[8]) << 24 | static_cast<unsigned char>(pre[9]) << 16 |
         static_cast<unsigned char>(pre[10]) << 8 | static_cast<unsigned char>(pre[11])) ==
        (12u | kIndexNodeValues | kIndexNodeChilds));

  for (const std::string* bytes : {&post, &pre}) {
    IndexFile f;
    std::string err;
    REQUIRE(f.open_bytes(*bytes, "mem.bin", &err));
    CHECK(dump_of(f) == want);
    for (auto& [key, vals] : by_key) {
      std::vector<IndexValue> got;
      REQUIRE(f.lookup_all(key, &got, &err));
      REQUIRE(got.size() == vals.size());
      for (size_t i = 0; i < got.size(); i++) {
        CHECK(got[i].value == vals[i].value);
        CHECK(got[i].priority == vals[i].priority);
      }
      IndexValue first;
      bool found = false;
      REQUIRE(f.lookup(key, &first, &found, &err));
      CHECK(found);
      CHECK(first.value == vals[0].value);
    }
    for (const char* absent : {"d", "ab_ca_b_cz", "manyx", "man", "zz", "a-much-longer-key"}) {
      if (by_key.count(absent)) continue;
      IndexValue v;
      bool found = true;
      REQUIRE(f.lookup(absent, &v, &found, &err));
      CHECK_FALSE(found);
    }
  }
}

TEST_CASE("index wildcard search matches fnmatch over every stored key", "[index]") {
  std::mt19937 rng(11);
  std::vector<Kv> in;
  auto hex = [&](int n) {
    std::string s;
    for (int i = 0; i < n; i++) s += "01AF"[rng() % 4];
    return s;
  };
  uint32_t prio = 0;  // distinct priorities: a unique expected order
  for (int i = 0; i < 400; i++) {
    std::string k;
    switch (rng() % 5) {
      case 0: k = "pci:v0000" + hex(2) + "d0000" + hex(2) + "sv*sd*bc*sc*i*"; break;
      case 1: k = "pci:v0000" + hex(2) + "d*sv*sd*bc" + hex(2) + "sc*i*"; break;
      case 2: k = "usb:v" + hex(2) + "p" + hex(1) + "d[0-9]*"; break;
      case 3: k = "of:N*T*C" + hex(1) + "?"; break;
      default: k = "plain_" + hex(2); break;
    }
    in.push_back({k, "m" + std::to_string(i), prio++});
  }
  in.push_back({"*", "everything", prio++});
  in.push_back({"pci:*", "any-pci", prio++});
  std::string bytes = make_index(in);
  IndexFile f;
  std::string err;
  REQUIRE(f.open_bytes(bytes, "mem.bin", &err));

  std::vector<std::string> queries = {"", "pci:", "plain_", "nothing", "pci:v00000101d0000AFAFsv1sd2bc01sc3i4"};
  for (int i = 0; i < 200; i++) queries.push_back(concrete(in[rng() % in.size()].key));
  size_t multi = 0;
  for (const std::string& q : queries) {
    INFO(q);
    std::vector<std::pair<uint32_t, std::string>> want;
    for (const Kv& kv : in) {
      bool pattern = kv.key.find_first_of("*?[") != std::string::npos;
      if (pattern ? fnmatch(kv.key.c_str(), q.c_str(), 0) == 0 : kv.key == q) want.push_back({kv.priority, kv.value});
    }
    std::sort(want.begin(), want.end());
    std::vector<std::string> want_vals;
    for (auto& w : want) want_vals.push_back(w.second);
    CHECK(wild(f, q) == want_vals);
    multi += want_vals.size() > 2;
  }
  CHECK(multi > 20);
}

TEST_CASE("index reader agrees with kmod's modprobe on kmod's own files", "[index][.kmod]") {
  std::string dir = require_kmod_tree();
  fs::path d = dir;
  std::string kver = d.filename().string();
  std::string root = d.parent_path().parent_path().parent_path().string();
  std::string modprobe = "modprobe -C /dev/null -d '" + root + "' -S " + kver;
  std::string err;

  IndexFile alias, symbols, dep, builtin, builtin_alias;
  REQUIRE(alias.open((d / "modules.alias.bin").string(), &err));
  REQUIRE(builtin.open((d / "modules.builtin.bin").string(), &err));
  REQUIRE(symbols.open((d / "modules.symbols.bin").string(), &err));
  REQUIRE(dep.open((d / "modules.dep.bin").string(), &err));
  REQUIRE(builtin_alias.open((d / "modules.builtin.alias.bin").string(), &err));

  SECTION("dump equals modprobe -c") {
    std::string out;
    REQUIRE(run(modprobe + " -c", &out) == 0);
    size_t at = out.find("Dumping indexes now:\n\n");
    REQUIRE(at != std::string::npos);
    std::string want = out.substr(at + 22);
    std::string ours;
    for (const IndexFile* f : {&alias, &symbols})
      for (const Kv& kv : dump_of(*f)) ours += "alias " + kv.key + " " + kv.value + "\n";
    CHECK(ours.size() > 100);
    CHECK(ours == want);
  }

  SECTION("dependency lines give modprobe's load order") {
    for (const char* name : {"mod_b", "mod_e", "mod_a"}) {
      INFO(name);
      IndexValue v;
      bool found = false;
      REQUIRE(dep.lookup(name, &v, &found, &err));
      REQUIRE(found);
      // "path: dep1 dep2" -> load the deps last to first, then the module.
      std::vector<std::string> words;
      std::string line(v.value);
      size_t colon = line.find(':');
      std::string self = line.substr(0, colon);
      std::string rest = line.substr(colon + 1);
      size_t pos = 0;
      while ((pos = rest.find_first_not_of(' ', pos)) != std::string::npos) {
        size_t end = rest.find(' ', pos);
        words.push_back(rest.substr(pos, end - pos));
        pos = end;
      }
      std::string ours;
      for (auto it = words.rbegin(); it != words.rend(); ++it) ours += "insmod " + (d / *it).string() + " \n";
      ours += "insmod " + (d / self).string() + " \n";
      std::string out;
      REQUIRE(run(modprobe + " --show-depends " + name, &out) == 0);
      CHECK(ours == out);
    }
  }

  SECTION("alias lookups resolve like modprobe -R") {
    // Queries built from every stored alias pattern (each hits
    // modules.alias.bin or modules.builtin.alias.bin; no module or
    // builtin is named like them), plus some that hit nothing.
    std::set<std::string> queries = {"test-c-foo", "test_y_c", "pci:v00001234d0000ABCDsv1sd2bc3sc4i5", "nosuch:alias"};
    for (const IndexFile* f : {&alias, &builtin_alias})
      for (const Kv& kv : dump_of(*f)) queries.insert(concrete(kv.key));
    std::vector<std::string> asked;
    std::vector<std::vector<std::string>> want;
    size_t multi = 0;
    for (const std::string& q0 : queries) {
      std::string q = normalize_alias(q0).value_or("");
      if (q.empty() || q.find('\'') != std::string::npos) continue;
      IndexValue v;
      bool found = false;
      REQUIRE(dep.lookup(q, &v, &found, &err));
      if (found) continue;  // resolved as a module name, not an alias
      // libkmod's order: modules.alias.bin, modules.builtin.bin (exact),
      // modules.builtin.alias.bin.
      std::vector<std::string> ours = wild(alias, q);
      if (ours.empty()) {
        REQUIRE(builtin.lookup(q, &v, &found, &err));
        if (found) ours = {q};
      }
      if (ours.empty()) ours = wild(builtin_alias, q);
      asked.push_back(q0);
      want.push_back(ours);
      multi += ours.size() > 1;
    }
    CHECK(resolve_all(modprobe, asked, "mod_e") == want);
    size_t compared = asked.size();
    CHECK(compared > 100);
    CHECK(multi > 10);  // equal-priority builtin aliases: libkmod's tie order
  }
}

TEST_CASE("index reader handles empty and missing files", "[index]") {
  char tmpl[] = "/tmp/mng-index-read-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  fs::path dir = tmpl;
  std::string err;
  int e = 0;

  write_file(dir / "empty.bin", "");
  IndexFile f;
  REQUIRE(f.open((dir / "empty.bin").string(), &err, &e));
  CHECK(f.empty());
  std::vector<IndexValue> vals;
  CHECK(f.search_wild("anything", &vals, &err));
  CHECK(vals.empty());
  CHECK(dump_of(f).empty());

  IndexFile g;
  CHECK_FALSE(g.open((dir / "missing.bin").string(), &err, &e));
  CHECK(e == ENOENT);
  CHECK(err.find("missing.bin") != std::string::npos);

  // kmod's empty index (header and a bare root) opens and holds nothing.
  write_file(dir / "bare.bin", make_index({}));
  IndexFile h;
  REQUIRE(h.open((dir / "bare.bin").string(), &err));
  CHECK_FALSE(h.empty());
  CHECK(dump_of(h).empty());
  IndexValue v;
  bool found = true;
  CHECK(h.lookup("", &v, &found, &err));
  CHECK_FALSE(found);

  CHECK_FALSE(g.open(dir.string(), &err));  // a directory
  fs::remove_all(dir);
}

TEST_CASE("index reader refuses a FIFO or a device without waiting", "[index]") {
  TempDir d;
  std::string err;
  int e = 0;
  REQUIRE(mkfifo((d.path + "/modules.dep.bin").c_str(), 0600) == 0);
  IndexFile f;
  CHECK_FALSE(f.open(d.path + "/modules.dep.bin", &err, &e));
  CHECK(e == EINVAL);
  CHECK(err == d.path + "/modules.dep.bin: not a regular file");
  CHECK_FALSE(f.open("/dev/zero", &err, &e));
  CHECK(e == EINVAL);
}

namespace {

std::string be(uint32_t v) {
  std::string s(4, '\0');
  s[0] = static_cast<char>(v >> 24);
  s[1] = static_cast<char>(v >> 16);
  s[2] = static_cast<char>(v >> 8);
  s[3] = static_cast<char>(v);
  return s;
}

std::string header(uint32_t root, uint32_t magic = kIndexMagic, uint32_t version = kIndexVersion) {
  return be(magic) + be(version) + be(root);
}

// Runs every operation; returns false when any reported an error.  Each
// call must come back (no crash, no hang) whatever the bytes are.
bool exercise(const std::string& bytes, std::string* first_err) {
  IndexFile f;
  std::string err;
  if (!f.open_bytes(bytes, "corrupt.bin", &err)) {
    *first_err = err;
    return false;
  }
  bool ok = true;
  std::vector<IndexEntry> all;
  ok &= f.dump(&all, &err);
  std::vector<IndexValue> vals;
  for (const char* q : {"", "a", "pci:v00001234d0000ABCDsv1sd2bc3sc4i5", "mod_b", "zzzz", "x-y"}) {
    IndexValue v;
    bool found;
    ok &= f.lookup(q, &v, &found, &err);
    ok &= f.lookup_all(q, &vals, &err);
    ok &= f.search_wild(q, &vals, &err);
  }
  if (!ok) *first_err = err;
  return ok;
}

}  // namespace

TEST_CASE("index reader rejects bad headers with clear messages", "[index]") {
  IndexFile f;
  std::string err;
  CHECK_FALSE(f.open_bytes(header(12, 0x12345678), "x.bin", &err));
  CHECK(err.find("x.bin") != std::string::npos);
  CHECK(err.find("magic") != std::string::npos);
  CHECK_FALSE(f.open_bytes(header(12, kIndexMagicOld), "x.bin", &err));
  CHECK(err.find("module-init-tools") != std::string::npos);
  CHECK_FALSE(f.open_bytes(header(12, kIndexMagic, 0x00030001), "x.bin", &err));
  CHECK(err.find("version 3.1") != std::string::npos);
  CHECK_FALSE(f.open_bytes(header(12, kIndexMagic, 0x00010001), "x.bin", &err));
  CHECK_FALSE(f.open_bytes(header(12).substr(0, 11), "x.bin", &err));
  CHECK(err.find("truncated") != std::string::npos);
  CHECK_FALSE(f.open_bytes(header(13), "x.bin", &err));  // root past the end
  CHECK_FALSE(f.open_bytes(header(4), "x.bin", &err));   // root inside the header
  // Another minor version is fine (libkmod ignores it).
  CHECK(f.open_bytes(header(12, kIndexMagic, 0x00020007), "x.bin", &err));
}

TEST_CASE("index reader survives truncated and damaged files", "[index]") {
  std::vector<Kv> in;
  for (int i = 0; i < 60; i++)
    in.push_back({(i % 3 ? "pci:v0000" : "a") + std::to_string(i * 7) + (i % 4 ? "*" : ""), "mod" + std::to_string(i), static_cast<uint32_t>(i)});
  for (IndexLayout layout : {IndexLayout::post_order, IndexLayout::pre_order}) {
    std::string good = make_index(in, layout);
    std::string err;
    REQUIRE(exercise(good, &err));
    // Every truncation cuts a node that a full dump has to read.
    for (size_t len = 1; len < good.size(); len++) {
      INFO(len);
      CHECK_FALSE(exercise(good.substr(0, len), &err));
      CHECK(err.find("corrupt.bin") != std::string::npos);
    }
    // Random damage: any answer or an error, never a crash or a hang.
    std::mt19937 rng(layout == IndexLayout::post_order ? 1 : 2);
    size_t errors = 0;
    for (int i = 0; i < 3000; i++) {
      std::string bad = good;
      int n = 1 + rng() % 4;
      for (int k = 0; k < n; k++) bad[12 + rng() % (bad.size() - 12)] = static_cast<char>(rng());
      errors += !exercise(bad, &err);
    }
    CHECK(errors > 100);
  }
}

TEST_CASE("index reader stops on offsets that loop or point outside", "[index]") {
  std::string err;
  // root(12): children 'a'..'a' -> X(18); X: children 'a'..'a' -> X, one value.
  const uint32_t x = 18 | kIndexNodeChilds | kIndexNodeValues;
  std::string loop = header(12 | kIndexNodeChilds) + "aa" + be(x) + "aa" + be(x) + be(1) + be(0) + std::string("v", 2);
  IndexFile f;
  REQUIRE(f.open_bytes(loop, "loop.bin", &err));
  std::vector<IndexEntry> all;
  CHECK_FALSE(f.dump(&all, &err));
  CHECK(err.find("loop.bin") != std::string::npos);
  CHECK(err.find("loop") != std::string::npos);
  // Exact lookups end anyway (one step per key character); a short one
  // answers, one longer than the file could hold as a tree is an error.
  IndexValue v;
  bool found = false;
  CHECK(f.lookup("aaa", &v, &found, &err));
  CHECK(found);
  CHECK_FALSE(f.lookup(std::string(5000, 'a'), &v, &found, &err));
  CHECK(err.find("loop") != std::string::npos);

  // The same loop behind a '*' child is walked by the wildcard search.
  const uint32_t w = 18 | kIndexNodeChilds | kIndexNodeValues;
  std::string star = header(12 | kIndexNodeChilds) + "**" + be(w) + "**" + be(w) + be(1) + be(0) + std::string("v", 2);
  REQUIRE(f.open_bytes(star, "star.bin", &err));
  std::vector<IndexValue> vals;
  CHECK_FALSE(f.search_wild("abc", &vals, &err));
  CHECK(err.find("star.bin") != std::string::npos);

  // A child offset beyond the end of the file.
  std::string out = header(12 | kIndexNodeChilds) + "aa" + be(4000 | kIndexNodeValues);
  REQUIRE(f.open_bytes(out, "out.bin", &err));
  CHECK_FALSE(f.dump(&all, &err));
  CHECK(err.find("out of range") != std::string::npos);
  CHECK_FALSE(f.lookup("a", &v, &found, &err));

  // A value count far larger than the file.
  std::string count = header(12 | kIndexNodeValues) + be(0x7fffffff) + be(0) + std::string("v", 2);
  REQUIRE(f.open_bytes(count, "count.bin", &err));
  CHECK_FALSE(f.lookup("", &v, &found, &err));
  CHECK(err.find("value count") != std::string::npos);

  // first > last in a child table.
  std::string order = header(12 | kIndexNodeChilds) + "ba" + be(0) + be(0);
  REQUIRE(f.open_bytes(order, "order.bin", &err));
  CHECK_FALSE(f.dump(&all, &err));
}

// The Debian amd64 tree prepared by tests/check-index.sh (hidden tag).
TEST_CASE("index reader agrees with modprobe on a full distribution tree", "[.index-tree]") {
  const char* env = getenv("MNG_INDEX_TREE");
  REQUIRE(env != nullptr);
  fs::path d = env;
  std::string kver = d.filename().string();
  std::string root = d.parent_path().parent_path().parent_path().string();
  std::string modprobe = "modprobe -C /dev/null -d '" + root + "' -S " + kver;
  std::string err, out;
  IndexFile alias, symbols, dep;
  REQUIRE(alias.open((d / "modules.alias.bin").string(), &err));
  REQUIRE(symbols.open((d / "modules.symbols.bin").string(), &err));
  REQUIRE(dep.open((d / "modules.dep.bin").string(), &err));

  REQUIRE(run(modprobe + " -c", &out) == 0);
  size_t at = out.find("Dumping indexes now:\n\n");
  REQUIRE(at != std::string::npos);
  std::string ours;
  std::vector<Kv> aliases = dump_of(alias);
  for (const Kv& kv : aliases) ours += "alias " + kv.key + " " + kv.value + "\n";
  for (const Kv& kv : dump_of(symbols)) ours += "alias " + kv.key + " " + kv.value + "\n";
  CHECK(ours == out.substr(at + 22));

  // Every stored alias, made concrete, as modprobe -R resolves it.  The
  // separator is a module that no alias names.
  std::set<std::string> targets;
  for (const Kv& kv : aliases) targets.insert(kv.value);
  std::string sep;
  for (const Kv& kv : dump_of(dep))
    if (!targets.count(kv.key)) {
      sep = kv.key;
      break;
    }
  REQUIRE(!sep.empty());
  std::vector<std::string> asked;
  std::vector<std::vector<std::string>> want;
  for (const Kv& kv : aliases) {
    std::string q = concrete(kv.key);
    if (q.find('\'') != std::string::npos || (!asked.empty() && asked.back() == q)) continue;
    IndexValue v;
    bool found;
    REQUIRE(dep.lookup(q, &v, &found, &err));
    if (found) continue;
    asked.push_back(q);
    want.push_back(wild(alias, q));
  }
  CHECK(asked.size() > 10000);
  auto got = resolve_all(modprobe, asked, sep);
  REQUIRE(got.size() == want.size());
  size_t bad = 0;
  for (size_t i = 0; i < got.size(); i++)
    if (got[i] != want[i] && bad++ < 5) {
      INFO(asked[i]);
      CHECK(got[i] == want[i]);
    }
  CHECK(bad == 0);

  // One exact lookup and its dependency line, including open and mmap.
  auto t0 = std::chrono::steady_clock::now();
  IndexFile f;
  REQUIRE(f.open((d / "modules.dep.bin").string(), &err));
  IndexValue v;
  bool found = false;
  REQUIRE(f.lookup("snd_hda_intel", &v, &found, &err));
  std::string line(v.value);
  auto t1 = std::chrono::steady_clock::now();
  CHECK(found);
  CHECK(line.find("kernel/sound/pci/hda/snd-hda-intel.ko:") == 0);
  printf("open + mmap + lookup of snd_hda_intel in modules.dep.bin: %.3f ms\n",
         std::chrono::duration<double, std::milli>(t1 - t0).count());
}
