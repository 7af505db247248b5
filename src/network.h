// A network as a list of layers (PyTorch's nn.Sequential named "main"): forward, backward, and its named tensors.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "adam.h"
#include "layer.h"

namespace gan {

// A named tensor of a whole network: "main.<layer index>.<name>", as PyTorch's state_dict names it.
struct NetworkTensor {
  std::string name;
  LayerTensor tensor;
};

class Network {
 public:
  Network() = default;
  // Throws std::invalid_argument when a layer does not fit the shape before it.
  Network(std::vector<LayerSpec> specs, Shape input);
  Network(const Network& other);
  Network& operator=(const Network& other);
  Network(Network&&) = default;
  Network& operator=(Network&&) = default;

  const std::vector<LayerSpec>& specs() const { return specs_; }
  Shape input_shape() const { return input_; }
  Shape output_shape() const { return layers_.empty() ? input_ : layers_.back()->output_shape(); }
  size_t size() const { return layers_.size(); }
  Layer& layer(size_t i) { return *layers_.at(i); }
  const Layer& layer(size_t i) const { return *layers_.at(i); }

  void reset_parameters(Rng& rng, Init init);

  // One sample per row of x (input_shape().size() values each). Keeps what backward needs.
  const Matrix& forward(const Matrix& x, bool train, Rng* rng = nullptr);
  // From dL/doutput of the last forward: parameter gradients when param_grads (replacing, or with `accumulate`
  // adding to, what they held), and dL/dinput into grad_input when it is given. grad_output may cover only rows
  // [first_row, first_row + its rows) of the last forward's batch: the other rows then count as zero and cost
  // nothing (for networks whose rows are computed alone; BatchNorm throws std::logic_error).
  void backward(const Matrix& grad_output, Matrix* grad_input, bool param_grads, bool accumulate = false,
                Eigen::Index first_row = 0);

  // Layer i's output in the last forward pass.
  const Matrix& layer_output(size_t i) const { return outputs_.at(i); }

  // Floating-point operations of each layer's matrix products in a forward pass, per sample (0 for the element-wise
  // layers): a backward pass costs the same again for the parameter gradients and again for the input gradients.
  std::vector<double> product_flops() const;

  std::vector<NetworkTensor> parameters();  // trainable, in state_dict order
  std::vector<NetworkTensor> buffers();     // running statistics
  std::vector<NetworkTensor> state();       // both, in state_dict order (each layer's parameters, then its buffers)
  // The same tensors for reading only (writers of files): their `value`s must not be changed through it.
  std::vector<NetworkTensor> state() const { return const_cast<Network*>(this)->state(); }
  // Adam's view of the parameters, and their sizes.
  std::vector<ParamRef> params();
  std::vector<size_t> param_sizes();
  size_t parameter_count();

 private:
  std::vector<LayerSpec> specs_;
  Shape input_;
  std::vector<std::unique_ptr<Layer>> layers_;
  const Matrix* input_batch_ = nullptr;
  std::vector<Matrix> outputs_;
  Matrix grad_a_, grad_b_;
  std::vector<std::vector<float>> saved_grads_;  // for accumulate
};

}  // namespace gan
