// SPDX-License-Identifier: GPL-2.0-or-later
// The module files modutils' modprobe sees: a walk over the path[]
// directories (doc/compat.md, modutils depmod: directories), tags, and name patterns.
//
// Walk: each path entry in order; a missing directory is skipped; an
// entry that is itself a symbolic link is resolved, any other is used as
// written (a symlinked parent such as /lib -> usr/lib is not resolved).
// The entry is "type 1" when it directly holds a subdirectory named like
// one of the 18 module types (kernel fs net ...) and does not itself end in
// /kernel: then names on the prune list are skipped and the known type
// subdirectories come first, then other subdirectories, then files.  This
// is decided once per path entry: in a "type 2" entry, and in every
// directory below any entry, everything comes in strcmp order,
// subdirectories walked where they stand, nothing pruned.  Symbolic links
// to directories are not followed; a symlinked file is listed by its real
// path; each path is listed once.  Depth is limited to 64.
// Unlike modutils, only module files are listed (*.o, *.o.gz, *.mod,
// *.ko and *.ko.gz/.xz/.zst): a 2.6+ module directory also holds indexes
// and lists that are not modules.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "conf/config_model.h"

namespace mng {

struct WalkedFile {
  std::string path;  // as walked (a symlinked file: its real path)
  std::string tag;   // tag of the path entry it was found under
};

std::vector<WalkedFile> walk_module_paths(const std::vector<SearchPath>& paths, const std::vector<std::string>& prune);

// True when FILE has tag TAG: it lies under a path[TAG] directory, or its
// path (ROOT stripped) contains "/TAG/".
bool file_has_tag(const WalkedFile& file, const std::string& tag, const std::vector<SearchPath>& paths,
                  const std::string& root);

// The module files a modprobe operand names: modutils tries "<pat>.o",
// then "<pat>.o.gz", then "<pat>" against the file names (the first that
// matches anything wins); here "<pat>.ko" (against names with a .gz, .xz
// or .zst suffix dropped) comes after "<pat>.o.gz".  An operand with a
// '/' names a file.
std::vector<WalkedFile> match_operand(const std::vector<WalkedFile>& files, const std::string& pattern);

// Name part of a module file: the base name without .o, .o.gz, .mod,
// .ko[.gz|.xz|.zst].
std::string module_stem(std::string_view path);
bool is_module_file_name(std::string_view name);

}  // namespace mng
