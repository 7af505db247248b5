// The Sequential network: layers in order, each one's output kept for the backward pass.
#include "network.h"

#include <stdexcept>

namespace gan {

Network::Network(std::vector<LayerSpec> specs, Shape input) : specs_(std::move(specs)), input_(input) {
  Shape shape = input;
  for (size_t i = 0; i < specs_.size(); ++i) {
    try {
      layers_.push_back(make_layer(specs_[i], shape));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("layer " + std::to_string(i) + ": " + e.what());
    }
    shape = layers_.back()->output_shape();
  }
  outputs_.resize(layers_.size());
}

Network::Network(const Network& other) : specs_(other.specs_), input_(other.input_) {
  for (const auto& l : other.layers_) layers_.push_back(l->clone());
  outputs_.resize(layers_.size());
}

Network& Network::operator=(const Network& other) {
  if (this != &other) *this = Network(other);
  return *this;
}

void Network::reset_parameters(Rng& rng, Init init) {
  for (auto& l : layers_) l->reset_parameters(rng, init);
}

const Matrix& Network::forward(const Matrix& x, bool train, Rng* rng) {
  if (x.cols() != input_.size())
    throw std::invalid_argument("the network's input has " + std::to_string(x.cols()) + " values, expected " +
                                std::to_string(input_.size()) + " (" + input_.str() + ")");
  input_batch_ = &x;
  const Matrix* in = &x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->forward(*in, outputs_[i], train, rng);
    in = &outputs_[i];
  }
  return layers_.empty() ? x : outputs_.back();
}

void Network::backward(const Matrix& grad_output, Matrix* grad_input, bool param_grads, bool accumulate,
                       Eigen::Index first_row) {
  if (!input_batch_) throw std::logic_error("Network::backward called before forward");
  const Eigen::Index rows = grad_output.rows();
  if (first_row < 0 || first_row + rows > input_batch_->rows())
    throw std::logic_error("Network::backward: rows out of range");
  auto part = [&](const Matrix& m) { return ConstRowsRef(m.middleRows(first_row, rows)); };
  if (accumulate && param_grads) {
    saved_grads_.clear();
    for (const ParamRef& p : params()) saved_grads_.emplace_back(p.grad, p.grad + p.size);
  }
  grad_a_ = grad_output;
  for (size_t i = layers_.size(); i-- > 0;) {
    const Matrix& x = i == 0 ? *input_batch_ : outputs_[i - 1];
    // Below the first layer, dL/dinput only if asked for; parameter-free layers at the bottom need nothing.
    Matrix* grad_x = i == 0 ? grad_input : &grad_b_;
    layers_[i]->backward(part(x), part(outputs_[i]), grad_a_, grad_x, param_grads, first_row);
    if (i > 0) std::swap(grad_a_, grad_b_);
  }
  if (accumulate && param_grads) {
    const std::vector<ParamRef> refs = params();
    for (size_t p = 0; p < refs.size(); ++p) {
      float* g = const_cast<float*>(refs[p].grad);
      for (size_t k = 0; k < refs[p].size; ++k) g[k] += saved_grads_[p][k];
    }
  }
}

namespace {

std::vector<NetworkTensor> named(size_t index, std::vector<LayerTensor> tensors) {
  std::vector<NetworkTensor> out;
  for (auto& t : tensors) out.push_back({"main." + std::to_string(index) + "." + t.name, t});
  return out;
}

}  // namespace

std::vector<double> Network::product_flops() const {
  std::vector<double> flops;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Shape in = layers_[i]->input_shape(), out = layers_[i]->output_shape();
    const LayerSpec& s = specs_[i];
    double f = 0;
    if (s.kind == LayerSpec::Kind::Linear) f = 2.0 * in.size() * out.size();
    if (s.kind == LayerSpec::Kind::Conv2d) f = 2.0 * out.size() * in.channels * s.kernel * s.kernel;
    if (s.kind == LayerSpec::Kind::ConvTranspose2d) f = 2.0 * in.size() * out.channels * s.kernel * s.kernel;
    flops.push_back(f);
  }
  return flops;
}

std::vector<NetworkTensor> Network::parameters() {
  std::vector<NetworkTensor> out;
  for (size_t i = 0; i < layers_.size(); ++i)
    for (auto& t : named(i, layers_[i]->parameters())) out.push_back(std::move(t));
  return out;
}

std::vector<NetworkTensor> Network::buffers() {
  std::vector<NetworkTensor> out;
  for (size_t i = 0; i < layers_.size(); ++i)
    for (auto& t : named(i, layers_[i]->buffers())) out.push_back(std::move(t));
  return out;
}

std::vector<NetworkTensor> Network::state() {
  std::vector<NetworkTensor> out;
  for (size_t i = 0; i < layers_.size(); ++i) {
    for (auto& t : named(i, layers_[i]->parameters())) out.push_back(std::move(t));
    for (auto& t : named(i, layers_[i]->buffers())) out.push_back(std::move(t));
  }
  return out;
}

std::vector<ParamRef> Network::params() {
  std::vector<ParamRef> refs;
  for (const auto& t : parameters()) refs.push_back({t.tensor.value, t.tensor.grad, t.tensor.size});
  return refs;
}

std::vector<size_t> Network::param_sizes() {
  std::vector<size_t> sizes;
  for (const auto& t : parameters()) sizes.push_back(t.tensor.size);
  return sizes;
}

size_t Network::parameter_count() {
  size_t n = 0;
  for (size_t s : param_sizes()) n += s;
  return n;
}

}  // namespace gan
