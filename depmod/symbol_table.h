// SPDX-License-Identifier: GPL-2.0-or-later
// A map from names to values for depmod's symbol resolution: every
// exported symbol of a tree (tens of thousands) is stored once and
// looked up once per import (a hundred thousand and more).  Open
// addressing in one array, with the hash kept beside each name, so a
// lookup is one hash and, nearly always, one cache line; std::unordered_map
// spent several milliseconds per run allocating nodes and following them.
// The names are not copied: they must outlive the table.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/superfast_hash.h"

namespace mng {

template <typename V>
class NameTable {
 public:
  // Room for EXPECTED names without growing.
  explicit NameTable(size_t expected = 0) { reset(expected); }

  // The value stored for NAME, made (value-initialised) when there is none.
  V& operator[](std::string_view name) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const uint32_t h = superfast_hash(name);
    Slot& s = slots_[probe(name, h)];
    if (!s.name) {
      s = Slot{name.empty() ? "" : name.data(), static_cast<uint32_t>(name.size()), h, V{}};
      ++count_;
    }
    return s.value;
  }
  // Null when NAME has no value.
  const V* find(std::string_view name) const {
    const Slot& s = slots_[probe(name, superfast_hash(name))];
    return s.name ? &s.value : nullptr;
  }
  size_t size() const { return count_; }
  // F(name, hash, value) for every name, in no particular order; the hash
  // is superfast_hash(name), kmod's.
  template <typename F>
  void for_each(F f) const {
    for (const Slot& s : slots_)
      if (s.name) f(std::string_view(s.name, s.len), s.hash, s.value);
  }

 private:
  struct Slot {
    const char* name = nullptr;  // null: the slot is free
    uint32_t len = 0, hash = 0;
    V value{};
  };
  void reset(size_t expected) {
    size_t n = 16;
    while (n < expected * 2) n *= 2;
    slots_.assign(n, Slot{});
    count_ = 0;
  }
  // The slot holding NAME, or the empty one where it would go.
  size_t probe(std::string_view name, uint32_t h) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (!s.name || (s.hash == h && s.len == name.size() && std::memcmp(s.name, name.data(), s.len) == 0))
        return i;
    }
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    reset(old.size());
    for (Slot& s : old)
      if (s.name) {
        slots_[probe(std::string_view(s.name, s.len), s.hash)] = s;
        ++count_;
      }
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace mng
