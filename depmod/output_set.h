// SPDX-License-Identifier: GPL-2.0-or-later
// Publishing depmod's output files as one set.  Every file is first
// written completely to a temporary file in the target directory; then a
// journal naming the temporary files is put in place with an atomic
// rename, the files are renamed over the old ones, and the journal is
// removed.  A run killed before the journal exists leaves the old files
// untouched; one killed after it is completed by the next run, which
// finishes the renames (recover_outputs).  No file is ever seen
// half-written.
//
// The target directory is opened once; every file in it is then created,
// renamed and removed relative to that descriptor (openat, renameat,
// unlinkat), so the work stays in the directory that was opened even if a
// path leading to it changes, and tools that relocate absolute paths (a
// test harness, a chroot-style wrapper) only have to relocate that one
// open.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mng {

struct OutputFile {
  std::string name;   // e.g. "modules.dep"
  std::string data;
};

// Opens DIR as a directory for reading and *at() calls.  With CREATE,
// missing directories on the way are made (mode 0755), each relative to
// the one before it.  Returns the descriptor, or -1 with *error set
// ("could not create directory DIR: ..." or "could not open directory DIR: ...").
int open_output_dir(const std::string& dir, bool create, std::string* error);

// Completes or discards what an interrupted run left in the directory
// DIRFD.  SHOWN names that directory in messages.
void recover_outputs(int dirfd, const std::string& shown);

// Writes FILES into the directory DIRFD.  On failure nothing is replaced
// and *error says what went wrong (with SHOWN/file name).  With SYNC every
// new file is flushed (fdatasync) before the renames that publish the
// set, and the directory (fsync) after the journal is in place and after
// the renames.
bool publish_outputs(int dirfd, const std::string& shown, const std::vector<OutputFile>& files,
                     std::string* error, bool sync = true);

// Takes the exclusive lock (flock) on the directory DIRFD that serialises
// depmod runs writing there, waiting (after a warning) while another run
// holds it.  The lock is released when the descriptor is closed, or when
// its process dies.  False with *error set when flock fails otherwise.
bool lock_output_dir(int dirfd, const std::string& shown, std::string* error);

// The same one file at a time, so that each file's data can be dropped
// once added: add() writes its temporary file, commit() puts the journal
// in place and renames.  Uncommitted, the temporaries are removed when
// the writer goes.  DIRFD must stay open while the writer lives.
class OutputSetWriter {
 public:
  // SYNC: as publish_outputs.
  OutputSetWriter(int dirfd, std::string shown, bool sync = true);
  ~OutputSetWriter();
  OutputSetWriter(const OutputSetWriter&) = delete;
  OutputSetWriter& operator=(const OutputSetWriter&) = delete;
  bool add(const OutputFile& f, std::string* error);
  // add() in two steps, so that files can be written on several threads:
  // write_temp() (safe to call from any thread) writes F's temporary file
  // and sets *TEMP to its name; adopt() (one thread, in the order of
  // publishing) makes it part of the set.  A temporary written but never
  // adopted is the caller's to remove.
  // FLUSH false leaves the flushing to a later append_temp().
  bool write_temp(const OutputFile& f, std::string* temp, std::string* error, bool flush = true) const;
  void adopt(const std::string& name, const std::string& temp);
  // Appends TAIL to a temporary file write_temp() wrote, and flushes it.
  bool append_temp(const std::string& temp, const std::string& tail, std::string* error) const;
  bool commit(std::string* error);

 private:
  int dirfd_;
  std::string shown_;
  std::vector<std::string> temps_, names_;
  bool sync_;
  bool committed_ = false;
};

// The same with the directory named by path; it must exist.
void recover_outputs(const std::string& dir);
bool publish_outputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error);

// Open DIR (creating it), lock it, recover, publish (SYNC: as
// publish_outputs).
bool write_output_set(const std::string& dir, const std::vector<OutputFile>& files, std::string* error,
                      bool sync = true);

// One line of the journal: rename TEMP to FINAL_NAME (both plain names in
// the output directory).
struct JournalEntry {
  std::string temp;
  std::string final_name;
};
// The renames a journal's text asks for; lines that are not a temporary
// name, a space and a plain file name are left out.
std::vector<JournalEntry> parse_journal(std::string_view text);

// Temporary and journal names, exposed for tests.
bool is_output_temp_name(const std::string& name);
extern const char kOutputJournal[];

}  // namespace mng
