// Eigen parallelises GEMM with OpenMP when built with it, and so do the core's element-wise loops; the thread count
// follows the cores that other programs leave free.
#include "threads.h"

#include <sys/resource.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

#include "matrix_product.h"
#ifdef _OPENMP
#include <omp.h>
#endif

namespace gan {

namespace {

// Clock ticks since boot, all cores: every state, and idle + iowait.
bool read_cpu_ticks(double* total, double* idle) {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double v[10] = {};
  if (!(stat >> cpu) || cpu != "cpu") return false;
  for (double& x : v) stat >> x;
  if (!stat) return false;
  *total = 0;
  for (int i = 0; i < 8; ++i) *total += v[i];  // guest time is already counted in user time
  *idle = v[3] + v[4];
  return true;
}

// This process's CPU time in clock ticks.
double own_ticks() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double seconds = u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  return seconds * static_cast<double>(sysconf(_SC_CLK_TCK));
}

int cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace

LoadWatch::LoadWatch() {
  read_cpu_ticks(&total_, &idle_);
  own_ = own_ticks();
}

double LoadWatch::busy() {
  double total = 0, idle = 0;
  if (!read_cpu_ticks(&total, &idle)) return 0;
  const double own = own_ticks();
  const double span = total - total_;
  const double busy = span > 0 ? ((span - (idle - idle_)) - (own - own_)) / span * cores() : 0;
  total_ = total, idle_ = idle, own_ = own;
  return std::max(0.0, busy);
}

double cores_busy_elsewhere(int window_ms) {
  LoadWatch watch;
  std::this_thread::sleep_for(std::chrono::milliseconds(window_ms));
  return watch.busy();
}

void BusyMachineWarning::check() {
  if (warned_ || threads_ < 2 || std::chrono::steady_clock::now() - last_ < std::chrono::seconds(30)) return;
  last_ = std::chrono::steady_clock::now();
  const double busy = watch_.busy();
  if (busy < 0.75) return;
  warned_ = true;
  // oneDNN's products give the same bits on any thread count (test_gemm_engines.cpp); Eigen's do not.
  const char* resume_note = gemm_kernel_installed() ? ""
                                                    : " (with Eigen's products a run's numbers depend on its "
                                                      "thread count, so resume with the same --threads)";
  std::fprintf(stderr,
               "\ngan: other programs kept %.1f of this machine's %d cores busy over the last 30 s, and this "
               "run's %d threads wait on each other there; --threads 1 may train faster%s\n",
               busy, cores(), threads_, resume_note);
}

int set_threads(int threads) {
  if (threads <= 0) threads = std::max(1, static_cast<int>(std::lround(cores() - cores_busy_elsewhere(100))));
  Eigen::setNbThreads(threads);
#ifdef _OPENMP
  omp_set_num_threads(threads);  // the core's own parallel loops (Adam, RNG) follow the same setting
#endif
  return Eigen::nbThreads();
}

}  // namespace gan
