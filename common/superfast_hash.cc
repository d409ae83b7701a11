// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/superfast_hash.h"

#include <cstring>

namespace mng {
namespace {
uint32_t word16(const char* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
// kmod adds plain (signed) chars; keep that for bytes >= 0x80.
uint32_t schar(char c) { return static_cast<uint32_t>(static_cast<int32_t>(static_cast<signed char>(c))); }
}  // namespace

uint32_t superfast_hash(std::string_view key) {
  const char* p = key.data();
  uint32_t len = static_cast<uint32_t>(key.size());
  uint32_t hash = len;
  uint32_t rem = len & 3;
  for (len >>= 2; len > 0; --len, p += 4) {
    hash += word16(p);
    uint32_t tmp = (word16(p + 2) << 11) ^ hash;
    hash = (hash << 16) ^ tmp;
    hash += hash >> 11;
  }
  switch (rem) {
    case 3:
      hash += word16(p);
      hash ^= hash << 16;
      hash ^= schar(p[2]) << 18;
      hash += hash >> 11;
      break;
    case 2:
      hash += word16(p);
      hash ^= hash << 11;
      hash += hash >> 17;
      break;
    case 1:
      hash += schar(p[0]);
      hash ^= hash << 10;
      hash += hash >> 1;
      break;
  }
  hash ^= hash << 3;
  hash += hash >> 5;
  hash ^= hash << 4;
  hash += hash >> 17;
  hash ^= hash << 25;
  hash += hash >> 6;
  return hash;
}

}  // namespace mng
