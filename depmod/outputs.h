// SPDX-License-Identifier: GPL-2.0-or-later
// The files depmod writes, made from the resolved tree: which, in what
// order, and on which thread.
#pragma once
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "common/helper_thread.h"
#include "depmod/depmod.h"
#include "depmod/output_set.h"
#include "depmod/text_output.h"

namespace mng {

// Every file depmod writes, in kmod's order of writing (kept so that a
// reader watching the directory sees the same sequence).  The text files,
// in this order, are also what -n prints.
enum Out { kDep, kDepBin, kAlias, kAliasBin, kSoftdep, kWeakdep, kSymbols, kSymbolsBin, kBuiltinBin, kBuiltinAliasBin,
           kDevname, kOutCount };
struct OutputRow {
  Out id;
  const char* name;  // modules.dep: unless a modutils depfile= names it
  bool text;
};
inline constexpr OutputRow kOutputs[kOutCount] = {
    {kDep, "modules.dep", true},
    {kDepBin, "modules.dep.bin", false},
    {kAlias, "modules.alias", true},
    {kAliasBin, "modules.alias.bin", false},
    {kSoftdep, "modules.softdep", true},
    {kWeakdep, "modules.weakdep", true},
    {kSymbols, "modules.symbols", true},
    {kSymbolsBin, "modules.symbols.bin", false},
    {kBuiltinBin, "modules.builtin.bin", false},
    {kBuiltinAliasBin, "modules.builtin.alias.bin", false},
    {kDevname, "modules.devname", true},
};
struct OutputInputs {
  const DepmodOptions& opt;
  const std::string& dir;      // the module directory (modules.builtin*)
  const std::string& basedir;  // -b; "" for /
  const DepmodTree& t;
  const std::vector<std::string>& dep_lines;
  HelperThread* helper = nullptr;  // the second lane's thread, when given
};

// What making one output file came to.
struct Made {
  std::string temp;   // its temporary file, once written
  std::string error;  // why writing it failed (a failed build has logged its own message)
  bool tried = false, ok = false;
  bool kept = false;  // left as it is (set before make_outputs; see kept_outputs)
  double ms = 0;
};

// Makes every output file not marked kept and writes each to its temporary file with W
// as soon as it is made (*MADE, by Out), on two lanes when the run may
// use two threads (see outputs.cc) and on one otherwise; AFTER_TEXT runs
// on the calling thread once the text lane is done, while the index lane
// may still be busy.
void make_outputs(const OutputInputs& in, const std::string& depfile_name, const OutputSetWriter& w,
                  const std::function<void()>& after_text, std::array<Made, kOutCount>* made);

// -n: the text files on stdout (`depmod file...`: modules.dep only).
int print_text_outputs(const OutputInputs& in, bool dep_only);

}  // namespace mng
