// SPDX-License-Identifier: GPL-2.0-or-later
#include "depmod/output_set.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/file_util.h"
#include "common/log.h"

namespace mng {

const char kOutputJournal[] = ".mng-journal";

namespace {
constexpr std::string_view kTempPrefix = ".mng-";
constexpr std::string_view kTempSuffix = ".tmp";
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// Creates NAME in DIRFD exclusively with mode 0644 and DATA as content,
// flushed to the disk when SYNC.
bool write_new_file(int dirfd, const std::string& shown, const std::string& name, const std::string& data,
                    bool sync, std::string* error) {
  int fd = openat(dirfd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "could not create " + path_join(shown, name) + ": " + strerror(errno);
    return false;
  }
  bool ok = fchmod(fd, 0644) == 0 && write_all(fd, data) && (!sync || fdatasync(fd) == 0);
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    *error = "could not write " + path_join(shown, name) + ": " + strerror(saved);
    unlinkat(dirfd, name.c_str(), 0);
  }
  return ok;
}

// A journal names a few dozen files; anything much bigger is not one.
bool read_journal(int dirfd, std::string* text) {
  UniqueFd fd(openat(dirfd, kOutputJournal, O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  return fd && read_fd(fd.get(), kOutputJournal, size_t{1} << 20, text);
}

// Makes the renames done in DIRFD so far durable.
bool sync_dir(int dirfd, bool sync, const std::string& shown, std::string* error) {
  if (!sync || fsync(dirfd) == 0) return true;
  *error = "could not sync directory " + shown + ": " + strerror(errno);
  return false;
}

std::string temp_name(const std::string& name) {
  return std::string(kTempPrefix) + name + "." + std::to_string(getpid()) + std::string(kTempSuffix);
}

}  // namespace

bool is_output_temp_name(const std::string& name) {
  std::string_view n = name;
  return n.size() > kTempPrefix.size() + kTempSuffix.size() && n.starts_with(kTempPrefix) && n.ends_with(kTempSuffix);
}

int open_output_dir(const std::string& dir, bool create, std::string* error) {
  int fd = open(dir.c_str(), kDirFlags);
  if (fd >= 0) return fd;
  auto fail = [&](int err) {
    *error = std::string(create ? "could not create directory " : "could not open directory ") + dir + ": " +
             strerror(err);
    return -1;
  };
  if (!create || errno != ENOENT) return fail(errno);
  // Make the missing parts one component at a time, each relative to the
  // directory before it.
  int cur = open(dir.starts_with("/") ? "/" : ".", kDirFlags);
  if (cur < 0) return fail(errno);
  size_t pos = 0;
  while (pos < dir.size()) {
    size_t end = dir.find('/', pos);
    if (end == std::string::npos) end = dir.size();
    std::string comp = dir.substr(pos, end - pos);
    pos = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (mkdirat(cur, comp.c_str(), 0755) != 0 && errno != EEXIST) {
      int err = errno;
      close(cur);
      return fail(err);
    }
    int next = openat(cur, comp.c_str(), kDirFlags);
    int err = errno;
    close(cur);
    if (next < 0) return fail(err);
    cur = next;
  }
  return cur;
}

std::vector<JournalEntry> parse_journal(std::string_view text) {
  std::vector<JournalEntry> out;
  // Lines "TEMP FINAL"; a last line without its newline is not trusted.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) break;
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    std::string tmp(line.substr(0, sp)), fin(line.substr(sp + 1));
    if (!is_output_temp_name(tmp) || tmp.find('/') != std::string::npos || fin.empty() ||
        fin.find('/') != std::string::npos || fin.find('\0') != std::string::npos ||
        tmp.find('\0') != std::string::npos)
      continue;
    out.push_back({std::move(tmp), std::move(fin)});
  }
  return out;
}

void recover_outputs(int dirfd, const std::string& shown) {
  std::string text;
  bool journal = read_journal(dirfd, &text);
  if (!journal && errno != ENOENT) {
    // Not one this program wrote (a FIFO, a link to a device): never followed.
    log(Level::warning, "%s: %s (ignored and removed)", path_join(shown, kOutputJournal).c_str(),
        read_error_text(errno));
    unlinkat(dirfd, kOutputJournal, 0);
  }
  if (journal) {
    // The journal is complete because it was renamed into place.
    for (const JournalEntry& e : parse_journal(text))
      if (renameat(dirfd, e.temp.c_str(), dirfd, e.final_name.c_str()) == 0)
        log(Level::notice, "completed %s/%s left by an interrupted run", shown.c_str(), e.final_name.c_str());
    unlinkat(dirfd, kOutputJournal, 0);
  }
  int dup_fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup_fd < 0) return;
  DIR* d = fdopendir(dup_fd);
  if (!d) {
    close(dup_fd);
    return;
  }
  rewinddir(d);
  while (dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (is_output_temp_name(name)) unlinkat(dirfd, name.c_str(), 0);
  }
  closedir(d);
}

OutputSetWriter::OutputSetWriter(int dirfd, std::string shown, bool sync)
    : dirfd_(dirfd), shown_(std::move(shown)), sync_(sync) {}

OutputSetWriter::~OutputSetWriter() {
  if (!committed_)
    for (auto& t : temps_) unlinkat(dirfd_, t.c_str(), 0);
}

bool OutputSetWriter::add(const OutputFile& f, std::string* error) {
  std::string t;
  if (!write_temp(f, &t, error)) return false;
  adopt(f.name, t);
  return true;
}

bool OutputSetWriter::write_temp(const OutputFile& f, std::string* temp, std::string* error, bool flush) const {
  *temp = temp_name(f.name);
  return write_new_file(dirfd_, shown_, *temp, f.data, sync_ && flush, error);
}

bool OutputSetWriter::append_temp(const std::string& temp, const std::string& tail, std::string* error) const {
  UniqueFd fd(openat(dirfd_, temp.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (fd && write_all(fd.get(), tail) && (!sync_ || fdatasync(fd.get()) == 0) && close(fd.release()) == 0) return true;
  *error = "could not write " + path_join(shown_, temp) + ": " + strerror(errno);
  return false;
}

void OutputSetWriter::adopt(const std::string& name, const std::string& temp) {
  temps_.push_back(temp);
  names_.push_back(name);
}

bool OutputSetWriter::commit(std::string* error) {
  std::string journal_text;
  for (size_t i = 0; i < temps_.size(); ++i) journal_text += temps_[i] + " " + names_[i] + "\n";
  std::string jtemp = temp_name("journal");
  if (!write_new_file(dirfd_, shown_, jtemp, journal_text, sync_, error)) return false;
  if (renameat(dirfd_, jtemp.c_str(), dirfd_, kOutputJournal) != 0) {
    *error = "could not rename " + path_join(shown_, jtemp) + ": " + strerror(errno);
    unlinkat(dirfd_, jtemp.c_str(), 0);
    return false;
  }
  // From here the journal stands for the temporaries: a failure leaves
  // them for the next run to finish.
  committed_ = true;
  // The journal is on the disk before any old file is replaced.
  if (!sync_dir(dirfd_, sync_, shown_, error)) return false;
  for (size_t i = 0; i < temps_.size(); ++i) {
    if (renameat(dirfd_, temps_[i].c_str(), dirfd_, names_[i].c_str()) != 0) {
      *error = "could not rename " + path_join(shown_, temps_[i]) + " to " + names_[i] + ": " + strerror(errno);
      return false;
    }
  }
  unlinkat(dirfd_, kOutputJournal, 0);
  return sync_dir(dirfd_, sync_, shown_, error);
}

bool publish_outputs(int dirfd, const std::string& shown, const std::vector<OutputFile>& files,
                     std::string* error, bool sync) {
  OutputSetWriter w(dirfd, shown, sync);
  for (const auto& f : files)
    if (!w.add(f, error)) return false;
  return w.commit(error);
}

bool lock_output_dir(int dirfd, const std::string& shown, std::string* error) {
  if (flock(dirfd, LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK) {
    log(Level::warning, "waiting for another depmod writing in %s", shown.c_str());
    int rc;
    while ((rc = flock(dirfd, LOCK_EX)) != 0 && errno == EINTR) {
    }
    if (rc == 0) return true;
  }
  *error = "could not lock directory " + shown + ": " + strerror(errno);
  return false;
}

void recover_outputs(const std::string& dir) {
  std::string error;
  UniqueFd fd(open_output_dir(dir, false, &error));
  if (fd) recover_outputs(fd.get(), dir);
}

bool publish_outputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error) {
  UniqueFd fd(open_output_dir(dir, false, error));
  if (!fd) return false;
  return publish_outputs(fd.get(), dir, files, error);
}

bool write_output_set(const std::string& dir, const std::vector<OutputFile>& files, std::string* error, bool sync) {
  // The lock is held from here until the descriptor is closed.
  UniqueFd fd(open_output_dir(dir, true, error));
  if (!fd || !lock_output_dir(fd.get(), dir, error)) return false;
  recover_outputs(fd.get(), dir);
  return publish_outputs(fd.get(), dir, files, error, sync);
}

}  // namespace mng
