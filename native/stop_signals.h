// SIGINT and SIGTERM during `gan train`, taken by a thread of their own so that no computing thread is interrupted.
#pragma once

#include <signal.h>

#include <atomic>
#include <thread>

namespace gan {

// While one exists, SIGINT and SIGTERM are blocked in the thread that made it and in every thread started after it
// (worker pools inherit the mask), and a waiting thread records them: stop_signal() is the first one caught, or 0.
// Make it before the process starts any other thread. The previous mask comes back at destruction.
//
// Not a handler: a handler runs on the stack of whichever thread the signal lands on, and Debian's oneDNN 2.6 SGEMM
// corrupts the heap when one runs while the thread is inside it (measured: a 200 us timer with an empty handler
// aborts a loop of dnnl_sgemm calls within seconds; `gan train --arch dcgan` with a handler aborted with "corrupted
// size vs. prev_size" on 8 of 14 stop signals sent 20 s or more into the run; 0 of 8 with this class).
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  int stop_signal() const { return caught_.load(); }

 private:
  sigset_t signals_;
  sigset_t previous_mask_;
  std::atomic<int> caught_{0};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

}  // namespace gan
