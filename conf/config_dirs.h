// SPDX-License-Identifier: GPL-2.0-or-later
// Listing of configuration files the way kmod merges its *.d directories
// (depmod.d and modprobe.d alike).
//
// Rules (observed with Debian's kmod 30):
// - Each configured path is a directory or a single file, tried in order;
//   earlier paths have higher precedence.  A path that cannot be stat()ed is
//   skipped silently, so are paths that are neither file nor directory.
// - A path naming a regular file is taken as-is, whatever its name
//   (`depmod -C cfg.txt` parses cfg.txt); its basename is what follows the
//   last '/'.
// - Inside a directory, names starting with '.' are skipped silently; names
//   shorter than 6 characters or not ending in an accepted suffix are
//   skipped (depmod says "INFO: All cfg files need .conf: <dir>/<name>");
//   entries that are directories (symlinks followed) give
//   "ERROR: Directories inside directories are not supported: <dir>/<name>".
//   Entries whose stat fails (a dangling symlink) are still listed: kmod only
//   notices when it opens them.
// - The file path is "<dir>/<name>" built literally, so "-C /etc/x.d/" gives
//   "/etc/x.d//a.conf" as kmod prints it.
// - All files are merged into one list sorted by basename (strcmp order); a
//   basename already listed from a higher-precedence path hides the later
//   ones.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace mng {

struct ConfigFile {
  std::string path;      // what to open, root prefix included
  std::string basename;  // sort and shadowing key
};

struct ConfigListOptions {
  // Accepted name endings inside directories.  kmod 30's libkmod (modprobe)
  // also takes ".alias"; kmod 33 and later take ".conf" only.
  std::vector<std::string> suffixes{".conf"};
  // depmod reports skipped names at INFO level; libkmod skips them silently.
  bool report_skipped = true;
};

// Directories in precedence order (kmod's SYSCONFDIR, /run, /usr/local/lib,
// DISTCONFDIR, /lib).  Note that Debian's kmod 30 does not read
// /usr/lib/depmod.d; later kmod releases do.
std::vector<std::string> default_depmod_dirs();
std::vector<std::string> default_modprobe_dirs();

// Returns the files to parse, in parse order.  `root` is prefixed to every
// path (kmod itself does not prefix config paths with depmod -b or
// modprobe -d; pass "" to behave like it).  `injected` entries are placed in
// the sorted list under their own basename, with precedence over every path
// (libkmod inserts DIR/modules.softdep this way, so it hides a -C file of
// the same name); they are not checked for existence.  The messages above
// (and "files list <dir>: <reason>" for a directory that cannot be read) go
// to `diags`, each with the entry's path as its file.
std::vector<ConfigFile> list_config_files(const std::vector<std::string>& paths,
                                          std::string_view root = "",
                                          const std::vector<ConfigFile>& injected = {},
                                          const ConfigListOptions& options = {},
                                          Diagnostics* diags = nullptr);

}  // namespace mng
