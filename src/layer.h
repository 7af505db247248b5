// A network layer as data (LayerSpec) and as code (Layer): forward, backward and named tensors in PyTorch's layout.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rng.h"
#include "tensor.h"

namespace gan {

// What one sample looks like between layers: channels x height x width, stored row by row in one matrix row
// (PyTorch's NCHW flattened, so a flattened conv output is already what a Linear layer reads). A plain feature
// vector is {features, 1, 1}.
struct Shape {
  int channels = 1, height = 1, width = 1;
  int size() const { return channels * height * width; }
  bool operator==(const Shape& o) const { return channels == o.channels && height == o.height && width == o.width; }
  std::string str() const;  // "128x7x7", or "784" for a vector
};

// One module of a PyTorch nn.Sequential: enough to build it, to name its tensors and to write it in Python.
struct LayerSpec {
  enum class Kind { Linear, Conv2d, ConvTranspose2d, BatchNorm, LeakyReLU, ReLU, Tanh, Dropout, Reshape };
  Kind kind = Kind::Linear;
  int out = 0;  // Linear: output features; Conv2d, ConvTranspose2d: output channels
  int kernel = 0, stride = 1, padding = 0;
  bool bias = true;
  float value = 0;  // LeakyReLU: negative slope; Dropout: the probability of zeroing
  Shape shape;      // Reshape: the shape it gives (a Flatten is a Reshape to {size, 1, 1})
};

LayerSpec linear(int out, bool bias = true);
LayerSpec conv2d(int out_channels, int kernel, int stride, int padding, bool bias = true);
LayerSpec conv_transpose2d(int out_channels, int kernel, int stride, int padding, bool bias = true);
LayerSpec batch_norm();  // BatchNorm1d on a vector, BatchNorm2d on channels x height x width
LayerSpec leaky_relu(float slope);
LayerSpec relu();
LayerSpec tanh_layer();
LayerSpec dropout(float p);
LayerSpec reshape(Shape to);
LayerSpec flatten();

// How a fresh network's parameters are drawn.
enum class Init {
  PyTorchDefault,  // each module's reset_parameters(): uniform in +-1/sqrt(fan_in) for weight and bias
  Dcgan,           // Radford et al. and PyTorch's DCGAN example: weights N(0, 0.02), BatchNorm scale N(1, 0.02), biases 0
};

// A parameter or buffer of a layer: its name within the layer ("weight", "running_mean"), its PyTorch shape and
// its storage. `grad` is null for buffers.
struct LayerTensor {
  std::string name;
  std::vector<int64_t> shape;
  float* value = nullptr;
  float* grad = nullptr;
  size_t size = 0;
};

class Layer {
 public:
  Layer(Shape in, Shape out) : in_(in), out_(out) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  Shape input_shape() const { return in_; }
  Shape output_shape() const { return out_; }

  // y = layer(x), one sample per row. `train` selects batch statistics (BatchNorm) and dropout (which draws from
  // `rng`, required then).
  virtual void forward(const Matrix& x, Matrix& y, bool train, Rng* rng) = 0;
  // From dL/dy of rows [first_row, first_row + rows of grad_y) of the last forward (x and y: those rows of its
  // input and output): dL/dx of those rows into grad_x when it is given, and the parameters' gradients (replacing
  // what they held) when param_grads, as if the other rows' dL/dy were zero. Only layers whose rows are computed
  // alone take part of a batch (BatchNorm throws std::logic_error).
  virtual void backward(const ConstRowsRef& x, const ConstRowsRef& y, const Matrix& grad_y, Matrix* grad_x,
                        bool param_grads, Eigen::Index first_row) = 0;

  virtual void reset_parameters(Rng& /*rng*/, Init /*init*/) {}
  // Trainable tensors in PyTorch's state_dict order (weight, then bias), gradients allocated.
  virtual std::vector<LayerTensor> parameters() { return {}; }
  // Running statistics: saved and loaded with the parameters, never trained.
  virtual std::vector<LayerTensor> buffers() { return {}; }
  // The layer as a value, for copies of a whole network (a moving average, a snapshot).
  virtual std::unique_ptr<Layer> clone() const = 0;

 private:
  Shape in_, out_;
};

// The layer `spec` describes, reading samples of shape `in`; throws std::invalid_argument when it cannot (a
// kernel larger than its padded input, a reshape that changes the size).
std::unique_ptr<Layer> make_layer(const LayerSpec& spec, Shape in);

// The Python expression of the module ("nn.Conv2d(1, 64, 4, 2, 1, bias=False)"), for the PyTorch side of the
// interop tests and the docs.
std::string pytorch_module(const LayerSpec& spec, Shape in);

}  // namespace gan
