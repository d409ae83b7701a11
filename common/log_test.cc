// SPDX-License-Identifier: GPL-2.0-or-later
// The common logger: kmod's message layout, the filters (-v, -q), where
// the text goes, and the diagnostics the libraries hand back.
#include "common/log.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace mng;

namespace {

Logger to(std::ostringstream* out, const char* program = "modprobe") {
  Logger l;
  l.program = program;
  l.stream = out;
  return l;
}

}  // namespace

TEST_CASE("logger: kmod's layout with the tool's own name", "[log]") {
  std::ostringstream out;
  Logger l = to(&out);
  l.message(Level::error, "Directories inside directories are not supported: /x/sub.conf");
  l.message(Level::fatal, "Module x not found.\n");  // a newline is not doubled
  CHECK(out.str() ==
        "modprobe: ERROR: Directories inside directories are not supported: /x/sub.conf\n"
        "modprobe: FATAL: Module x not found.\n");
  std::ostringstream dep;
  Logger d = to(&dep, "depmod");
  d.message(Level::warning, "-e needs -E or -F");
  CHECK(dep.str() == "depmod: WARNING: -e needs -E or -F\n");
}

TEST_CASE("logger: verbosity and quiet", "[log]") {
  std::ostringstream out;
  Logger l = to(&out);
  l.message(Level::notice, "dropped at the default verbosity");
  l.message(Level::info, "dropped too");
  CHECK(out.str().empty());
  l.max_level = static_cast<int>(Level::info);
  l.message(Level::info, "shown with -vv");
  CHECK(out.str() == "modprobe: INFO: shown with -vv\n");
  out.str("");
  l.quiet = true;
  l.message(Level::fatal, "not even fatal");
  l.plain("Can't locate module x");
  l.raw("Warning: a layout of its own");
  CHECK(out.str().empty());
  l.plain("said even when quiet", true);
  CHECK(out.str() == "modprobe: said even when quiet\n");
}

TEST_CASE("logger: modutils lines and raw texts", "[log]") {
  std::ostringstream out;
  Logger l = to(&out);
  l.plain("Can't locate module x");
  l.raw("Warning: line one\n         line two");
  l.raw("kept as it is\n");
  CHECK(out.str() ==
        "modprobe: Can't locate module x\n"
        "Warning: line one\n         line two\n"
        "kept as it is\n");
}

TEST_CASE("logger: no stream and no file drops everything; a sink catches the text", "[log]") {
  Logger l;
  l.file = nullptr;
  l.message(Level::fatal, "nowhere");  // must not crash or print
  std::vector<std::string> seen;
  l.sink = [](Level lv, std::string_view text, void* ctx) {
    static_cast<std::vector<std::string>*>(ctx)->push_back(std::to_string(static_cast<int>(lv)) + " " +
                                                          std::string(text));
  };
  l.sink_ctx = &seen;
  l.message(Level::error, "e");
  l.message(Level::info, "filtered before the sink");
  l.plain("p");
  CHECK(seen == std::vector<std::string>{"3 e\n", "3 p\n"});
}

TEST_CASE("logger: a scope installs a logger for log() and restores the previous one", "[log]") {
  std::ostringstream out;
  const std::string before = logger().program;
  {
    LoggerScope scope(to(&out, "modprobe"));
    log(Level::error, "%s:%u: %s", "f.conf", 3u, "bad");
    CHECK(logger().program == "modprobe");
  }
  CHECK(out.str() == "modprobe: ERROR: f.conf:3: bad\n");
  CHECK(logger().program == before);
  CHECK(logger().stream == nullptr);
}

TEST_CASE("diagnostics: file and line, the message text, collection", "[log]") {
  DiagnosticList list;
  add_diagnostic(&list, Level::error, "/etc/depmod.d/a.conf", 7, "ignoring bad line starting with '%s'", "foo");
  add_diagnostic(&list, Level::info, "/d/x.txt", 0, "All cfg files need .conf: %s", "/d/x.txt");
  add_diagnostic(nullptr, Level::error, "ignored", 1, "nobody listens");
  REQUIRE(list.items.size() == 2);
  CHECK(list.items[0].file == "/etc/depmod.d/a.conf");
  CHECK(list.items[0].line == 7);
  CHECK(list.items[0].text == "ignoring bad line starting with 'foo'");
  CHECK(list.items[0].message() == "/etc/depmod.d/a.conf:7: ignoring bad line starting with 'foo'");
  CHECK(list.items[1].message() == "All cfg files need .conf: /d/x.txt");

  std::ostringstream out;
  Logger l = to(&out, "depmod");
  LogDiagnostics print(l);
  for (auto& d : list.items) print.add(d);
  CHECK(out.str() == "depmod: ERROR: /etc/depmod.d/a.conf:7: ignoring bad line starting with 'foo'\n");
}

TEST_CASE("diagnostics: a report is cut where log() cuts", "[log]") {
  std::ostringstream a, b;
  Logger la = to(&a, "depmod");
  const std::string name(5000, 'x');
  {
    LoggerScope scope(to(&b, "depmod"));
    log(Level::error, "cfg.conf:1: ignoring bad line starting with '%s'", name.c_str());
  }
  la.report(Diagnostic{Level::error, "cfg.conf", 1, "ignoring bad line starting with '" + name + "'"});
  CHECK(a.str().size() == std::string("depmod: ERROR: ").size() + 4095 + 1);
  CHECK(a.str() == b.str());
}
