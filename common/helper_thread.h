// SPDX-License-Identifier: GPL-2.0-or-later
// One second thread kept for a whole run, for the parts of depmod that
// share their work between two threads.
//
// Starting a thread for each such part costs its start-up every time, and
// on a virtual machine whose other vCPU is idle that is the time the
// hypervisor takes to wake it: 0.04 to 3.4 ms measured on the project's
// 2-vCPU build machine, against 10 to 13 ms of work to share.  The helper
// is started once, early; between tasks it spins (for at most kSpin)
// instead of sleeping, so that a task handed to it starts at once, and
// then sleeps until the next task or the end.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mng {

class HelperThread {
 public:
  // How long the thread (and wait()) spins before sleeping.
  static constexpr std::chrono::milliseconds kSpin{40};

  HelperThread();
  // Waits for a task still running, then stops the thread.
  ~HelperThread();
  HelperThread(const HelperThread&) = delete;
  HelperThread& operator=(const HelperThread&) = delete;

  // Runs TASK on the helper thread.  One task at a time: the one before
  // must have been waited for.
  void start(std::function<void()> task);
  // Returns once the task started last has finished (at once if none).
  void wait();

 private:
  enum State { kIdle, kPending, kDone, kStop };
  void loop();
  // Returns once READY() holds: it spins for kSpin, then sleeps.  Every
  // change of the state is made under mu_ and notified.
  template <typename Ready>
  void await(Ready ready);
  void set(State s);

  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> task_;
  std::atomic<int> state_{kIdle};
  std::thread thread_;
};

// Runs OTHER on HELPER (without one, on a thread started for it) and MINE
// on the calling thread; returns once both are done.
void run_beside(HelperThread* helper, const std::function<void()>& other, const std::function<void()>& mine);

}  // namespace mng
