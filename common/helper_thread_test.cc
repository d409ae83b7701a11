// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/helper_thread.h"

#include <catch2/catch.hpp>
#include <vector>

namespace mng {
namespace {

TEST_CASE("the helper runs each task on its own thread, one after another", "[helper]") {
  HelperThread h;
  h.wait();  // nothing started: returns at once
  std::vector<int> seen;
  std::thread::id where;
  for (int i = 0; i < 200; ++i) {
    h.start([&, i] {
      seen.push_back(i);
      where = std::this_thread::get_id();
    });
    h.wait();
  }
  REQUIRE(seen.size() == 200);
  for (int i = 0; i < 200; ++i) CHECK(seen[i] == i);
  CHECK(where != std::this_thread::get_id());
}

TEST_CASE("work shared with the helper is done once, whichever side takes it", "[helper]") {
  HelperThread h;
  std::atomic<int> next{0};
  std::vector<int> done(10000, 0);
  auto work = [&] {
    for (int i; (i = next.fetch_add(1)) < 10000;) done[i]++;
  };
  h.start(work);
  work();
  h.wait();
  for (int d : done) CHECK(d == 1);
}

TEST_CASE("the helper still takes a task after sleeping, and a running task ends the run", "[helper]") {
  std::atomic<bool> ran{false};
  {
    HelperThread h;
    std::this_thread::sleep_for(HelperThread::kSpin * 2);  // past spinning: asleep
    h.start([&] { ran = true; });
    h.wait();
    CHECK(ran);
    ran = false;
    h.start([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ran = true;
    });
  }  // the destructor waits for it
  CHECK(ran);
}

TEST_CASE("run_beside runs both parts, on the helper or on a thread of its own", "[helper]") {
  HelperThread h;
  for (HelperThread* helper : {&h, static_cast<HelperThread*>(nullptr)}) {
    std::thread::id other_id, mine_id;
    run_beside(
        helper, [&] { other_id = std::this_thread::get_id(); }, [&] { mine_id = std::this_thread::get_id(); });
    CHECK(mine_id == std::this_thread::get_id());
    CHECK(other_id != std::thread::id());
    CHECK(other_id != mine_id);
  }
}

}  // namespace
}  // namespace mng
