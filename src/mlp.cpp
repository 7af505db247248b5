// The seed's MLPs: their shape from the layer lists of architectures.cpp, and back, and the Linear layers of one.
#include "mlp.h"

#include <stdexcept>

#include "architectures.h"
#include "layer_kinds.h"

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
    else throw std::logic_error("layer " + std::to_string(i) + " is not part of an MLP (Linear, LeakyReLU, Dropout, Tanh)");
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

std::vector<LayerSpec> mlp_layers(const MlpSpec& spec) {
  std::vector<LayerSpec> layers;
  for (size_t i = 1; i < spec.widths.size(); ++i) {
    layers.push_back(linear(spec.widths[i]));
    if (i + 1 < spec.widths.size()) {
      layers.push_back(leaky_relu(spec.leaky_slope));
      if (spec.dropout > 0) layers.push_back(dropout(spec.dropout));
    } else if (spec.head == Head::Tanh) {
      layers.push_back(tanh_layer());
    }
  }
  return layers;
}

Mlp::Mlp(MlpSpec spec) : spec_(std::move(spec)) {
  if (spec_.widths.size() < 2) throw std::invalid_argument("an MLP needs at least an input and an output width");
  net_ = Network(mlp_layers(spec_), Shape{spec_.widths.front(), 1, 1});
}

Linear& Mlp::linear(size_t i) { return dense_linear(net_.layer(static_cast<size_t>(spec_.sequential_index(i)))); }

const Linear& Mlp::linear(size_t i) const {
  return dense_linear(net_.layer(static_cast<size_t>(spec_.sequential_index(i))));
}

void Mlp::reset_parameters(Rng& rng) { net_.reset_parameters(rng, Init::PyTorchDefault); }

const Matrix& Mlp::forward(const Matrix& x, bool train, Rng* rng) {
  if (x.cols() != spec_.widths.front())
    throw std::invalid_argument("MLP input has " + std::to_string(x.cols()) + " features, expected " +
                                std::to_string(spec_.widths.front()));
  if (train && spec_.dropout > 0 && !rng) throw std::logic_error("dropout in training mode needs an Rng");
  return net_.forward(x, train, rng);
}

void Mlp::backward(const Matrix& grad_output, Matrix* grad_input, bool param_grads, Eigen::Index first_row) {
  net_.backward(grad_output, grad_input, param_grads, false, first_row);
}

const Matrix& Mlp::layer_output(size_t i) const {
  const bool last = i + 1 == depth();
  const int modules_after = last ? (spec_.head == Head::Tanh ? 1 : 0) : (spec_.dropout > 0 ? 2 : 1);
  return net_.layer_output(static_cast<size_t>(spec_.sequential_index(i) + modules_after));
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

}  // namespace gan
