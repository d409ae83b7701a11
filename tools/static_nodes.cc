// SPDX-License-Identifier: GPL-2.0-or-later
#include "tools/static_nodes.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/file_util.h"
#include "common/text_util.h"
#include "tools/tools.h"

namespace mng {

namespace {

enum Id { kOutput, kFormat, kHelp };

const CliOption kStaticNodesOptions[] = {
    {'f', "format", "=FORMAT", "choose format to use: see \"Formats\"", kFormat, 0},
    {'o', "output", "=FILE", "write output to file", kOutput, 0},
    {'h', "help", nullptr, "show this help", kHelp, 0},
};

struct FormatName {
  const char* name;
  NodeFormat format;
  const char* description;
};
const FormatName kFormats[] = {
    {"human", NodeFormat::human, "(default) a human readable format. Do not parse."},
    {"tmpfiles", NodeFormat::tmpfiles, "the tmpfiles.d(5) format used by systemd-tmpfiles."},
    {"devname", NodeFormat::devname, "the modules.devname format."},
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

void skip_space(std::string_view s, size_t* i) {
  while (*i < s.size() && is_space(s[*i])) ++*i;
}

// scanf's %s.
bool scan_word(std::string_view s, size_t* i, std::string* out) {
  skip_space(s, i);
  size_t start = *i;
  while (*i < s.size() && !is_space(s[*i])) ++*i;
  *out = std::string(s.substr(start, *i - start));
  return *i > start;
}

// scanf's %u: blanks, an optional sign, digits (wrapping as it does).
bool scan_unsigned(std::string_view s, size_t* i, unsigned* out) {
  skip_space(s, i);
  bool negative = false;
  if (*i < s.size() && (s[*i] == '+' || s[*i] == '-')) negative = s[(*i)++] == '-';
  size_t start = *i;
  unsigned v = 0;
  while (*i < s.size() && s[*i] >= '0' && s[*i] <= '9') v = v * 10 + static_cast<unsigned>(s[(*i)++] - '0');
  *out = negative ? 0u - v : v;
  return *i > start;
}

// mkdir -p of PATH's directory, each made 0755.  0 or a negative errno.
int make_parents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) == 0) continue;
    if (errno != EEXIST) return -errno;
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return -errno;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
  }
  return 0;
}

// The output file, opened without waiting for a reader when it is a FIFO.
int open_output(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0644);
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

bool write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<DevnameEntry> parse_devname_line(std::string_view line) {
  DevnameEntry e;
  size_t i = 0;
  if (!scan_word(line, &i, &e.module) || !scan_word(line, &i, &e.devname)) return std::nullopt;
  skip_space(line, &i);
  if (i >= line.size()) return std::nullopt;
  e.type = line[i++];
  if (!scan_unsigned(line, &i, &e.major) || i >= line.size() || line[i++] != ':' ||
      !scan_unsigned(line, &i, &e.minor))
    return std::nullopt;
  if (e.type != 'c' && e.type != 'b') return std::nullopt;
  return e;
}

std::string format_node(const DevnameEntry& e, NodeFormat format) {
  const std::string nums = std::to_string(e.major) + ":" + std::to_string(e.minor);
  switch (format) {
    case NodeFormat::human:
      return "Module: " + e.module + "\n\tDevice node: /dev/" + e.devname + "\n\t\tType: " +
             (e.type == 'c' ? "character" : "block") + " device\n\t\tMajor: " + std::to_string(e.major) +
             "\n\t\tMinor: " + std::to_string(e.minor) + "\n";
    case NodeFormat::tmpfiles: {
      std::string out;
      size_t slash = e.devname.rfind('/');
      if (slash != std::string::npos) out = "d /dev/" + e.devname.substr(0, slash) + " 0755 - - -\n";
      return out + e.type + "! /dev/" + e.devname + " 0600 - - - " + nums + "\n";
    }
    case NodeFormat::devname: return e.module + " " + e.devname + " " + e.type + nums + "\n";
  }
  return "";
}

std::string static_nodes_usage(const std::string& program) {
  std::string s = "Usage:\n\t" + program +
                  " static-nodes [options]\n\nkmod static-nodes outputs the static-node information of the "
                  "currently running kernel.\n\nOptions:\n" +
                  cli_help_section(kStaticNodesOptions, 0, 21) + "\nFormats:\n";
  for (const FormatName& f : kFormats) {
    std::string name = f.name;
    name.resize(12, ' ');
    s += "\t" + name + " " + f.description + "\n";
  }
  return s;
}

namespace {

// The options; false (with *rc) when the run ends here.
bool take_options(const ToolArgs& a, ToolEnv& env, NodeFormat* format, int* rc) {
  *rc = 1;
  if (!a.error.empty()) {
    env.log.plain(a.error, true);
    return false;
  }
  for (const auto& [id, value] : a.options) {
    if (id == kHelp) {
      env.out << static_nodes_usage(env.log.program);
      *rc = 0;
      return false;
    }
    if (id != kFormat) continue;
    const FormatName* f = nullptr;
    for (const FormatName& c : kFormats)
      if (value == c.name) f = &c;
    if (!f) {
      env.log.raw("Unknown format: '" + value + "'.");
      env.out << static_nodes_usage(env.log.program);
      return false;
    }
    *format = f->format;
  }
  return true;
}

}  // namespace

int run_static_nodes(const std::vector<std::string>& args, ToolEnv& env) {
  ToolArgs a = read_tool_args(kStaticNodesOptions, args);
  NodeFormat format = NodeFormat::human;
  int rc;
  if (!take_options(a, env, &format, &rc)) return rc;
  const std::string release = env.kernel.release();
  if (release.empty()) {
    env.log.raw("Error: uname failed!");
    return 1;
  }
  const std::string shown = "/lib/modules/" + release + "/modules.devname";
  std::string text;
  if (!read_file(env.root + shown, size_t{64} << 20, &text)) {
    if (errno == ENOENT) {
      env.log.raw("Warning: " + shown + " not found - ignoring");
      return 0;
    }
    env.log.raw("Error: could not open " + shown + " - " + read_error_text(errno));
    return 1;
  }
  int fd = 1;
  const std::string output = a.value(kOutput);
  if (!output.empty()) {
    if (int r = make_parents(output); r < 0) {
      env.log.raw("Error: could not create parent directory for " + output + " - " + std::strerror(-r) + ".");
      return 1;
    }
    fd = open_output(output);
    if (fd < 0) {
      env.log.raw("Error: could not create " + output + " - " + std::strerror(errno));
      return 1;
    }
  }
  std::string out;
  int ret = 0;
  for_each_line(text, [&](std::string_view line) {
    if (!line.empty() && line[0] == '#') return;
    if (auto e = parse_devname_line(line)) {
      out += format_node(*e, format);
    } else {
      env.log.raw("Error: invalid devname entry: " + std::string(line));
      ret = 1;
    }
  });
  bool ok = true;
  if (fd == 1) env.out << out << std::flush;
  else ok = write_all(fd, out);
  if (fd != 1) ok = ::close(fd) == 0 && ok;
  if (!ok) {
    env.log.raw("Error: could not write " + (output.empty() ? std::string("standard output") : output) + " - " +
                std::strerror(errno));
    return 1;
  }
  return ret;
}

}  // namespace mng

int static_nodes_main(int argc, char** argv) {
  return mng::run_tool(argc, argv, "static-nodes", mng::run_static_nodes);
}
