// SPDX-License-Identifier: GPL-2.0-or-later
// The modprobe.d language (kmod's libkmod-config), checked against
// Debian's kmod 30 `modprobe -c`.
//
// Lines (kmod getline_wrapped):
// - A backslash-newline pair joins the next physical line without adding
//   anything; a backslash before any other byte is dropped and the byte
//   kept ("a\b" is "ab", "c\\d" is "c\d"); a backslash as the last byte of
//   the file becomes a 0xFF byte.  A logical line ends at its first NUL.
// - Messages name the LAST physical line of a joined line.
// - Empty lines and lines whose FIRST byte is '#' are skipped; an indented
//   '#' is a command named "#" and so a bad line.
// - Tokens are separated by ' ' and '\t' only.
//
// Commands (NAME goes through underscores(): '-' becomes '_' except inside
// [...]; an unmatched '[' or ']' makes the line bad):
//   alias NAME MODNAME        both underscored; further tokens ignored
//   options NAME TEXT         TEXT = the rest after the ONE separator that
//                             follows NAME, tabs turned into spaces, other
//                             spacing kept ("options a   x=1" keeps 2 spaces)
//   install NAME CMD          CMD = the raw rest (tabs kept)
//   remove NAME CMD
//   blacklist NAME
//   softdep NAME [pre: A...] [post: B...]   the rest split on whitespace;
//                             words before any pre:/post: are dropped; A, B
//                             are NOT underscored
//   weakdep NAME A...         (kmod >= 33; kmod 30 rejects the keyword)
//   include, config           "<file>: command X is deprecated and not parsed anymore"
// A command, and softdep's "pre:"/"post:", must be the whole token
// (x3::symbols in modprobe_d.cc); "aliasx" and "Alias" are unknown.
// The symbols cost nothing measurable (conf/legacy_parser.h has the
// figures: 500,000 lines parse in 128 ms CPU, 138 ms by string compares).
// A missing argument or unknown command gives
//   "<file> line <n>: ignoring bad line starting with '<cmd>'"
// and the line is ignored; parsing goes on.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/modname.h"
#include "conf/config_model.h"
#include "conf/file_text.h"

namespace mng {

void parse_modprobe_d_text(ConfigModel* m, std::string_view text, const std::string& filename,
                           std::vector<ConfigError>* errors, ConfSource source = ConfSource::modprobe_d);
// false if the file cannot be read (kmod skips such files silently), or if
// `trusted_only` and root should not trust it (then an error is added and
// the path goes to m->untrusted_files).
bool parse_modprobe_d_file(ConfigModel* m, const std::string& path, std::vector<ConfigError>* errors,
                           bool trusted_only = false);

}  // namespace mng
