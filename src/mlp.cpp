// Forward and backward through the seed's MLPs.
#include "mlp.h"

#include <stdexcept>

#include "activations.h"
#include "architectures.h"

namespace gan {

MlpSpec mlp_spec(const std::vector<LayerSpec>& layers, int inputs, int classes) {
  using Kind = LayerSpec::Kind;
  MlpSpec spec;
  spec.widths = {inputs};
  spec.head = Head::Logit;
  spec.classes = classes;
  for (size_t i = 0; i < layers.size(); ++i) {
    const LayerSpec& l = layers[i];
    const bool last = i + 1 == layers.size();
    if (l.kind == Kind::Linear && l.bias) spec.widths.push_back(l.out);
    else if (l.kind == Kind::LeakyReLU && !last) spec.leaky_slope = l.value;
    else if (l.kind == Kind::Dropout && !last) spec.dropout = l.value;
    else if (l.kind == Kind::Tanh && last) spec.head = Head::Tanh;
    else throw std::logic_error("layer " + std::to_string(i) + " is not one the MLP engine runs");
  }
  return spec;
}

MlpSpec generator_spec(int z_dim, int classes) {
  return mlp_spec(find_architecture(classes > 0 ? "conditional" : "seed").generator, z_dim + classes, classes);
}

MlpSpec discriminator_spec(int classes) {
  const Architecture a = find_architecture(classes > 0 ? "conditional" : "seed");
  return mlp_spec(a.discriminator, a.image.size() + classes, classes);
}

Mlp::Mlp(MlpSpec spec) : spec_(std::move(spec)) {
  if (spec_.widths.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output width");
  for (size_t i = 0; i + 1 < spec_.widths.size(); ++i) layers_.emplace_back(spec_.widths[i], spec_.widths[i + 1]);
  outputs_.resize(layers_.size());
  masks_.resize(layers_.size());
}

void Mlp::reset_parameters(Rng& rng) {
  for (auto& layer : layers_) layer.reset_parameters(rng);
}

const Matrix& Mlp::forward(const Matrix& x, bool train, Rng* rng) {
  if (x.cols() != spec_.widths.front())
    throw std::invalid_argument("MLP input has " + std::to_string(x.cols()) + " features, expected " +
                                std::to_string(spec_.widths.front()));
  const bool use_dropout = train && spec_.dropout > 0;
  if (use_dropout && !rng) throw std::logic_error("dropout in training mode needs an Rng");
  input_ = &x;
  train_ = train;
  const Matrix* in = &x;
  for (size_t i = 0; i < layers_.size(); ++i) {
    Matrix& out = outputs_[i];
    layers_[i].forward(*in, out);
    const bool last = i + 1 == layers_.size();
    if (!last) {
      leaky_relu_forward(out, spec_.leaky_slope);
      if (use_dropout) dropout_forward(out, masks_[i], spec_.dropout, *rng);
    } else if (spec_.head == Head::Tanh) {
      tanh_forward(out);
    }
    in = &out;
  }
  return outputs_.back();
}

void Mlp::backward(const Matrix& grad_output, Matrix* grad_input, bool param_grads, Eigen::Index first_row) {
  if (!input_) throw std::logic_error("Mlp::backward called before forward");
  const Eigen::Index rows = grad_output.rows();
  if (first_row < 0 || first_row + rows > input_->rows()) throw std::logic_error("Mlp::backward: rows out of range");
  auto cached = [&](const Matrix& m) { return ConstRowsRef(m.middleRows(first_row, rows)); };
  const bool use_dropout = train_ && spec_.dropout > 0;
  grad_a_ = grad_output;
  if (spec_.head == Head::Tanh) tanh_backward(cached(outputs_.back()), grad_a_);
  for (size_t i = layers_.size(); i-- > 0;) {
    if (i + 1 < layers_.size()) {
      if (use_dropout)
        leaky_relu_dropout_backward(cached(outputs_[i]), cached(masks_[i]), grad_a_, spec_.leaky_slope);
      else
        leaky_relu_backward(cached(outputs_[i]), grad_a_, spec_.leaky_slope);
    }
    Matrix* grad_x = i == 0 ? grad_input : &grad_b_;
    layers_[i].backward(cached(i == 0 ? *input_ : outputs_[i - 1]), grad_a_, grad_x, param_grads);
    if (i > 0) std::swap(grad_a_, grad_b_);
  }
}

std::vector<std::string> MlpSpec::param_names() const {
  std::vector<std::string> names;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    const std::string prefix = "main." + std::to_string(sequential_index(i)) + ".";
    names.push_back(prefix + "weight");
    names.push_back(prefix + "bias");
  }
  return names;
}

std::vector<size_t> MlpSpec::param_sizes() const {
  std::vector<size_t> sizes;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    sizes.push_back(size_t(widths[i]) * size_t(widths[i + 1]));
    sizes.push_back(size_t(widths[i + 1]));
  }
  return sizes;
}

size_t MlpSpec::parameter_count() const {
  size_t n = 0;
  for (size_t size : param_sizes()) n += size;
  return n;
}

uint64_t MlpSpec::dropout_blocks(int rows) const {
  if (dropout <= 0) return 0;
  uint64_t blocks = 0;
  for (size_t i = 1; i + 1 < widths.size(); ++i) blocks += blocks_for_values(static_cast<uint64_t>(rows) * widths[i]);
  return blocks;
}

std::vector<std::string> Mlp::param_names() const { return spec_.param_names(); }

std::vector<ParamRef> Mlp::params() {
  std::vector<ParamRef> refs;
  for (auto& l : layers_) {
    l.allocate_grads();  // the references must point at gradient storage even before the first backward
    refs.push_back({l.weight.data(), l.grad_weight.data(), static_cast<size_t>(l.weight.size())});
    refs.push_back({l.bias.data(), l.grad_bias.data(), static_cast<size_t>(l.bias.size())});
  }
  return refs;
}

std::vector<size_t> Mlp::param_sizes() const { return spec_.param_sizes(); }

}  // namespace gan
