// A small persistent pool of helper threads for builds without OpenMP but with threads (wasm with pthreads).
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <mutex>
#include <thread>

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#undef GAN_POOL_HELPERS
#define GAN_POOL_HELPERS 0  // wasm without threads (a page served without COOP/COEP): the caller does every share
#elif !defined(GAN_POOL_HELPERS)
#define GAN_POOL_HELPERS 1  // two threads in all: the project's machines have 2 cores
#endif

namespace gan {
namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

class Pool {
 public:
  Pool() {
    const size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const size_t helpers = std::min<size_t>(GAN_POOL_HELPERS, cores - 1);
    for (size_t i = 0; i < helpers; ++i) std::thread([this] { loop(); }).detach();
    helpers_ = helpers;
  }
  // Never destroyed (see pool()): the helpers wait on wake_ until the program ends.

  size_t threads() const { return helpers_ + 1; }

  // The caller never blocks in the kernel: in a browser it is the page's main thread, where waiting on a lock is
  // frowned upon (Emscripten warns, and it stalls the page). It takes the lock with try_lock, works through the
  // parts with the helpers, and spins only for parts a helper is still running.
  //
  // Helpers start asynchronously (a browser starts a Web Worker for each), so until all of them run the caller does
  // every part itself: waiting for a helper that is still loading would hang the page that has to load it.
  void run(size_t parts, const std::function<void(size_t)>& job) {
    if (started_.load(std::memory_order_acquire) < helpers_) {
      for (size_t p = 0; p < parts; ++p) job(p);
      return;
    }
    lock_without_blocking();
    const uint64_t generation = ++generation_ & kPartMask;
    job_ = {&job, parts};
    done_.store(0, std::memory_order_relaxed);
    ticket_.store(generation << 32, std::memory_order_release);
    mutex_.unlock();
    wake_.notify_all();
    work(generation, {&job, parts});
    while (done_.load(std::memory_order_acquire) != parts) {
    }
  }

  bool polling() const {
    return helpers_ > 0 && started_.load(std::memory_order_acquire) == helpers_ &&
           now_ns() < warm_until_.load(std::memory_order_relaxed);
  }

  // Wakes sleeping helpers to poll for jobs for the next `ms` milliseconds.
  void keep_warm(double ms) {
    extend_warm(static_cast<int64_t>(ms * 1e6));
    lock_without_blocking();
    ++warm_requests_;
    mutex_.unlock();
    wake_.notify_all();
  }

 private:
  struct Job {
    const std::function<void(size_t)>* fn = nullptr;
    size_t parts = 0;
  };
  static constexpr uint64_t kPartMask = 0xffffffffu;

  // Runs the parts of `generation` that nobody has claimed yet. A claim is one compare-and-swap on the ticket
  // (generation in the high half, next part in the low half), so a helper that wakes after its job has finished,
  // or after the next job began, claims nothing and never touches a job that is gone.
  void work(uint64_t generation, Job job) {
    uint64_t ticket = ticket_.load(std::memory_order_acquire);
    while ((ticket >> 32) == generation && (ticket & kPartMask) < job.parts) {
      if (!ticket_.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel)) continue;
      (*job.fn)(static_cast<size_t>(ticket & kPartMask));
      done_.fetch_add(1, std::memory_order_release);
      ticket = ticket_.load(std::memory_order_acquire);
    }
  }

  void lock_without_blocking() {
    while (!mutex_.try_lock()) {
    }
  }

  void extend_warm(int64_t ns) {
    const int64_t until = now_ns() + ns;
    int64_t current = warm_until_.load(std::memory_order_relaxed);
    while (current < until && !warm_until_.compare_exchange_weak(current, until, std::memory_order_relaxed)) {
    }
  }

  // Returns as soon as a job after generation `seen` is posted, or when the warm window has ended.
  void poll_while_warm(uint64_t seen) {
    for (unsigned spins = 0;; ++spins) {
      if ((ticket_.load(std::memory_order_acquire) >> 32) != seen) return;
      if (spins % 256 == 0 && now_ns() >= warm_until_.load(std::memory_order_relaxed)) return;
    }
  }

  // A helper polls while the pool is warm and sleeps on wake_ otherwise; a keep_warm call wakes it to poll again.
  void loop() {
    started_.fetch_add(1, std::memory_order_release);
    uint64_t seen = 0, seen_warm_requests = 0;
    for (;;) {
      poll_while_warm(seen);
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return (generation_ & kPartMask) != seen || warm_requests_ != seen_warm_requests; });
      seen_warm_requests = warm_requests_;
      if ((generation_ & kPartMask) == seen) continue;  // woken to poll, no job yet
      seen = generation_ & kPartMask;
      const Job job = job_;
      lock.unlock();
      work(seen, job);
    }
  }

  size_t helpers_ = 0;  // threads started (detached: they run until the program ends)
  std::mutex mutex_;
  std::condition_variable wake_;
  Job job_;                             // guarded by mutex_
  uint64_t generation_ = 0;             // guarded by mutex_
  uint64_t warm_requests_ = 0;          // guarded by mutex_
  std::atomic<int64_t> warm_until_{0};  // now_ns() until which idle helpers poll instead of sleeping
  std::atomic<uint64_t> ticket_{0};
  std::atomic<size_t> done_{0};     // parts of the current job finished
  std::atomic<size_t> started_{0};  // helpers whose loop is running
};

// The pool lives as long as the program and is never destroyed: destroying its condition variable at exit while
// the helpers wait on it blocks forever (glibc), and the process ends the helpers anyway.
Pool& pool() {
  static Pool* instance = new Pool;
  return *instance;
}

std::atomic<bool> held{false};

}  // namespace

size_t pool_threads() { return held.load(std::memory_order_acquire) ? 1 : pool().threads(); }
void hold_pool() { held.store(true, std::memory_order_release); }
void release_pool() {
  held.store(false, std::memory_order_release);
  pool();  // starts the helpers now, so that they are up by the time the next big job comes
}
void keep_pool_warm(double ms) {
  if (!held.load(std::memory_order_acquire)) pool().keep_warm(ms);
}
bool pool_polling() { return !held.load(std::memory_order_acquire) && pool().polling(); }
void run_on_pool(size_t parts, const std::function<void(size_t)>& job) {
  if (held.load(std::memory_order_acquire)) {
    for (size_t p = 0; p < parts; ++p) job(p);  // one thread while held
    return;
  }
  pool().run(parts, job);
}

}  // namespace gan
