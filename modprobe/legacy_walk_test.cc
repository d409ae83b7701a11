// SPDX-License-Identifier: GPL-2.0-or-later
// The legacy directory walk as modutils 2.4 does it: the type 1 rule is
// decided once per path[] entry, everything below comes in strcmp order
// with nothing pruned, and only a path[] entry that is itself a symbolic
// link is resolved.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "modprobe/legacy_walk.h"
#include "tests/test_util.h"

using namespace mng;
using namespace mng::testing;

namespace {

using Strings = std::vector<std::string>;

Strings relative(const std::vector<WalkedFile>& files, const std::string& base) {
  Strings out;
  for (const auto& f : files)
    out.push_back(f.path.compare(0, base.size() + 1, base + "/") == 0 ? f.path.substr(base.size() + 1) : f.path);
  return out;
}

}  // namespace

TEST_CASE("legacy walk: below the path[] entry, strcmp order and no type 1 rule", "[modprobe][legacy][walk]") {
  TempDir d;
  // drivers/ holds block, cdrom, net and scsi (type names) next to char and
  // parport: modutils walks them all in strcmp order.
  for (const char* f : {"kernel/drivers/block/loop.o", "kernel/drivers/cdrom/cdrom.o", "kernel/drivers/char/lp.o",
                        "kernel/drivers/net/ne.o", "kernel/drivers/parport/parport.o", "kernel/drivers/scsi/sg.o"})
    write_file(d / f, "x");
  auto files = walk_module_paths({{"toplevel", d.path}}, {"build"});
  CHECK(relative(files, d.path) ==
        Strings{"kernel/drivers/block/loop.o", "kernel/drivers/cdrom/cdrom.o", "kernel/drivers/char/lp.o",
                "kernel/drivers/net/ne.o", "kernel/drivers/parport/parport.o", "kernel/drivers/scsi/sg.o"});
}

TEST_CASE("legacy walk: a nested directory named on the prune list is walked", "[modprobe][legacy][walk]") {
  TempDir d;
  // kernel/drivers/ holds net/ (a type name) next to build/.
  for (const char* f : {"kernel/drivers/build/x.o", "kernel/drivers/net/ne.o", "kernel/fs/vfat.o", "build/y.o",
                        "misc/build/z.o"})
    write_file(d / f, "x");
  auto files = walk_module_paths({{"toplevel", d.path}}, {"build"});
  // Top level is type 1 (kernel/, misc/): build/ there is pruned; below
  // it nothing is, so kernel/drivers/build/x.o and misc/build/z.o stay.
  CHECK(relative(files, d.path) ==
        Strings{"kernel/drivers/build/x.o", "kernel/drivers/net/ne.o", "kernel/fs/vfat.o", "misc/build/z.o"});
}

TEST_CASE("legacy walk: a type 2 path[] entry is neither pruned nor reordered", "[modprobe][legacy][walk]") {
  TempDir d;
  for (const char* f : {"b/m.o", "build/n.o", "a.o", "fs/o.o", "x/build/p.o", "x/a/q.o", "x/net/r.o"})
    write_file(d / ("kernel/" + std::string(f)), "x");
  // The entry ends in /kernel: type 2 although it holds fs/; x/ below it
  // holds net/ but is walked in strcmp order all the same.
  auto files = walk_module_paths({{"kernel", d / "kernel"}}, {"build"});
  CHECK(relative(files, d / "kernel") ==
        Strings{"a.o", "b/m.o", "build/n.o", "fs/o.o", "x/a/q.o", "x/build/p.o", "x/net/r.o"});
}

TEST_CASE("legacy walk: path[] names are kept unless the entry itself is a symlink", "[modprobe][legacy][walk]") {
  TempDir d;
  write_file(d / "usr/lib/modules/2.4.20/kernel/fs/a.o", "x");
  write_file(d / "usr/lib/modules/misc/b.o", "x");
  write_file(d / "store/c.o", "x");
  // Merged /usr: lib -> usr/lib.  The configuration says lib/modules/...
  std::filesystem::create_directory_symlink("usr/lib", d / "lib");
  // misc2 is itself a symlink: resolved, as modutils does.
  std::filesystem::create_directory_symlink("usr/lib/modules/misc", d / "misc2");
  // A symlinked module file is listed by its real path.
  std::filesystem::create_symlink(d / "store/c.o", d / "usr/lib/modules/2.4.20/kernel/fs/c.o");
  std::vector<SearchPath> paths = {{"toplevel", d / "lib/modules/2.4.20"}, {"misc", d / "misc2"}};
  auto files = walk_module_paths(paths, {});
  CHECK(relative(files, d.path) ==
        Strings{"lib/modules/2.4.20/kernel/fs/a.o", "store/c.o", "usr/lib/modules/misc/b.o"});
  REQUIRE(files.size() == 3);
  CHECK(file_has_tag(files[0], "toplevel", paths, ""));
  CHECK(file_has_tag(files[2], "misc", paths, ""));
  // An operand with a '/' finds the file by either name.
  CHECK(match_operand(files, d / "usr/lib/modules/2.4.20/kernel/fs/a.o").size() == 1);
  CHECK(match_operand(files, d / "lib/modules/2.4.20/kernel/fs/a.o").size() == 1);
}
