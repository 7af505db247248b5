// StopSignals: SIGINT and SIGTERM blocked in the computing threads and waited for by one thread of their own.
#include "stop_signals.h"

#include <pthread.h>

#include <ctime>

namespace gan {

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  waiter_ = std::thread([this] {
    const timespec poll{0, 20 * 1000 * 1000};  // 20 ms: the longest the destructor waits for this thread
    while (!done_.load()) {
      const int sig = sigtimedwait(&signals_, nullptr, &poll);
      int none = 0;
      if (sig > 0) caught_.compare_exchange_strong(none, sig);
    }
  });
}

StopSignals::~StopSignals() {
  done_.store(true);
  waiter_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace gan
