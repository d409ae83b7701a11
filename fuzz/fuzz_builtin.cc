// SPDX-License-Identifier: GPL-2.0-or-later
// Fuzz target: modules.builtin and modules.builtin.modinfo as depmod
// turns them into modules.builtin.bin and modules.builtin.alias.bin
// (depmod/index_output.h).  The first input byte chooses the file.
//
// Invariants: a successful build gives an index the reader
// (common/index_read.h) opens and dumps without error; for
// modules.builtin, every line that starts with a letter is a key of it.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/index_read.h"
#include "common/modname.h"
#include "depmod/index_output.h"
#include "fuzz/fuzz_util.h"

namespace {
std::vector<mng::IndexEntry> read_back(const mng::OutputFile& f) {
  mng::IndexFile idx;
  std::string err;
  FUZZ_CHECK(idx.open_bytes(f.data, f.name, &err));
  std::vector<mng::IndexEntry> dump;
  FUZZ_CHECK(idx.dump(&dump, &err));
  return dump;
}

void builtin(std::string_view text) {
  mng::OutputFile out;
  if (!mng::builtin_index_from_text(text, mng::IndexLayout::post_order, &out)) return;
  std::vector<mng::IndexEntry> dump = read_back(out);
  size_t pos = 0, checked = 0;
  while (pos < text.size() && checked < 16) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) continue;
    std::string key = mng::modname_from_path(line);
    bool found = false;
    for (const auto& e : dump) found |= e.key == key;
    FUZZ_CHECK(found);
    ++checked;
  }
}

void modinfo(std::string_view text) {
  mng::OutputFile out;
  if (mng::builtin_alias_index_from_text(text, mng::IndexLayout::post_order, &out)) read_back(out);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mng::fuzz::quiet_logs();
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1)
    modinfo(text);
  else
    builtin(text);
  return 0;
}
