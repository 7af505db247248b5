// Forward and backward of an MLP on the GPU: cuBLAS products plus the fused bias/activation/dropout kernels.
#include "device_mlp.h"

#include <algorithm>
#include <stdexcept>

#include "gemm.h"
#include "kernels.h"

namespace gan::cuda {

DeviceMlp::DeviceMlp(const MlpSpec& spec, int max_rows) : spec_(spec), max_rows_(max_rows) {
  if (max_rows < 1) throw std::invalid_argument("DeviceMlp: max_rows must be positive");
  size_t total = 0;
  for (size_t size : spec.param_sizes()) {
    offsets_.push_back(total);
    total += size;
  }
  params_ = DeviceArray<float>(total);
  grads_ = DeviceArray<float>(total);
  const size_t layers = spec.widths.size() - 1;
  for (size_t i = 0; i < layers; ++i) {
    const size_t n = static_cast<size_t>(max_rows) * spec.widths[i + 1];
    outputs_.emplace_back(n);
    masks_.emplace_back(spec.dropout > 0 && i + 1 < layers ? n : 0);
    deltas_.emplace_back(n);
  }
}

void upload_tensors(DeviceArray<float>& flat, const std::vector<const float*>& tensors, const std::vector<size_t>& sizes) {
  std::vector<float> staging;
  for (size_t i = 0; i < tensors.size(); ++i) staging.insert(staging.end(), tensors[i], tensors[i] + sizes[i]);
  if (staging.size() != flat.size()) throw std::logic_error("upload_tensors: sizes do not match the device array");
  flat.upload(staging.data(), staging.size());
}

void download_tensors(const DeviceArray<float>& flat, const std::vector<float*>& tensors, const std::vector<size_t>& sizes) {
  const std::vector<float> staging = flat.to_host();
  size_t at = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (at + sizes[i] > staging.size()) throw std::logic_error("download_tensors: sizes do not match the device array");
    std::copy(staging.begin() + static_cast<std::ptrdiff_t>(at), staging.begin() + static_cast<std::ptrdiff_t>(at + sizes[i]),
              tensors[i]);
    at += sizes[i];
  }
}

namespace {
template <class Pointer, class Net>
std::vector<Pointer> values_of(Net& net) {
  std::vector<Pointer> values;
  for (size_t i = 0; i < net.depth(); ++i) {
    values.push_back(net.linear(i).weight.data());
    values.push_back(net.linear(i).bias.data());
  }
  return values;
}
}  // namespace

std::vector<float*> param_values(Mlp& host) { return values_of<float*>(host); }
std::vector<const float*> param_values(const Mlp& host) { return values_of<const float*>(host); }

void DeviceMlp::upload(const Mlp& host) {
  if (host.spec().widths != spec_.widths) throw std::invalid_argument("DeviceMlp::upload: the layer widths differ");
  upload_tensors(params_, param_values(host), host.param_sizes());
}

void DeviceMlp::download(Mlp& host) const {
  if (host.spec().widths != spec_.widths) throw std::invalid_argument("DeviceMlp::download: the layer widths differ");
  download_tensors(params_, param_values(host), host.param_sizes());
}

const float* DeviceMlp::forward(const Context& ctx, const float* x, int rows, const unsigned long long* key,
                                uint64_t first_block) {
  if (rows < 1 || rows > max_rows_) throw std::invalid_argument("DeviceMlp::forward: rows out of range");
  const size_t layers = outputs_.size();
  input_ = x;
  rows_ = rows;
  dropout_on_ = key && spec_.dropout > 0;
  const float* in = x;
  uint64_t block = first_block;
  for (size_t i = 0; i < layers; ++i) {
    const int fan_in = spec_.widths[i], fan_out = spec_.widths[i + 1];
    float* out = output(i);
    linear_forward(ctx.blas(), in, weight(i), out, rows, fan_in, fan_out);
    const bool drop = dropout_on_ && i + 1 < layers;
    bias_act(out, rows, fan_out, bias(i), activation(i), spec_.leaky_slope, spec_.dropout,
             drop ? masks_[i].data() : nullptr, key, block, ctx.stream());
    if (drop) block += blocks_for_values(static_cast<uint64_t>(rows) * fan_out);  // as MlpSpec::dropout_blocks
    in = out;
  }
  return output(layers - 1);
}

void DeviceMlp::backward(const Context& ctx, const float* grad_output, int first_row, int rows, float* grad_input,
                         bool param_grads) {
  if (!input_) throw std::logic_error("DeviceMlp::backward called before forward");
  if (first_row < 0 || rows < 1 || first_row + rows > rows_) throw std::logic_error("DeviceMlp::backward: rows out of range");
  const size_t layers = outputs_.size();
  auto at_row = [&](const float* m, int width) { return m + static_cast<size_t>(first_row) * width; };
  // g: dL/d(layer i's output), at first grad_output itself. Taken back through the activation it lands in layer i's
  // delta (in place below the last layer, where layer i + 1's input gradient was written), with the bias gradient
  // summed in the same pass. Then the side stream takes the weight gradient while the main stream goes on down; every
  // layer has its own delta, so nothing the side stream reads is written again before the join.
  const float* g = grad_output;
  for (size_t i = layers; i-- > 0;) {
    const int fan_in = spec_.widths[i], fan_out = spec_.widths[i + 1];
    const Act act = activation(i);
    float* bias_grad = param_grads ? grads_.data() + offsets_[2 * i + 1] : nullptr;
    if (act != Act::None) {
      const float* mask = dropout_on_ && i + 1 < layers ? at_row(masks_[i].data(), fan_out) : nullptr;
      act_backward(g, deltas_[i].data(), at_row(output(i), fan_out), mask, rows, fan_out, act, spec_.leaky_slope,
                   bias_grad, ctx.stream());
      g = deltas_[i].data();
    }
    if (param_grads) {
      ctx.fork();
      if (act == Act::None) column_sums(g, rows, fan_out, bias_grad, ctx.side_stream());
      const float* x = at_row(i == 0 ? input_ : outputs_[i - 1].data(), fan_in);
      linear_weight_grad(ctx.side_blas(), g, x, grads_.data() + offsets_[2 * i], rows, fan_in, fan_out);
    }
    float* gx = i == 0 ? grad_input : deltas_[i - 1].data();
    if (gx) linear_input_grad(ctx.blas(), g, weight(i), gx, rows, fan_in, fan_out);
    g = gx;
  }
  if (param_grads) ctx.join();
}

void DeviceMlp::place_output(float* out) {
  if (!out) throw std::invalid_argument("DeviceMlp::place_output: no array");
  outputs_.back() = DeviceArray<float>();  // not needed any more
  placed_output_ = out;
}

float* DeviceMlp::output(size_t layer) {
  return placed_output_ && layer + 1 == outputs_.size() ? placed_output_ : outputs_[layer].data();
}

Act DeviceMlp::activation(size_t layer) const {
  if (layer + 2 < spec_.widths.size()) return Act::Leaky;
  return spec_.head == Head::Tanh ? Act::Tanh : Act::None;
}

}  // namespace gan::cuda
