// SPDX-License-Identifier: GPL-2.0-or-later
// Small file and process-environment helpers both tools share: one owning
// file descriptor, one whole-file reader with a size cap, path joining and
// environment lookup.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

struct stat;

namespace mng {

// An open file descriptor, closed when the object goes away.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  // Gives the descriptor up without closing it.
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the current descriptor (if any) and takes `fd`.
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Opens `path` read-only (close-on-exec, and non-blocking so that opening a
// FIFO with no writer returns at once); invalid on failure, errno set.
UniqueFd open_read(const std::string& path);

// fstat()s `fd` into *st and says whether it is a regular file: 0 if so,
// else EISDIR for a directory, EINVAL ("not a regular file") for anything
// else (a FIFO, a device, a socket), or fstat's errno.
int regular_file_error(int fd, struct stat* st);

// Reads everything from `fd` (from its current offset) into *out, but never
// more than `cap` bytes: a longer input fails with EFBIG after reading
// cap + 1 bytes.  Only regular files are read (and /dev/null, which reads
// as empty); anything else (a directory, a FIFO that could block forever,
// another character device such as an endless /dev/zero or a terminal, a
// socket, a block device) is refused with EISDIR or EINVAL ("not a regular
// file") after fstat and before any read.  On failure *out is cleared,
// errno is set and *err (if given) says "PATH: reason" with `name` as PATH.
bool read_fd(int fd, const std::string& name, std::size_t cap, std::string* out, std::string* err = nullptr);

// /dev/null, which configurations are pointed at to mean "nothing".
bool is_null_device(const struct stat& st);

// The reason read_fd gives for errno E: "not a regular file" for EINVAL,
// strerror(E) otherwise.
const char* read_error_text(int e);

// read_fd on the file `path` (opened here).  The one whole-file reader.
bool read_file(const std::string& path, std::size_t cap, std::string* out, std::string* err = nullptr);

// "DIR/NAME" with exactly one '/' between them: slashes at the end of DIR
// and at the start of NAME are dropped first ("" and "x" give "/x", so a
// root of "" or "/" means the real root).
std::string path_join(std::string_view dir, std::string_view name);

// An environment given instead of the process's (tests, safe runs).
using EnvMap = std::map<std::string, std::string>;

// The last component of PATH: what follows its last '/' (all of PATH when
// it has none; "" when it ends in '/').
std::string_view base_name(std::string_view path);

// realpath(3) of P, or P itself when it cannot be resolved (it does not
// exist, a component is not readable).
std::string real_path(const std::string& p);

// The value of environment variable `name`, nullopt when it is not set:
// looked up in `environment` when one is given, else in the process
// environment.  The one place the tools call getenv.
std::optional<std::string> env_value(const std::string& name, const EnvMap* environment = nullptr);

}  // namespace mng
