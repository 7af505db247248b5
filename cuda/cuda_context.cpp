// Error checks, the device query and the streams + cuBLAS handles of the CUDA backend.
#include "cuda_context.h"

#include <stdexcept>

namespace gan::cuda {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

void check_launch(const char* what) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess)
    throw std::runtime_error(std::string("CUDA error after launching kernel ") + what +
                             " (it, or earlier work on the GPU, failed): " + cudaGetErrorString(e));
}

void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(std::string(what) + ": cuBLAS error " + cublasGetStatusString(s));
}

bool device_available(std::string* why) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    if (why) {
      if (e == cudaErrorInsufficientDriver)
        *why = "no NVIDIA driver, or one older than this build's CUDA " + std::to_string(CUDART_VERSION / 1000) + " runtime";
      else
        *why = e != cudaSuccess && e != cudaErrorNoDevice ? cudaGetErrorString(e) : "no CUDA device found";
    }
    cudaGetLastError();  // clear the sticky error of a failed query
    return false;
  }
  return true;
}

std::string require_device() {
  std::string why;
  if (!device_available(&why))
    throw std::runtime_error("--device cuda: no usable NVIDIA GPU here (" + why + "); use --device cpu (the default), "
                             "or run on a machine with an NVIDIA GPU and its driver");
  cudaDeviceProp p{};
  check(cudaGetDeviceProperties(&p, 0), "cudaGetDeviceProperties");
  return std::string(p.name) + " (" + std::to_string(p.totalGlobalMem >> 30) + " GiB, compute " +
         std::to_string(p.major) + "." + std::to_string(p.minor) + ")";
}

void Context::open(Lane& lane, bool tf32) {
  check(cudaStreamCreateWithFlags(&lane.stream, cudaStreamNonBlocking), "cudaStreamCreate");
  check(cublasCreate(&lane.blas), "cublasCreate");
  check(cublasSetStream(lane.blas, lane.stream), "cublasSetStream");
  check(cublasSetMathMode(lane.blas, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
  lane.workspace = DeviceArray<unsigned char>(size_t{32} << 20);  // cuBLAS asks 32 MiB on Hopper
  check(cublasSetWorkspace(lane.blas, lane.workspace.data(), lane.workspace.size()), "cublasSetWorkspace");
}

void Context::close(Lane& lane) {
  if (lane.blas) cublasDestroy(lane.blas);
  if (lane.stream) cudaStreamDestroy(lane.stream);
  lane.blas = nullptr;
  lane.stream = nullptr;
}

Context::Context(bool tf32) {
  try {
    open(main_, tf32);
    open(side_, tf32);
    check(cudaEventCreateWithFlags(&forked_, cudaEventDisableTiming), "cudaEventCreate");
    check(cudaEventCreateWithFlags(&joined_, cudaEventDisableTiming), "cudaEventCreate");
  } catch (...) {
    release();  // the destructor does not run for a constructor that throws
    throw;
  }
}

Context::~Context() { release(); }

void Context::release() {
  if (joined_) cudaEventDestroy(joined_);
  if (forked_) cudaEventDestroy(forked_);
  close(side_);
  close(main_);
  joined_ = forked_ = nullptr;
}

void Context::fork() const {
  check(cudaEventRecord(forked_, main_.stream), "cudaEventRecord (fork)");
  check(cudaStreamWaitEvent(side_.stream, forked_, 0), "cudaStreamWaitEvent (fork)");
}

void Context::join() const {
  check(cudaEventRecord(joined_, side_.stream), "cudaEventRecord (join)");
  check(cudaStreamWaitEvent(main_.stream, joined_, 0), "cudaStreamWaitEvent (join)");
}

void Context::synchronize() const { check(cudaStreamSynchronize(main_.stream), "cudaStreamSynchronize"); }

}  // namespace gan::cuda
