// SPDX-License-Identifier: GPL-2.0-or-later
// The binary indexes depmod writes beside the text files, in kmod's trie
// format (common/index_write.h), for kmod's modprobe, udev and systemd.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/index_write.h"
#include "depmod/output_set.h"
#include "depmod/text_output.h"

namespace mng {

// modules.dep.bin, modules.alias.bin and modules.symbols.bin, each on its
// own so that only one index is held at a time.  DEP_LINES are the lines
// of modules.dep.  WARN_DUPS reports repeated entries (-w).  LAYOUT: where
// the nodes go in every index (--index-layout).
bool build_dep_index(const DepmodTree& t, const std::vector<std::string>& dep_lines, bool warn_dups,
                     IndexLayout layout, OutputFile* out);
bool build_alias_index(const DepmodTree& t, bool warn_dups, IndexLayout layout, OutputFile* out);
bool build_symbols_index(const DepmodTree& t, bool warn_dups, IndexLayout layout, OutputFile* out);

// modules.builtin.bin from DIR/modules.builtin and modules.builtin.alias.bin
// from DIR/modules.builtin.modinfo, both read relative to DIR opened once.
// A missing source gives a warning and an empty file, as with kmod.
// The same from the text of modules.builtin (one path per line) and of
// modules.builtin.modinfo ("modname.key=value" records, NUL-terminated).
// False after a message when a line or record could not be indexed.
bool builtin_index_from_text(std::string_view text, IndexLayout layout, OutputFile* out);
bool builtin_alias_index_from_text(std::string_view text, IndexLayout layout, OutputFile* out);

bool build_builtin_indexes(const std::string& dir, IndexLayout layout, OutputFile* builtin_bin,
                           OutputFile* builtin_alias_bin);

}  // namespace mng
