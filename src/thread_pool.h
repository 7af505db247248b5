// A small persistent pool of helper threads for builds without OpenMP but with threads (wasm with pthreads):
// parallel_chunks hands it one job at a time. Plain C++ threads; nothing platform-specific.
#pragma once
#include <cstddef>
#include <functional>

namespace gan {

// Threads a pool job runs on, the calling thread included (1 when there are no helpers).
size_t pool_threads();
// Runs job(t) for every t in [0, pool_threads()) and returns when all have finished; the caller runs t = 0.
void run_on_pool(const std::function<void(size_t)>& job);

}  // namespace gan
