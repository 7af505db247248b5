// A layer-list generator (the DCGAN) ready to draw: the Linear layers and wide transposed convolutions whose weights
// a q8 file stores as 8-bit whole numbers run on QuantizedPanels as integers, as the MLP's do in InferenceMlp, and
// the others through their float layers in evaluation mode. NetworkGenerator::generate is its reference.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "network_files.h"
#include "quantized_panels.h"

namespace gan {

// One layer's 8-bit form (inference_network.cpp): y from x, as the float layer computes it up to rounding.
class QuantizedLayer {
 public:
  virtual ~QuantizedLayer() = default;
  virtual void forward(const Matrix& x, Matrix& y, QuantizedInputs& rounded) = 0;
};

class InferenceNetwork {
 public:
  InferenceNetwork() = default;
  // Every layer float: the same bits as generator.generate.
  explicit InferenceNetwork(NetworkGenerator generator);

  const Architecture& arch() const { return generator_.arch; }
  const Network& network() const { return generator_.net; }
  // Whether layer `layer` runs on 8-bit weights.
  bool quantized(size_t layer) const { return quantized_.at(layer) != nullptr; }

  // `rows` inputs (z, then the one-hot class for a conditional architecture) -> `rows` outputs.
  void forward(const float* x, int rows, float* out);
  // Layer `layer` alone, on its 8-bit or its float weights: y from x (for timing each layer).
  void layer_forward(size_t layer, const Matrix& x, Matrix& y);

 private:
  friend InferenceNetwork load_inference_network(const uint8_t* data, size_t size, GeneratorInfo* info);

  NetworkGenerator generator_;
  std::vector<std::unique_ptr<QuantizedLayer>> quantized_;  // one per layer: null where the layer stays float
  Matrix input_;
  std::vector<Matrix> outputs_;  // each layer's, reused
  QuantizedInputs rounded_;
};

// A layer-list generator file, checked as load_network_generator checks it, with its 8-bit layers kept as integers
// (a file of float weights gives every layer float).
InferenceNetwork load_inference_network(const uint8_t* data, size_t size, GeneratorInfo* info = nullptr);

}  // namespace gan
