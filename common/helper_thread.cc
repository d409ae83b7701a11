// SPDX-License-Identifier: GPL-2.0-or-later
#include "common/helper_thread.h"

namespace mng {

HelperThread::HelperThread() : thread_([this] { loop(); }) {}

HelperThread::~HelperThread() {
  wait();
  set(kStop);
  thread_.join();
}

template <typename Ready>
void HelperThread::await(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 0; !ready(); ++i) {
    // sched_yield lets anything else that is ready run here meanwhile.
    std::this_thread::yield();
    if (i % 64 == 0 && std::chrono::steady_clock::now() > until) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, ready);
      return;
    }
  }
}

void HelperThread::set(State s) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.store(s, std::memory_order_release);
  }
  cv_.notify_all();
}

void HelperThread::loop() {
  for (;;) {
    await([this] {
      int s = state_.load(std::memory_order_acquire);
      return s == kPending || s == kStop;
    });
    if (state_.load(std::memory_order_acquire) == kStop) return;
    task_();
    task_ = nullptr;
    set(kDone);
  }
}

void HelperThread::start(std::function<void()> task) {
  wait();
  task_ = std::move(task);
  set(kPending);
}

void HelperThread::wait() {
  if (state_.load(std::memory_order_acquire) == kIdle) return;
  await([this] { return state_.load(std::memory_order_acquire) == kDone; });
  set(kIdle);
}

void run_beside(HelperThread* helper, const std::function<void()>& other, const std::function<void()>& mine) {
  if (helper) {
    helper->start(other);
    mine();
    helper->wait();
  } else {
    std::thread own(other);
    mine();
    own.join();
  }
}

}  // namespace mng
