// SPDX-License-Identifier: GPL-2.0-or-later
// elf_agree DIR...: every module file (*.ko, *.ko.gz, *.ko.xz, *.ko.zst)
// under the DIRs is read by both module readers, common/elf_module.h and
// the libelf one (tests/libelf_module.h), from the file (read_module_elf
// against libelf's ELF_C_READ) and from memory (parse_module_elf against
// elf_memory); each must succeed and the results agree field by field.
// Prints one line per DIR; exits 1 on any failure or disagreement.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/elf_module.h"
#include "common/module_file.h"
#include "tests/libelf_module.h"

namespace {
namespace fs = std::filesystem;

bool is_module(const std::string& name) {
  for (const char* ext : {".ko", ".ko.gz", ".ko.xz", ".ko.zst"})
    if (name.ends_with(ext)) return true;
  return false;
}

// One module; prints what is wrong and returns false.
bool agree(const std::string& path) {
  mng::ModuleElf ours, theirs, ours_mem, theirs_mem;
  std::string why_ours, why_theirs, why_load;
  bool ok = true;
  auto complain = [&](const std::string& what) {
    std::printf("elf-agree: %s: %s\n", path.c_str(), what.c_str());
    ok = false;
  };
  if (!mng::read_module_elf(path, &ours, &why_ours)) complain("read_module_elf: " + why_ours);
  if (!mng::libelf::read_module(path, &theirs, &why_theirs)) complain("libelf: " + why_theirs);
  if (ok) {
    std::string d = mng::libelf::first_difference(ours, theirs);
    if (!d.empty()) complain("file readers differ in " + d);
  }
  mng::ModuleBytes bytes;
  if (!mng::load_module_file(path, &bytes, &why_load)) {
    complain("load_module_file: " + why_load);
    return false;
  }
  if (!mng::parse_module_elf(bytes.bytes(), &ours_mem, &why_ours)) complain("parse_module_elf: " + why_ours);
  if (!mng::libelf::parse_module(bytes.bytes(), &theirs_mem, &why_theirs)) complain("libelf in memory: " + why_theirs);
  if (ok) {
    std::string d = mng::libelf::first_difference(ours_mem, theirs_mem);
    if (!d.empty()) complain("in-memory readers differ in " + d);
    d = mng::libelf::first_difference(ours, ours_mem);
    if (!d.empty()) complain("read_module_elf and parse_module_elf differ in " + d);
  }
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: elf_agree DIR...\n");
    return 2;
  }
  int status = 0;
  for (int a = 1; a < argc; ++a) {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(argv[a], ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && is_module(it->path().filename().string())) files.push_back(it->path().string());
    if (ec) {
      std::printf("elf-agree: %s: %s\n", argv[a], ec.message().c_str());
      status = 1;
      continue;
    }
    std::sort(files.begin(), files.end());
    size_t bad = 0, exports = 0, imports = 0, modinfo = 0;
    for (const std::string& f : files) {
      if (!agree(f)) {
        ++bad;
        continue;
      }
      mng::ModuleElf m;
      std::string why;
      mng::read_module_elf(f, &m, &why);
      exports += m.exports.size();
      imports += m.imports.size();
      modinfo += m.modinfo.size();
    }
    if (files.empty() || bad) status = 1;
    std::printf("elf-agree: %s: %zu modules, %zu disagree or fail (%zu exports, %zu imports, %zu modinfo strings agree)\n",
                argv[a], files.size(), bad, exports, imports, modinfo);
  }
  return status;
}
