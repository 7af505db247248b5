// StopSignals (native/stop_signals.h): SIGINT and SIGTERM reach its own waiting thread, never a computing thread.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "stop_signals.h"

using namespace gan;

namespace {

bool blocks_stop_signals() {
  sigset_t mask;
  pthread_sigmask(SIG_BLOCK, nullptr, &mask);
  return sigismember(&mask, SIGINT) == 1 && sigismember(&mask, SIGTERM) == 1;
}

int thread_count() {
  int n = 0;
  if (DIR* tasks = opendir("/proc/self/task")) {
    while (const dirent* entry = readdir(tasks)) n += entry->d_name[0] != '.';
    closedir(tasks);
  }
  return n;
}

int wait_for_stop(const StopSignals& signals) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (signals.stop_signal() == 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return signals.stop_signal();
}

}  // namespace

TEST_CASE("stop signals go to their own thread: every thread started meanwhile has them blocked", "[signals]") {
  REQUIRE_FALSE(blocks_stop_signals());
  // A signal sent to the process lands on any thread that does not block it, so this part needs a process with
  // no other thread (ctest runs each test case in its own process).
  const bool alone = thread_count() == 1;
  {
    const StopSignals signals;
    CHECK(signals.stop_signal() == 0);
    CHECK(blocks_stop_signals());
    bool worker_blocks = false;  // as the run's worker pools, started after it
    std::thread([&] { worker_blocks = blocks_stop_signals(); }).join();
    CHECK(worker_blocks);
    if (alone) {
      kill(getpid(), SIGTERM);  // as `kill` or a terminal's Ctrl-C sends it: to the process
      CHECK(wait_for_stop(signals) == SIGTERM);
      kill(getpid(), SIGINT);  // a second one is taken too, and the first one stays the answer
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      CHECK(signals.stop_signal() == SIGTERM);
    } else {
      WARN("other threads run in this process: the signals themselves were not sent (run this test alone)");
    }
  }
  CHECK_FALSE(blocks_stop_signals());  // the mask as it was
}
