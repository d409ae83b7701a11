// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: kmod's binary trie index reader (common/index_read.h) on
// arbitrary bytes: header check, exact and wildcard lookups, full dump.
//
// Invariants: a corrupt index makes an operation fail with a message that
// names the file; keys found by a dump are found again by lookup_all (when
// the dump succeeded and the index is consistent enough for both walks).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/index_read.h"
#include "fuzz/fuzz_util.h"

namespace {
const char kName[] = "modules.alias.bin";

void check_err(bool ok, const std::string& err) {
  if (!ok) FUZZ_CHECK(err.rfind(kName, 0) == 0);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  // The reader keeps a view of the bytes; they live until we return.
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mng::IndexFile idx;
  std::string err;
  if (!idx.open_bytes(bytes, kName, &err)) {
    FUZZ_CHECK(err.rfind(kName, 0) == 0);
    return 0;
  }

  std::vector<mng::IndexEntry> dump;
  err.clear();
  bool dumped = idx.dump(&dump, &err);
  check_err(dumped, err);

  static const char* const kProbe[] = {
      "", "a", "mod_a", "sym_a", "symbol:sym_b", "pci:v00008086d00001234sv*", "usb:v1D6Bp0002d0606dc09dsc00dp03ic09isc00ip00in00",
      "char_major_10_229", "*", "[", "a\\", "fs-ext4",
  };
  std::vector<std::string> keys(std::begin(kProbe), std::end(kProbe));
  for (size_t i = 0; i < dump.size() && i < 32; ++i) keys.push_back(dump[i].key);

  // What a successful dump lists, an exact lookup finds.
  if (dumped) {
    for (size_t i = 0; i < dump.size() && i < 32; ++i) {
      std::vector<mng::IndexValue> vals;
      err.clear();
      bool ok = idx.lookup_all(dump[i].key, &vals, &err);
      check_err(ok, err);
      if (!ok) continue;
      bool seen = false;
      for (const auto& v : vals) seen |= v.value == dump[i].value && v.priority == dump[i].priority;
      FUZZ_CHECK(seen);
    }
  }

  for (const auto& k : keys) {
    mng::IndexValue v;
    bool found = false;
    err.clear();
    check_err(idx.lookup(k, &v, &found, &err), err);
    std::vector<mng::IndexValue> vals;
    err.clear();
    bool ok = idx.lookup_all(k, &vals, &err);
    check_err(ok, err);
    err.clear();
    check_err(idx.search_wild(k, &vals, &err), err);
  }
  return 0;
}
