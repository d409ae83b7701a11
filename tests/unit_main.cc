// SPDX-License-Identifier: GPL-2.0-or-later
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <iostream>
#include <string>

#include "common/log.h"

namespace {

// What the code under test logs through the process logger (depmod and the
// configuration readers run in-process, with no program name and no sink of
// their own) is kept while a test case runs and shown only when the test case
// fails: a passing run prints nothing but Catch's own lines.  Tests that look
// at the messages install their own sink over this one and put it back after.
class KeepLogUntilFailure : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    kept_.clear();
    mng::set_log_sink(keep, &kept_);
  }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    mng::set_log_sink(nullptr, nullptr);
    if (stats.totals.assertions.failed > 0 && !kept_.empty())
      std::cerr << "Logged during \"" << stats.testInfo.name << "\":\n" << kept_ << std::flush;
    kept_.clear();
  }

 private:
  static void keep(mng::Level level, std::string_view text, void* ctx) {
    static_cast<std::string*>(ctx)->append(text);
  }

  std::string kept_;
};

}  // namespace

CATCH_REGISTER_LISTENER(KeepLogUntilFailure)
