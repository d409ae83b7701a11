// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/outputs.h"

#include <chrono>
#include <cstdio>
#include <span>

#include "depmod/index_output.h"

namespace mng {
namespace {

// Makes the file of ROW in *DATA.  The two built-in indexes are made
// together, the second kept in *BUILTIN_ALIAS until its turn.
bool make_output(const OutputRow& row, const OutputInputs& in, std::string* data, OutputFile* builtin_alias) {
  const DepmodTree& t = in.t;
  OutputFile f;
  bool ok = true;
  switch (row.id) {
    case kDep: f.data = in.opt.modutils_layout ? format_modutils_dep(t, in.basedir) : format_modules_dep(in.dep_lines); break;
    case kDepBin: ok = build_dep_index(t, in.dep_lines, in.opt.warn_dups, in.opt.index_layout, &f); break;
    case kAlias: f.data = format_modules_alias(t); break;
    case kAliasBin: ok = build_alias_index(t, in.opt.warn_dups, in.opt.index_layout, &f); break;
    case kSoftdep: f.data = format_modules_softdep(t); break;
    case kWeakdep: f.data = format_modules_weakdep(t); break;
    case kSymbols: f.data = format_modules_symbols(t); break;
    case kSymbolsBin: ok = build_symbols_index(t, in.opt.warn_dups, in.opt.index_layout, &f); break;
    case kBuiltinBin: ok = build_builtin_indexes(in.dir, in.opt.index_layout, &f, builtin_alias); break;
    case kBuiltinAliasBin: f.data = std::move(builtin_alias->data); break;
    case kDevname: f.data = format_modules_devname(t); break;
    case kOutCount: break;
  }
  *data = std::move(f.data);
  return ok;
}

// The two lanes the outputs are made on when the run has two threads: the
// big indexes on one, everything else on the other, each holding one file
// at a time.  The orders keep the largest text file (modules.alias) away
// from the largest index (modules.alias.bin), so that the run's peak
// memory stays that of one lane.
constexpr Out kIndexLane[] = {kSymbolsBin, kAliasBin, kBuiltinBin, kBuiltinAliasBin};
constexpr Out kTextLane[] = {kAlias, kDep, kDepBin, kSymbols, kSoftdep, kWeakdep, kDevname};
constexpr Out kOneLane[] = {kDep, kDepBin, kAlias, kAliasBin, kSoftdep, kWeakdep, kSymbols, kSymbolsBin,
                            kBuiltinBin, kBuiltinAliasBin, kDevname};

// Makes the files of ROWS in that order, each written to its temporary
// file as soon as it is made; stops at the first failure.
void make_lane(std::span<const Out> rows, const std::string& depfile_name, const OutputInputs& in,
               const OutputSetWriter& w, Made* made) {
  OutputFile f, builtin_alias;
  for (Out id : rows) {
    Made& m = made[id];
    if (m.kept) continue;
    auto t0 = std::chrono::steady_clock::now();
    m.tried = true;
    f.name = id == kDep ? depfile_name : kOutputs[id].name;
    m.ok = make_output(kOutputs[id], in, &f.data, &builtin_alias) && w.write_temp(f, &m.temp, &m.error);
    std::string().swap(f.data);
    m.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!m.ok) return;
  }
}

}  // namespace

void make_outputs(const OutputInputs& in, const std::string& depfile_name, const OutputSetWriter& w,
                  const std::function<void()>& after_text, std::array<Made, kOutCount>* made) {
  // Two lanes unless the run is to use one thread, or -w's messages
  // (from the index builders) must come in a fixed order.
  if (run_threads(in.opt) > 1 && !in.opt.warn_dups) {
    run_beside(
        in.helper, [&] { make_lane(kIndexLane, depfile_name, in, w, made->data()); },
        [&] {
          make_lane(kTextLane, depfile_name, in, w, made->data());
          after_text();
        });
  } else {
    make_lane(kOneLane, depfile_name, in, w, made->data());
    after_text();
  }
}

int print_text_outputs(const OutputInputs& in, bool dep_only) {
  std::string data;
  for (const OutputRow& row : kOutputs) {
    if (!row.text || (dep_only && row.id != kDep)) continue;
    make_output(row, in, &data, nullptr);
    fwrite(data.data(), 1, data.size(), stdout);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace mng
