// Layer specs: their builders, the layer each makes, and how PyTorch writes it.
#include "layer.h"

#include <stdexcept>

#include "layer_kinds.h"

namespace gan {

std::string Shape::str() const {
  if (height == 1 && width == 1) return std::to_string(channels);
  return std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
}

LayerSpec linear(int out, bool bias) {
  LayerSpec s;
  s.kind = LayerSpec::Kind::Linear;
  s.out = out;
  s.bias = bias;
  return s;
}

namespace {

LayerSpec conv_spec(LayerSpec::Kind kind, int out_channels, int kernel, int stride, int padding, bool bias) {
  LayerSpec s;
  s.kind = kind;
  s.out = out_channels;
  s.kernel = kernel;
  s.stride = stride;
  s.padding = padding;
  s.bias = bias;
  return s;
}

LayerSpec simple(LayerSpec::Kind kind, float value = 0) {
  LayerSpec s;
  s.kind = kind;
  s.value = value;
  return s;
}

// The convolution whose input has shape `image` (a ConvTranspose2d's output) and kernel, stride, padding of `spec`.
ConvGeometry geometry(Shape image, const LayerSpec& spec) {
  return ConvGeometry{image.channels, image.height, image.width, spec.kernel, spec.stride, spec.padding};
}

}  // namespace

LayerSpec conv2d(int out_channels, int kernel, int stride, int padding, bool bias) {
  return conv_spec(LayerSpec::Kind::Conv2d, out_channels, kernel, stride, padding, bias);
}
LayerSpec conv_transpose2d(int out_channels, int kernel, int stride, int padding, bool bias) {
  return conv_spec(LayerSpec::Kind::ConvTranspose2d, out_channels, kernel, stride, padding, bias);
}
LayerSpec batch_norm() { return simple(LayerSpec::Kind::BatchNorm); }
LayerSpec leaky_relu(float slope) { return simple(LayerSpec::Kind::LeakyReLU, slope); }
LayerSpec relu() { return simple(LayerSpec::Kind::ReLU); }
LayerSpec tanh_layer() { return simple(LayerSpec::Kind::Tanh); }
LayerSpec dropout(float p) { return simple(LayerSpec::Kind::Dropout, p); }
LayerSpec reshape(Shape to) {
  LayerSpec s = simple(LayerSpec::Kind::Reshape);
  s.shape = to;
  return s;
}
LayerSpec flatten() {
  LayerSpec s = simple(LayerSpec::Kind::Reshape);
  s.shape = Shape{0, 1, 1};  // 0: whatever size the input has
  return s;
}

// The output shape of a transposed convolution: (in - 1) * stride - 2 * padding + kernel per side.
static Shape transposed_output(Shape in, const LayerSpec& spec) {
  return Shape{spec.out, (in.height - 1) * spec.stride - 2 * spec.padding + spec.kernel,
               (in.width - 1) * spec.stride - 2 * spec.padding + spec.kernel};
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, Shape in) {
  using K = LayerSpec::Kind;
  if (in.size() <= 0) throw std::invalid_argument("a layer's input must have at least one value");
  switch (spec.kind) {
    case K::Linear:
      if (spec.out <= 0) throw std::invalid_argument("a Linear layer needs at least one output");
      return std::make_unique<DenseLayer>(in, spec.out, spec.bias);
    case K::Conv2d: {
      const ConvGeometry g = geometry(in, spec);
      if (spec.out <= 0 || !g.valid())
        throw std::invalid_argument("Conv2d(" + std::to_string(spec.kernel) + ", stride " + std::to_string(spec.stride) +
                                    ", padding " + std::to_string(spec.padding) + ") does not fit a " + in.str() +
                                    " input");
      return std::make_unique<Conv2dLayer>(in, spec);
    }
    case K::ConvTranspose2d: {
      const Shape out = transposed_output(in, spec);
      const ConvGeometry g = geometry(out, spec);
      if (spec.out <= 0 || out.height <= 0 || out.width <= 0 || !g.valid() || g.out_height() != in.height ||
          g.out_width() != in.width)
        throw std::invalid_argument("ConvTranspose2d(" + std::to_string(spec.kernel) + ", stride " +
                                    std::to_string(spec.stride) + ", padding " + std::to_string(spec.padding) +
                                    ") does not fit a " + in.str() + " input");
      return std::make_unique<ConvTranspose2dLayer>(in, spec);
    }
    case K::BatchNorm: return std::make_unique<BatchNormLayer>(in);
    case K::LeakyReLU: return std::make_unique<ActivationLayer>(in, ActivationLayer::Fn::LeakyReLU, spec.value);
    case K::ReLU: return std::make_unique<ActivationLayer>(in, ActivationLayer::Fn::ReLU, 0.0f);
    case K::Tanh: return std::make_unique<ActivationLayer>(in, ActivationLayer::Fn::Tanh, 0.0f);
    case K::Dropout:
      if (!(spec.value >= 0 && spec.value < 1)) throw std::invalid_argument("Dropout's probability must be in [0, 1)");
      return std::make_unique<DropoutLayer>(in, spec.value);
    case K::Reshape: {
      const Shape to = spec.shape.channels == 0 ? Shape{in.size(), 1, 1} : spec.shape;
      if (to.size() != in.size())
        throw std::invalid_argument("cannot reshape " + in.str() + " to " + to.str() + ": the sizes differ");
      return std::make_unique<ReshapeLayer>(in, to);
    }
  }
  throw std::invalid_argument("unknown layer kind");
}

std::string pytorch_module(const LayerSpec& spec, Shape in) {
  using K = LayerSpec::Kind;
  const std::string bias = spec.bias ? "" : ", bias=False";
  auto conv_args = [&](int in_channels) {
    return std::to_string(in_channels) + ", " + std::to_string(spec.out) + ", " + std::to_string(spec.kernel) + ", " +
           std::to_string(spec.stride) + ", " + std::to_string(spec.padding) + bias;
  };
  switch (spec.kind) {
    case K::Linear: return "nn.Linear(" + std::to_string(in.size()) + ", " + std::to_string(spec.out) + bias + ")";
    case K::Conv2d: return "nn.Conv2d(" + conv_args(in.channels) + ")";
    case K::ConvTranspose2d: return "nn.ConvTranspose2d(" + conv_args(in.channels) + ")";
    case K::BatchNorm:
      return std::string(in.height == 1 && in.width == 1 ? "nn.BatchNorm1d(" : "nn.BatchNorm2d(") +
             std::to_string(in.channels) + ")";
    case K::LeakyReLU: return "nn.LeakyReLU(" + std::to_string(spec.value).substr(0, 4) + ")";
    case K::ReLU: return "nn.ReLU()";
    case K::Tanh: return "nn.Tanh()";
    case K::Dropout: return "nn.Dropout(" + std::to_string(spec.value).substr(0, 4) + ")";
    case K::Reshape:
      if (spec.shape.channels == 0) return "nn.Flatten()";
      return "nn.Unflatten(1, (" + std::to_string(spec.shape.channels) + ", " + std::to_string(spec.shape.height) +
             ", " + std::to_string(spec.shape.width) + "))";
  }
  return "";
}

}  // namespace gan
