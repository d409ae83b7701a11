// SPDX-License-Identifier: GPL-2.0-or-later
// modutils' merging of module options (doc/compat.md, modutils modprobe: loading and options).
//
// Groups are applied in order: the module's own `options`, then those of
// each alias from the module back toward the requested name, then (mixed
// configurations) modprobe.d / kernel command line options, then the
// command line's sym=value words.  Within a group:
//   "-o NAME"  replaces an earlier -o value, or is appended;
//   key=value  replaces, in place, an earlier word starting "key=", or is
//              appended;
//   any other word ends the group (modutils stopped there) - except in
//              modprobe.d groups, whose plain words (boolean parameters)
//              are appended once.
#pragma once
#include <string>
#include <vector>

namespace mng {

struct MergedOptions {
  std::vector<std::string> words;  // as merged, "-o" and its value included

  // Adds one group.  STOP_AT_PLAIN: modutils' rule for plain words.
  void add_group(const std::vector<std::string>& group, bool stop_at_plain);
  // The -o value, "" if none.
  std::string object_name() const;
  // What goes to the kernel: the words without "-o NAME", values with
  // spaces put in double quotes as kmod does.
  std::string kernel_params() const;
};

}  // namespace mng
