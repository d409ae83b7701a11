#include "depmod/output_set.h"

#include <dirent.h>
#include <fcntl.h>
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

// Creates DIR/NAME exclusively with mode 0644 and DATA as content.
bool write_new_file(const std::string& path, const std::string& data, std::string* error) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "could not create " + path + ": " + strerror(errno);
    return false;
  }
  bool ok = fchmod(fd, 0644) == 0 && write_all(fd, data);
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    *error = "could not write " + path + ": " + strerror(saved);
    unlink(path.c_str());
  }
  return ok;
}

std::string temp_name(const std::string& name) {
  return std::string(kTempPrefix) + name + "." + std::to_string(getpid()) + std::string(kTempSuffix);
}
}  // namespace

bool is_output_temp_name(const std::string& name) {
  return name.size() > kTempPrefix.size() + kTempSuffix.size() && name.starts_with(kTempPrefix) &&
         name.ends_with(kTempSuffix);
}

void recover_outputs(const std::string& dir) {
  std::string journal = path_join(dir, kOutputJournal);
  // A journal names a few dozen files; anything much bigger is not one.
  if (std::string text; read_file(journal, size_t{1} << 20, &text)) {
    // Lines "TEMP FINAL"; the journal is complete because it was renamed into place.
    size_t pos = 0;
    while (pos < text.size()) {
      size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) break;
      std::string line = text.substr(pos, eol - pos);
      pos = eol + 1;
      size_t sp = line.find(' ');
      if (sp == std::string::npos) continue;
      std::string tmp = line.substr(0, sp), fin = line.substr(sp + 1);
      if (!is_output_temp_name(tmp) || fin.find('/') != std::string::npos) continue;
      if (rename(path_join(dir, tmp).c_str(), path_join(dir, fin).c_str()) == 0)
        log(Level::notice, "completed %s/%s left by an interrupted run", dir.c_str(), fin.c_str());
    }
    unlink(journal.c_str());
  }
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (is_output_temp_name(name)) unlinkat(dirfd(d), name.c_str(), 0);
  }
  closedir(d);
}

bool publish_outputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error) {
  std::vector<std::string> temps;
  auto discard = [&] {
    for (auto& t : temps) unlink(path_join(dir, t).c_str());
  };
  std::string journal_text;
  for (const auto& f : files) {
    std::string t = temp_name(f.name);
    if (!write_new_file(path_join(dir, t), f.data, error)) {
      discard();
      return false;
    }
    temps.push_back(t);
    journal_text += t + " " + f.name + "\n";
  }
  std::string jtemp = temp_name("journal");
  if (!write_new_file(path_join(dir, jtemp), journal_text, error)) {
    discard();
    return false;
  }
  temps.push_back(jtemp);
  if (rename(path_join(dir, jtemp).c_str(), path_join(dir, kOutputJournal).c_str()) != 0) {
    *error = "could not rename " + path_join(dir, jtemp) + ": " + strerror(errno);
    discard();
    return false;
  }
  temps.pop_back();
  for (size_t i = 0; i < files.size(); ++i) {
    if (rename(path_join(dir, temps[i]).c_str(), path_join(dir, files[i].name).c_str()) != 0) {
      // The journal stays: the next run finishes what is left.
      *error = "could not rename " + path_join(dir, temps[i]) + " to " + files[i].name + ": " + strerror(errno);
      return false;
    }
  }
  unlink(path_join(dir, kOutputJournal).c_str());
  return true;
}

}  // namespace mng
