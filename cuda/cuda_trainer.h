// `gan train --device cuda`: the seed's training step on the GPU, the same schedule and random streams as the CPU
// core's, captured once into a CUDA graph and replayed step after step. Weights, Adam state, the data set and the
// step's random numbers stay on the GPU; the host reads back only the logged losses, every few hundred steps.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "train_backend.h"

namespace gan::cuda {

struct CudaTrainOptions {
  bool use_graph = true;  // false: launch each kernel of each step (slower; for tests and debugging)
  bool tf32 = false;      // matrix products on TF32 tensor cores (faster; results differ from the CPU's by ~1e-3)
};

// `labels` (one per image, each below the Gan's classes) are needed by the conditional GAN only. Throws with a
// clear message when no GPU is usable.
std::unique_ptr<MlpTrainBackend> make_cuda_trainer(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels,
                                                CudaTrainOptions options = {});

// Images from `generator` on the GPU (evaluation mode): the rows of `input` are its inputs (z, and the one-hot label
// for a conditional generator).
Matrix generate_on_gpu(const Mlp& generator, const Matrix& input);

}  // namespace gan::cuda
