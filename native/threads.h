// How many threads Eigen's matrix products use, chosen from the cores that other programs leave free: on a 2-core
// machine with one core busy elsewhere, 2 threads ran at 0.5x one thread (libgomp's workers spin for a partner
// that is descheduled), and waits that sleep at once (OMP_WAIT_POLICY=passive) still lost (0.88x) while costing
// 5-10% on an idle machine (docs/benchmarks.md).
#pragma once
#include <chrono>

namespace gan {

// Cores that other programs kept busy over the last `window_ms` milliseconds (Linux /proc/stat less this process's
// own time); 0 where it cannot be measured.
double cores_busy_elsewhere(int window_ms);

// Sets the thread count: `threads`, or for 0 every core that other programs leave free now (at least 1).
// Returns the number now in use.
int set_threads(int threads);

// Watches the machine during a long run: busy() says how many cores other programs used since the last call.
class LoadWatch {
 public:
  LoadWatch();
  double busy();

 private:
  double total_ = 0, idle_ = 0, own_ = 0;
};

// During a run on several threads, says once (on stderr) when other programs have held a core for the last half
// minute: the threads then wait on each other, and --threads 1 may be faster. check() is cheap; call it often.
class BusyMachineWarning {
 public:
  explicit BusyMachineWarning(int threads) : threads_(threads) {}
  void check();

 private:
  int threads_;
  bool warned_ = false;
  LoadWatch watch_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace gan
