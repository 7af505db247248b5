// nn.Linear as a Layer, computed by the seed MLP's Linear.
#include <cmath>
#include <stdexcept>

#include "layer_kinds.h"

namespace gan {

DenseLayer::DenseLayer(Shape in, int out, bool bias) : Layer(in, Shape{out, 1, 1}), linear_(in.size(), out), has_bias_(bias) {}

void DenseLayer::forward(const Matrix& x, Matrix& y, bool, Rng*) { linear_.forward(x, y); }

void DenseLayer::backward(const ConstRowsRef& x, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x,
                          bool param_grads, Eigen::Index) {
  linear_.backward(x, grad_y, grad_x, param_grads);
  if (param_grads && !has_bias_) linear_.grad_bias.setZero();
}

void DenseLayer::reset_parameters(Rng& rng, Init init) {
  if (init == Init::PyTorchDefault) {
    linear_.reset_parameters(rng);
  } else {
    rng.normal(linear_.weight.data(), static_cast<size_t>(linear_.weight.size()));
    linear_.weight *= 0.02f;
    linear_.bias.setZero();
  }
  if (!has_bias_) linear_.bias.setZero();
}

std::vector<LayerTensor> DenseLayer::parameters() {
  linear_.allocate_grads();
  std::vector<LayerTensor> t{{"weight", {linear_.weight.rows(), linear_.weight.cols()}, linear_.weight.data(),
                              linear_.grad_weight.data(), static_cast<size_t>(linear_.weight.size())}};
  if (has_bias_)
    t.push_back({"bias", {linear_.bias.size()}, linear_.bias.data(), linear_.grad_bias.data(),
                 static_cast<size_t>(linear_.bias.size())});
  return t;
}

const Linear& dense_linear(const Layer& layer) {
  const auto* dense = dynamic_cast<const DenseLayer*>(&layer);
  if (!dense) throw std::logic_error("this layer is not a Linear layer");
  return dense->linear();
}

Linear& dense_linear(Layer& layer) { return const_cast<Linear&>(dense_linear(static_cast<const Layer&>(layer))); }

std::unique_ptr<Layer> DenseLayer::clone() const {
  auto copy = std::make_unique<DenseLayer>(input_shape(), output_shape().size(), has_bias_);
  copy->linear_.weight = linear_.weight;
  copy->linear_.bias = linear_.bias;
  return copy;
}

}  // namespace gan
