// Publishing depmod's output files as one set.  Every file is first
// written completely to a temporary file in the target directory; then a
// journal naming the temporary files is put in place with an atomic
// rename, the files are renamed over the old ones, and the journal is
// removed.  A run killed before the journal exists leaves the old files
// untouched; one killed after it is completed by the next run, which
// finishes the renames (recover_outputs).  No file is ever seen
// half-written.
#pragma once
#include <string>
#include <vector>

namespace mng {

struct OutputFile {
  std::string name;   // e.g. "modules.dep"
  std::string data;
};

// Completes or discards what an interrupted run left in DIR.
void recover_outputs(const std::string& dir);

// Writes FILES into DIR (which must exist).  On failure nothing is
// replaced and *error says what went wrong (with the file name).
bool publish_outputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error);

// Temporary and journal names, exposed for tests.
bool is_output_temp_name(const std::string& name);
extern const char kOutputJournal[];

}  // namespace mng
