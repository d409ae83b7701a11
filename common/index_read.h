// SPDX-License-Identifier: GPL-2.0-or-later
// Reading kmod's binary trie indexes (format: common/index_write.h).
//
// The file is mapped read-only and walked lazily by following offsets
// only, so both node layouts work: post-order (kmod <= 33) and pre-order
// (kmod >= 34).  Every offset, count and string is bounds-checked; a
// corrupt file makes an operation fail with a message naming the file,
// never crash or loop (walks are limited to as many nodes as the file
// could hold as a tree).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mng {

// A value as stored; the view points into the mapped file and is valid
// as long as the IndexFile it came from.
struct IndexValue {
  std::string_view value;
  uint32_t priority;
};

// One (key, value) pair of a dump, owning its text.
struct IndexEntry {
  std::string key;
  std::string value;
  uint32_t priority;
};

class IndexFile {
 public:
  IndexFile() = default;
  IndexFile(IndexFile&& o) noexcept;
  IndexFile& operator=(IndexFile&& o) noexcept;
  IndexFile(const IndexFile&) = delete;
  IndexFile& operator=(const IndexFile&) = delete;
  ~IndexFile();

  // Maps PATH and checks its header.  A 0-byte file opens fine as an empty
  // index (depmod publishes those for missing builtin lists).  On failure
  // *err is "<path>: <reason>" (including strerror for open failures) and
  // *errno_out (if given) the errno, e.g. ENOENT for a missing file.
  bool open(const std::string& path, std::string* err, int* errno_out = nullptr);
  // Same over bytes owned by the caller, which must outlive this object.
  // NAME stands for the path in messages.
  bool open_bytes(std::string_view bytes, std::string name, std::string* err);

  bool is_open() const { return open_; }
  // True for a 0-byte file: every lookup finds nothing.
  bool empty() const { return size_ == 0; }
  const std::string& path() const { return path_; }

  // All operations below return false with *err set only when the file
  // turns out to be corrupt; "not found" is a successful answer.

  // Exact KEY: its first value (the lowest priority), as libkmod's
  // index_search.  *found tells whether the key has a value.
  bool lookup(std::string_view key, IndexValue* out, bool* found, std::string* err) const;
  // Exact KEY: all its values in stored order (ascending priority).
  bool lookup_all(std::string_view key, std::vector<IndexValue>* out, std::string* err) const;
  // libkmod's index_searchwild: stored keys containing '*', '?' or '[' are
  // fnmatch(3) patterns matched against KEY, other stored keys must equal
  // it.  *out gets every matching value ordered by ascending priority;
  // equal priorities come in libkmod's order (the one met later in its
  // walk first).
  bool search_wild(std::string_view key, std::vector<IndexValue>* out, std::string* err) const;
  // Every stored (key, value) in key byte order (a key before the keys it
  // is a prefix of), values in stored order, as modprobe -c dumps them.
  bool dump(const std::function<void(std::string_view key, const IndexValue& v)>& fn, std::string* err) const;
  bool dump(std::vector<IndexEntry>* out, std::string* err) const;

  struct Node;  // a parsed node (internal)

 private:
  bool check_header(std::string* err);
  bool read_node(uint32_t flagged, Node* n, std::string* err) const;
  bool fail(std::string* err, const std::string& what, uint64_t at) const;

  const unsigned char* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  bool open_ = false;
  uint32_t root_ = 0;  // flagged root offset
  std::string path_;

  friend struct IndexWalker;
};

}  // namespace mng
