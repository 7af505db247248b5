// The emulated GPU's hooks for the host kernels (kernels_host.cpp): stream-ordered work, and device memory that is
// checked on every use.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

#include "cuda_runtime_api.h"

namespace gan::cuda::emulator {

// Queues `work` on `stream`, to run when the host next waits for it; runs it now on the legacy stream (nullptr); or
// records it into the graph that `stream` is being captured into.
void enqueue(cudaStream_t stream, std::function<void()> work);

// Launches a kernel: queues `work` as enqueue does, unless fail_launch picked this launch to fail.
void launch(cudaStream_t stream, std::function<void()> work);
// Makes the launch `after` launches from now fail (0: the next one) as a launch asking too many resources does: its
// kernel does not run, cudaGetLastError reports it, and a capture in progress is invalidated. -1 cancels.
void fail_launch(int64_t after);

// Throws std::logic_error naming `what` unless [p, p + bytes) lies inside one live cudaMalloc allocation: a kernel
// given host memory, a freed array or too short an array fails here as it would fault (or worse) on a GPU.
void require_device(const void* p, size_t bytes, const char* what);

// What the host asked of the emulated GPU, counted since the last reset_counts(): for tests of what a training step
// costs the host (copies each way, waits, allocations, graph launches).
struct Counts {
  size_t to_device = 0, to_host = 0, on_device = 0;  // copies, by direction
  size_t waits = 0;                                  // device, stream and event synchronisations
  size_t allocations = 0;                            // cudaMalloc and cudaMallocHost
  size_t launches = 0;                               // kernels launched (not counting graph launches)
  size_t graph_launches = 0;
  size_t graph_nodes = 0;  // kernels, products and copies in the graphs captured
  size_t graph_depth = 0;  // the nodes on the longest chain of dependencies in the last graph captured
};
const Counts& counts();
void reset_counts();

template <class T>
void require_values(const T* p, size_t count, const char* what) {
  require_device(p, count * sizeof(T), what);
}

}  // namespace gan::cuda::emulator
