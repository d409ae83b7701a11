// SPDX-License-Identifier: GPL-2.0-or-later
// Paul Hsieh's SuperFastHash, as kmod's hash tables use it.  kmod writes
// modules that are not in modules.order, and modules.symbols, in the
// iteration order of those tables (bucket by bucket, keys sorted by
// strcmp inside a bucket), so reproducing that order needs the same hash.
// Like kmod it reads 16-bit words in host byte order.
#pragma once
#include <cstdint>
#include <string_view>

namespace mng {

uint32_t superfast_hash(std::string_view key);

// Bucket of KEY in a kmod hash table with N_BUCKETS (a power of two).
inline uint32_t kmod_bucket(std::string_view key, uint32_t n_buckets) {
  return superfast_hash(key) & (n_buckets - 1);
}

}  // namespace mng
