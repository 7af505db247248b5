// Error checks, the device query and the stream + cuBLAS handle of the CUDA backend.
#include "cuda_context.h"

#include <stdexcept>

namespace gan::cuda {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}

void check_launch(const char* what) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess)
    throw std::runtime_error(std::string("CUDA kernel ") + what + " failed: " + cudaGetErrorString(e));
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

Context::Context() {
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
  check(cublasCreate(&blas_), "cublasCreate");
  check(cublasSetStream(blas_, stream_), "cublasSetStream");
  check(cublasSetMathMode(blas_, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
  workspace_ = DeviceArray<unsigned char>(size_t{32} << 20);  // cuBLAS asks 32 MiB on Hopper
  check(cublasSetWorkspace(blas_, workspace_.data(), workspace_.size()), "cublasSetWorkspace");
}

Context::~Context() {
  if (blas_) cublasDestroy(blas_);
  if (stream_) cudaStreamDestroy(stream_);
}

void Context::synchronize() const { check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize"); }

}  // namespace gan::cuda
