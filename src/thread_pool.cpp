// A small persistent pool of helper threads for builds without OpenMP but with threads (wasm with pthreads).
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#undef GAN_POOL_HELPERS
#define GAN_POOL_HELPERS 0  // wasm without threads (a page served without COOP/COEP): the caller does every share
#elif !defined(GAN_POOL_HELPERS)
#define GAN_POOL_HELPERS 1  // two threads in all: the project's machines have 2 cores
#endif

namespace gan {
namespace {

class Pool {
 public:
  Pool() {
    const size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const size_t helpers = std::min<size_t>(GAN_POOL_HELPERS, cores - 1);
    for (size_t i = 0; i < helpers; ++i) helpers_.emplace_back([this, i] { loop(i + 1); });
  }
  // The helpers live as long as the program; the runtime ends them at exit.
  ~Pool() {
    for (auto& t : helpers_) t.detach();
  }

  size_t threads() const { return helpers_.size() + 1; }

  // The caller never blocks in the kernel: in a browser it is the page's main thread, where waiting on a lock is
  // frowned upon (Emscripten warns, and it stalls the page). It takes the lock with try_lock and spins for the
  // helpers, which finish their equal share at about the time the caller finishes its own.
  //
  // Helpers start asynchronously (a browser starts a Web Worker for each), so until all of them run the caller does
  // every share itself: waiting for a helper that is still loading would hang the page that has to load it.
  void run(const std::function<void(size_t)>& job) {
    if (started_.load(std::memory_order_acquire) < helpers_.size()) {
      for (size_t t = 0; t < threads(); ++t) job(t);
      return;
    }
    while (!mutex_.try_lock()) {
    }
    job_ = &job;
    pending_.store(helpers_.size(), std::memory_order_relaxed);
    ++generation_;
    mutex_.unlock();
    wake_.notify_all();
    job(0);
    while (pending_.load(std::memory_order_acquire) != 0) {
    }
  }

 private:
  void loop(size_t index) {
    started_.fetch_add(1, std::memory_order_release);
    size_t seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_ != seen; });
      seen = generation_;
      const auto* job = job_;
      lock.unlock();
      (*job)(index);
      pending_.fetch_sub(1, std::memory_order_release);
    }
  }

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  const std::function<void(size_t)>* job_ = nullptr;  // guarded by mutex_
  size_t generation_ = 0;                             // guarded by mutex_
  std::atomic<size_t> pending_{0};
  std::atomic<size_t> started_{0};  // helpers whose loop is running
};

Pool& pool() {
  static Pool instance;
  return instance;
}

std::atomic<bool> held{false};

}  // namespace

size_t pool_threads() { return held.load(std::memory_order_acquire) ? 1 : pool().threads(); }
void hold_pool() { held.store(true, std::memory_order_release); }
void release_pool() {
  held.store(false, std::memory_order_release);
  pool();  // starts the helpers now, so that they are up by the time the next big job comes
}
void run_on_pool(const std::function<void(size_t)>& job) {
  if (held.load(std::memory_order_acquire)) {
    job(0);  // one thread while held: pool_threads() said 1
    return;
  }
  pool().run(job);
}

}  // namespace gan
