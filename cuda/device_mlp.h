// One of the seed's MLPs on the GPU: its parameters and gradients as flat arrays in state_dict order (so one
// kernel updates them all), forward and backward as Mlp does them, for up to max_rows rows.
#pragma once
#include <cstdint>
#include <vector>

#include "cuda_context.h"
#include "kernel_bodies.h"
#include "mlp.h"

namespace gan::cuda {

class DeviceMlp {
 public:
  DeviceMlp(const MlpSpec& spec, int max_rows);

  const MlpSpec& spec() const { return spec_; }
  size_t param_count() const { return params_.size(); }
  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }
  const float* grads() const { return grads_.data(); }
  // Where parameter i (Mlp::params() order: weight, bias per layer) starts in params() and grads().
  size_t param_offset(size_t i) const { return offsets_.at(i); }

  // Parameters (or any per-parameter state laid out alike, such as Adam's moments) to and from host tensors.
  void upload(const Mlp& host);
  void download(Mlp& host) const;

  // The last layer writes its output to `out` (room for max_rows rows) from now on, instead of an array of its own:
  // straight into where the next network reads it.
  void place_output(float* out);

  // x: [rows, inputs] on the device. With key, dropout is on (training mode), its decisions drawn from the stream
  // *key from block first_block. Returns the [rows, outputs] output, valid until the next forward.
  const float* forward(const Context& ctx, const float* x, int rows, const unsigned long long* key = nullptr,
                       uint64_t first_block = 0);
  // From grad_output for `rows` rows of the last forward, starting at first_row (the others contribute nothing):
  // parameter gradients into grads() when param_grads, and dL/dinput into grad_input ([rows, inputs]) when given.
  // The weight gradients are taken on ctx's side stream, joined into its main stream before backward returns.
  void backward(const Context& ctx, const float* grad_output, int first_row, int rows, float* grad_input,
                bool param_grads);

 private:
  MlpSpec spec_;
  int max_rows_;
  std::vector<size_t> offsets_;
  DeviceArray<float> params_, grads_;
  std::vector<DeviceArray<float>> outputs_, masks_, deltas_;  // deltas_[i]: dL/d(layer i's pre-activation)
  float* placed_output_ = nullptr;
  const float* input_ = nullptr;
  int rows_ = 0;
  bool dropout_on_ = false;

  float* weight(size_t layer) { return params_.data() + offsets_[2 * layer]; }
  float* output(size_t layer);  // where layer's output lies
  // LeakyReLU after the hidden layers; the head (tanh, or none for logits) after the last.
  Act activation(size_t layer) const;
  float* bias(size_t layer) { return params_.data() + offsets_[2 * layer + 1]; }
};

// Each parameter's values in Mlp::params() order (weight, bias per layer), without allocating the gradients.
std::vector<float*> param_values(Mlp& host);
std::vector<const float*> param_values(const Mlp& host);

// Per-parameter host tensors (Mlp::params() order) to one flat device array of `total` floats, and back.
void upload_tensors(DeviceArray<float>& flat, const std::vector<const float*>& tensors, const std::vector<size_t>& sizes);
void download_tensors(const DeviceArray<float>& flat, const std::vector<float*>& tensors, const std::vector<size_t>& sizes);

}  // namespace gan::cuda
