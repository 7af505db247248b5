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
// Keeps the helpers polling for work (a busy wait) for the next `ms` milliseconds, waking them if they sleep, so
// that a job in that window starts at once instead of after a wake-up (0.3-0.5 ms in a browser on a VM). Otherwise
// they sleep between jobs: on two cores a polling helper crowds the browser's own threads.
void keep_pool_warm(double ms);
// Whether the helpers are polling for work now (started, not held, inside a warm window).
bool pool_polling();
// Runs job(p) once for every part p in [0, parts) on the calling thread and the helpers, and returns when all have
// finished. Parts are claimed one at a time, so a helper that wakes late (a busy machine has descheduled it) leaves
// its parts to the caller instead of making the caller wait; the caller waits only for parts a helper is running.
void run_on_pool(size_t parts, const std::function<void(size_t)>& job);

}  // namespace gan
