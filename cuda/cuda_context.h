// The CUDA runtime and cuBLAS behind the backend: error checks, the device query, owned device memory, and the
// streams with their cuBLAS handles.
#pragma once
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace gan::cuda {

// Throws std::runtime_error("<what>: <CUDA's message>") unless e is cudaSuccess.
void check(cudaError_t e, const char* what);
void check(cublasStatus_t s, const char* what);
// Throws std::runtime_error naming the kernel `what` when CUDA reports an error after its launch (the launch's own,
// or one left by earlier asynchronous work).
void check_launch(const char* what);

// The first GPU's name and memory, e.g. "NVIDIA H200 (139 GiB, compute 9.0)". Throws a message that says what to do
// when there is no usable GPU (no device, no driver, or a driver too old for this build).
std::string require_device();
// True when a GPU is usable; `why` receives the reason when not.
bool device_available(std::string* why = nullptr);

// Device memory for n values of T, freed on destruction; moves, never copies.
template <class T>
class DeviceArray {
 public:
  DeviceArray() = default;
  explicit DeviceArray(size_t n) : n_(n) {
    if (n > 0) check(cudaMalloc(reinterpret_cast<void**>(&p_), n * sizeof(T)), "cudaMalloc");
  }
  DeviceArray(DeviceArray&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; o.n_ = 0; }
  DeviceArray& operator=(DeviceArray&& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
    return *this;
  }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  ~DeviceArray() { if (p_) cudaFree(p_); }

  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }

  // Synchronous copies of `count` values at `offset`, for set-up, checkpoints and tests (never inside a step or a
  // graph capture). cudaMemcpy runs on the legacy stream, which the backend's non-blocking stream does not wait
  // for, and a pageable upload may return before its DMA lands: both wait for the whole device first, and the
  // upload again after.
  void upload(const T* host, size_t count, size_t offset = 0) {
    check(cudaDeviceSynchronize(), "upload");
    check(cudaMemcpy(p_ + offset, host, count * sizeof(T), cudaMemcpyHostToDevice), "upload");
    check(cudaDeviceSynchronize(), "upload");
  }
  void download(T* host, size_t count, size_t offset = 0) const {
    check(cudaDeviceSynchronize(), "download");
    check(cudaMemcpy(host, p_ + offset, count * sizeof(T), cudaMemcpyDeviceToHost), "download");
  }
  std::vector<T> to_host() const {
    std::vector<T> v(n_);
    download(v.data(), n_);
    return v;
  }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

// Page-locked host memory for n values of T (its copies to and from the GPU are asynchronous), freed on destruction.
template <class T>
class PinnedArray {
 public:
  explicit PinnedArray(size_t n) : n_(n) {
    check(cudaMallocHost(reinterpret_cast<void**>(&p_), std::max<size_t>(n, 1) * sizeof(T)), "cudaMallocHost");
  }
  PinnedArray(const PinnedArray&) = delete;
  PinnedArray& operator=(const PinnedArray&) = delete;
  ~PinnedArray() { cudaFreeHost(p_); }
  T* data() { return p_; }
  T& operator[](size_t i) { return p_[i]; }
  size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

// A stream and a cuBLAS handle bound to it, with a fixed workspace so that cuBLAS allocates nothing while a step is
// captured into a graph; and a side stream with its own handle and workspace, for work that may overlap the main
// stream's (fork, then join). Matrix products are plain FP32 like the CPU's, unless `tf32`: then cuBLAS may run them
// on TF32 tensor cores (inputs rounded to 10 mantissa bits, sums in FP32), as PyTorch's allow_tf32 does.
class Context {
 public:
  explicit Context(bool tf32 = false);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  cudaStream_t stream() const { return main_.stream; }
  cublasHandle_t blas() const { return main_.blas; }
  cudaStream_t side_stream() const { return side_.stream; }
  cublasHandle_t side_blas() const { return side_.blas; }
  // fork(): the side stream's next work waits for all that the main stream has been given so far. join(): the main
  // stream's next work waits for all that the side stream has been given so far. In a capture both are graph edges.
  void fork() const;
  void join() const;
  // Waits for the main stream (the side stream's work is joined into it before anything reads its results).
  void synchronize() const;

 private:
  struct Lane {  // a stream and a cuBLAS handle bound to it, with its own workspace (two products may overlap)
    cudaStream_t stream = nullptr;
    cublasHandle_t blas = nullptr;
    DeviceArray<unsigned char> workspace;
  };
  Lane main_, side_;
  cudaEvent_t forked_ = nullptr, joined_ = nullptr;

  static void open(Lane& lane, bool tf32);
  static void close(Lane& lane);
  void release();
};

}  // namespace gan::cuda
