// The generated command lines options_test.cc checks.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "modprobe/options.h"

namespace mng::options_corpus {

struct Line {
  std::vector<std::string> argv;
  const char* env = nullptr;
  bool safe = false;
};

std::vector<Line> command_lines();
std::string describe(const ParsedOptions& p);
std::string show_line(const Line& l);
uint64_t digest(const std::vector<Line>& lines);

}  // namespace mng::options_corpus

namespace mng::options_corpus {

struct Case {
  Line line;
  const char* want;  // describe() of the result
};

// Chosen lines and their results, as the getopt parser gave them.
const std::vector<Case>& chosen_cases();

}  // namespace mng::options_corpus
