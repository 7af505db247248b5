// A small persistent pool of helper threads for builds without OpenMP but with threads (wasm with pthreads):
// parallel_chunks hands it one job at a time. Plain C++ threads; nothing platform-specific.
#pragma once
#include <cstddef>
#include <functional>

namespace gan {

// Threads a pool job runs on, the calling thread included (1 when there are no helpers, or while they are held).
size_t pool_threads();
// Holds the helpers back (until release_pool): the page's first digits should not wait while the main thread
// starts a Web Worker (about 20 ms of its time on a cold load). Call it before anything runs on the pool.
void hold_pool();
// Lets the helpers start; they come up in the background while work continues on the calling thread.
void release_pool();
// Runs job(t) for every t in [0, pool_threads()) and returns when all have finished; the caller runs t = 0.
void run_on_pool(const std::function<void(size_t)>& job);

}  // namespace gan
