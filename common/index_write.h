// SPDX-License-Identifier: GPL-2.0-or-later
// Writing kmod's binary trie indexes (modules.dep.bin, modules.alias.bin,
// modules.symbols.bin, modules.builtin.bin, modules.builtin.alias.bin).
//
// File format (all integers big-endian u32):
//   header: magic 0xB007F457, version 0x00020001, root node offset
//   node offsets: low 28 bits = file offset, high nibble = which fields
//   the node has (PREFIX, CHILDS, VALUES); 0 means "no node".
//   node: [prefix NUL-terminated] [u8 first, u8 last, u32 child[last-first+1]]
//         [u32 count, {u32 priority, value NUL-terminated} * count]
// A node's prefix holds the key characters after the edge character that
// leads to it; a key's values sit in the node where the key ends.
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

inline constexpr uint32_t kIndexMagic = 0xB007F457;
inline constexpr uint32_t kIndexMagicOld = 0xB007FA57;  // module-init-tools, no version word
inline constexpr uint32_t kIndexVersion = 0x00020001;   // major 2, minor 1
inline constexpr uint32_t kIndexVersionMajor = 2;
inline constexpr uint32_t kIndexNodePrefix = 0x80000000;
inline constexpr uint32_t kIndexNodeValues = 0x40000000;
inline constexpr uint32_t kIndexNodeChilds = 0x20000000;
inline constexpr uint32_t kIndexNodeFlags = 0xF0000000;
inline constexpr uint32_t kIndexNodeMask = 0x0FFFFFFF;
inline constexpr size_t kIndexHeaderSize = 12;

// Where nodes go in the file.  Readers only follow offsets, so both are
// valid; post_order is what kmod <= 33 (Debian's kmod 30) writes and is the
// default so our files are byte-identical to the reference.
enum class IndexLayout {
  post_order,  // children (ascending character) before their parent, root last
  pre_order,   // kmod >= 34: root at offset 12, each node followed by its subtrees
};

// Collects key -> value entries, then serialises them in one go.  Entries
// are kept in a byte arena; serialising sorts them and walks the radix
// trie of the sorted keys, writing each node as soon as its children are
// written (kmod 30's order), so no trie is ever built: one sort plus a
// linear pass, with no allocation per node or per character.
class IndexBuilder {
 public:
  // NAME (e.g. "modules.alias.bin") is only used in error messages.
  explicit IndexBuilder(std::string name = {}) : name_(std::move(name)) {}

  // Adds KEY -> VALUE.  The values of one key end up ordered by ascending
  // PRIORITY; for equal priorities the entry added later comes first (as
  // kmod's writer does).  Keys and values must be 7-bit ASCII without NUL:
  // otherwise nothing is added, false is returned and *err says which
  // index, key and byte.  Duplicate entries are kept, like kmod does.
  bool add(std::string_view key, std::string_view value, uint32_t priority, std::string* err);

  // Optional: pre-sizes the entry table for N entries.
  void reserve(size_t n) { entries_.reserve(n); }

  size_t size() const { return entries_.size(); }
  const std::string& name() const { return name_; }

  // Writes the whole file into *out (replacing it).  Fails only when the
  // file would not fit 28-bit offsets (256 MiB); *err then says so.
  bool serialize(std::string* out, std::string* err, IndexLayout layout = IndexLayout::post_order) const;
  // Same bytes, written to F through stdio without holding the whole file
  // in memory.  Also fails (with strerror in *err) when a write fails; the
  // caller still has to fclose/fflush and check that.
  bool write(FILE* f, std::string* err, IndexLayout layout = IndexLayout::post_order) const;

  // One added entry (internal): its key, directly followed by its value,
  // lives in the arena below; its position in entries_ is the add order.
  struct Entry {
    const char* key;
    uint32_t key_len, val_len;
    uint32_t priority;
    const char* value() const { return key + key_len; }
  };

 private:
  const char* store(std::string_view a, std::string_view b);

  std::string name_;
  // Text is copied into fixed-size chunks that never move, so growing
  // costs no copies of what is already stored.
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* chunk_pos_ = nullptr;
  size_t chunk_left_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace mng
