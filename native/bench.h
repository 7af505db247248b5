// `gan bench`: training iterations/s of the seed configuration, and the machine's SGEMM peak for comparison.
#pragma once
#include <string>

#include "network.h"

namespace gan {

struct BenchOptions {
  std::string data_dir = "data/mnist";
  int iterations = 300;
  int warmup = 20;
  int batch = 60;
  int threads = 0;
  std::string device = "cpu";
  bool tf32 = false;  // --device cuda: products on TF32 tensor cores
  bool json = false;
  std::string arch = "seed";  // one of architecture_names()
};

int run_bench(const BenchOptions& options);

// Floating-point operations of one training step (matrix products only, which are >97% of the arithmetic).
double flops_per_step(int batch, int z_dim);
// The same for a layer-list GAN's step (PyTorch's DCGAN example: G once, D three times, no stacking).
double network_flops_per_step(int batch, const Network& G, const Network& D);

}  // namespace gan
