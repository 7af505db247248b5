// The layer classes behind make_layer (private to the core: everything else builds layers from a LayerSpec).
#pragma once
#include "conv_geometry.h"
#include "layer.h"
#include "linear.h"

namespace gan {

// nn.Linear, computed by the seed MLP's own Linear (so a network of these is the seed's, bit for bit).
class DenseLayer : public Layer {
 public:
  DenseLayer(Shape in, int out, bool bias);
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  void reset_parameters(Rng& rng, Init init) override;
  std::vector<LayerTensor> parameters() override;
  std::unique_ptr<Layer> clone() const override;
  Linear& linear() { return linear_; }
  const Linear& linear() const { return linear_; }

 private:
  Linear linear_;
  bool has_bias_;
};

// The Linear inside `layer`; throws std::logic_error when it is not a DenseLayer.
Linear& dense_linear(Layer& layer);
const Linear& dense_linear(const Layer& layer);

// nn.Conv2d: weight [out, in, k, k]; each sample's patches unrolled (im2col) and multiplied by the weight.
class Conv2dLayer : public Layer {
 public:
  Conv2dLayer(Shape in, const LayerSpec& spec);
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  void reset_parameters(Rng& rng, Init init) override;
  std::vector<LayerTensor> parameters() override;
  std::unique_ptr<Layer> clone() const override;

 private:
  ConvGeometry geometry_;
  Matrix weight_, grad_weight_;  // [out, in * k * k]
  RowVector bias_, grad_bias_;   // empty without bias
  std::vector<float> cols_;      // the last forward's unrolled patches, one [patch, positions] block per sample
};

// nn.ConvTranspose2d: weight [in, out, k, k]; the adjoint of a Conv2d from the output's shape to the input's.
class ConvTranspose2dLayer : public Layer {
 public:
  ConvTranspose2dLayer(Shape in, const LayerSpec& spec);
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  void reset_parameters(Rng& rng, Init init) override;
  std::vector<LayerTensor> parameters() override;
  std::unique_ptr<Layer> clone() const override;

 private:
  ConvGeometry geometry_;        // the convolution from this layer's output back to its input
  Matrix weight_, grad_weight_;  // [in, out * k * k]
  RowVector bias_, grad_bias_;
  std::vector<float> cols_;      // scratch: one [out * k * k, in positions] block per sample
};

// nn.BatchNorm1d / nn.BatchNorm2d (eps 1e-5, momentum 0.1): per channel, over the batch and the positions.
class BatchNormLayer : public Layer {
 public:
  explicit BatchNormLayer(Shape in);
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  void reset_parameters(Rng& rng, Init init) override;
  std::vector<LayerTensor> parameters() override;
  std::vector<LayerTensor> buffers() override;
  std::unique_ptr<Layer> clone() const override;

  static constexpr float kEps = 1e-5f;
  static constexpr float kMomentum = 0.1f;

 private:
  RowVector weight_, bias_, grad_weight_, grad_bias_;
  RowVector running_mean_, running_var_;
  RowVector inv_std_;  // of the last forward: its batch's (train) or the running variance's (eval)
  Matrix normalized_;  // the last forward's (x - mean) * inv_std
  bool trained_ = false;
};

// LeakyReLU (slope > 0), ReLU (slope 0) and Tanh: y = f(x), backward read from y.
class ActivationLayer : public Layer {
 public:
  enum class Fn { LeakyReLU, ReLU, Tanh };
  ActivationLayer(Shape in, Fn fn, float slope) : Layer(in, in), fn_(fn), slope_(slope) {}
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ActivationLayer>(input_shape(), fn_, slope_); }

 private:
  Fn fn_;
  float slope_;
};

// Inverted dropout with the seed's random stream (one Rng::uniform per forward in training mode).
class DropoutLayer : public Layer {
 public:
  DropoutLayer(Shape in, float p) : Layer(in, in), p_(p) {}
  void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) override;
  void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x, bool param_grads,
                Eigen::Index first_row) override;
  std::unique_ptr<Layer> clone() const override { return std::make_unique<DropoutLayer>(input_shape(), p_); }

 private:
  float p_;
  Matrix mask_;
  bool active_ = false;
};

// nn.Unflatten / nn.Flatten: the values stay; only the shape the next layer sees changes.
class ReshapeLayer : public Layer {
 public:
  ReshapeLayer(Shape in, Shape out) : Layer(in, out) {}
  void forward(const Matrix& x, Matrix& y, bool, Rng*) override { y = x; }
  void backward(const ConstRowsRef&, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x, bool, Eigen::Index) override {
    if (grad_x) *grad_x = grad_y;
  }
  std::unique_ptr<Layer> clone() const override { return std::make_unique<ReshapeLayer>(input_shape(), output_shape()); }
};

}  // namespace gan
