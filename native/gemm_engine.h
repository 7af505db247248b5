// Chooses the native engine of the layers' matrix products: oneDNN's SGEMM where the build has it (measured fastest
// on the seed's shapes: docs/benchmarks.md), Eigen with GAN_GEMM=eigen or without oneDNN.
#pragma once
#include <vector>

#include "matrix_product.h"

namespace gan {

// Installs the engine named by the environment variable GAN_GEMM ("onednn", "eigen"; unset: the fastest built in).
// Throws UserError for an unknown name or one this build lacks. Returns the name now in use.
const char* choose_gemm_engine();

// oneDNN's SGEMM as a GemmKernel (always one thread: the layers split the work); null in a build without oneDNN.
GemmKernel onednn_gemm_kernel();

// The speed of one square n x n x n SGEMM on all the threads in use, by each library this build has (Eigen's own
// threaded product, oneDNN's): the peak that `gan bench` holds the training step to.
struct SgemmPeak {
  const char* library;
  double gflops;
};
std::vector<SgemmPeak> sgemm_peaks(int n);

}  // namespace gan
