// SPDX-License-Identifier: GPL-2.0-or-later
// static-nodes: modules.devname read as kmod reads it, its three formats,
// --output, kmod's messages.
#include "tools/static_nodes.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <filesystem>

#include "tests/test_util.h"
#include "tools/tool_test_util.h"

using namespace mng;
using namespace mng::testing;

TEST_CASE("modules.devname lines as kmod reads them", "[tools][static-nodes]") {
  auto e = parse_devname_line("snd_timer snd/timer c116:33");
  REQUIRE(e);
  CHECK(e->module == "snd_timer");
  CHECK(e->devname == "snd/timer");
  CHECK(e->type == 'c');
  CHECK(e->major == 116);
  CHECK(e->minor == 33);
  e = parse_devname_line("  loop\tloop-control  b 10:237 trailing words");
  REQUIRE(e);
  CHECK(e->type == 'b');
  CHECK(e->minor == 237);
  CHECK_FALSE(parse_devname_line(""));
  CHECK_FALSE(parse_devname_line("fuse fuse"));
  CHECK_FALSE(parse_devname_line("fuse fuse x10:229"));
  CHECK_FALSE(parse_devname_line("fuse fuse c10"));
  CHECK_FALSE(parse_devname_line("fuse fuse c10 229"));
  CHECK_FALSE(parse_devname_line("fuse fuse c:229"));
}

TEST_CASE("static-nodes' three formats", "[tools][static-nodes]") {
  DevnameEntry fuse{"fuse", "fuse", 'c', 10, 229};
  DevnameEntry timer{"snd_timer", "snd/timer", 'c', 116, 33};
  DevnameEntry blk{"loop", "loop-control", 'b', 7, 0};
  CHECK(format_node(fuse, NodeFormat::human) ==
        "Module: fuse\n\tDevice node: /dev/fuse\n\t\tType: character device\n\t\tMajor: 10\n\t\tMinor: 229\n");
  CHECK(format_node(blk, NodeFormat::human).find("\t\tType: block device\n") != std::string::npos);
  CHECK(format_node(fuse, NodeFormat::tmpfiles) == "c! /dev/fuse 0600 - - - 10:229\n");
  CHECK(format_node(timer, NodeFormat::tmpfiles) == "d /dev/snd 0755 - - -\nc! /dev/snd/timer 0600 - - - 116:33\n");
  CHECK(format_node(blk, NodeFormat::devname) == "loop loop-control b7:0\n");
}

TEST_CASE("static-nodes reads the running kernel's modules.devname", "[tools][static-nodes]") {
  ToolRun run;
  TempDir t;
  run.root = t.path;
  // No file: kmod's warning, success.
  CHECK(run(run_static_nodes, "kmod", {}) == 0);
  CHECK(run.err == "Warning: /lib/modules/6.1.0-sim/modules.devname not found - ignoring\n");
  CHECK(run.out.empty());

  t.write("lib/modules/6.1.0-sim/modules.devname",
          "# Device nodes to trigger on-demand module loading.\nfuse fuse c10:229\nsnd_timer snd/timer c116:33\n");
  CHECK(run(run_static_nodes, "kmod", {"--format=devname"}) == 0);
  CHECK(run.out == "fuse fuse c10:229\nsnd_timer snd/timer c116:33\n");
  CHECK(run.err.empty());

  // --output: the directories are made, nothing goes to stdout.
  const std::string out = t / "run/static/nodes.conf";
  CHECK(run(run_static_nodes, "kmod", {"-f", "tmpfiles", "--output", out}) == 0);
  CHECK(run.out.empty());
  CHECK(read_file(out) == "c! /dev/fuse 0600 - - - 10:229\nd /dev/snd 0755 - - -\nc! /dev/snd/timer 0600 - - - 116:33\n");

  // A bad line: named, the others still written, status 1.
  t.write("lib/modules/6.1.0-sim/modules.devname", "fuse fuse c10:229\nbroken line\n");
  CHECK(run(run_static_nodes, "kmod", {"-f", "devname"}) == 1);
  CHECK(run.out == "fuse fuse c10:229\n");
  CHECK(run.err == "Error: invalid devname entry: broken line\n");

  CHECK(run(run_static_nodes, "kmod", {"-f", "bad"}) == 1);
  CHECK(run.err == "Unknown format: 'bad'.\n");
  CHECK(run.out.starts_with("Usage:\n\tkmod static-nodes [options]\n"));
  CHECK(run(run_static_nodes, "kmod", {"--output", t / "lib/modules/6.1.0-sim/modules.devname/x"}) == 1);
  CHECK(run.err == "Error: could not create parent directory for " + t / "lib/modules/6.1.0-sim/modules.devname/x" +
                   " - Not a directory.\n");
  CHECK(run(run_static_nodes, "kmod", {"-h"}) == 0);
  CHECK(run.out.find("\t-f, --format=FORMAT  choose format to use: see \"Formats\"\n"
                     "\t-o, --output=FILE    write output to file\n"
                     "\t-h, --help           show this help\n\nFormats:\n"
                     "\thuman        (default) a human readable format. Do not parse.\n") != std::string::npos);
}

TEST_CASE("static-nodes refuses a modules.devname that is a FIFO, without waiting", "[tools][static-nodes]") {
  ToolRun run;
  TempDir t;
  run.root = t.path;
  std::filesystem::create_directories(t / "lib/modules/6.1.0-sim");
  REQUIRE(mkfifo((t / "lib/modules/6.1.0-sim/modules.devname").c_str(), 0600) == 0);
  CHECK(run(run_static_nodes, "kmod", {}) == 1);
  CHECK(run.err == "Error: could not open /lib/modules/6.1.0-sim/modules.devname - not a regular file\n");
  CHECK(run.out.empty());
}
