// A generator ready to draw digits in the viewer and the page, whatever its architecture: the seed's MLPs packed for
// the SIMD kernels (InferenceMlp), or a layer list (the DCGAN) in evaluation mode (InferenceNetwork).
#pragma once
#include <memory>
#include <string>

#include "inference_mlp.h"
#include "inference_network.h"

namespace gan {

class DigitGenerator {
 public:
  DigitGenerator() = default;
  DigitGenerator(InferenceMlp mlp);  // not explicit: an MLP is the common case
  DigitGenerator(const Mlp& mlp) : DigitGenerator(InferenceMlp(mlp)) {}
  DigitGenerator(InferenceNetwork net);
  DigitGenerator(NetworkGenerator net) : DigitGenerator(InferenceNetwork(std::move(net))) {}

  bool empty() const { return !mlp_ && !net_; }
  // "seed", "conditional", "dcgan", "conditional-dcgan".
  std::string architecture() const;
  int classes() const;
  int z_dim() const;  // inputs before the one-hot class
  int in_features() const { return z_dim() + classes(); }
  int out_features() const { return 784; }
  size_t parameter_count() const;
  // Its layers in a line: "100 → 256 → 512 → 1024 → 784" for an MLP, the PyTorch modules for a layer list.
  std::string layers_text() const;

  // `rows` inputs (z, then the one-hot class for a conditional generator) -> `rows` digits of 784 pixels.
  void forward(const float* x, int rows, float* out);

 private:
  std::shared_ptr<InferenceMlp> mlp_;  // shared: a grid handed to another grid keeps the same weights
  std::shared_ptr<InferenceNetwork> net_;
};

// A generator file's bytes, checked as load_packed_generator and load_network_generator check them; a q8 file's
// layers keep their 8-bit weights as integers.
DigitGenerator load_digit_generator(const uint8_t* data, size_t size, GeneratorInfo* info = nullptr);

}  // namespace gan
