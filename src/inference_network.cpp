// The drawing form of a layer-list generator: 8-bit Linear and transposed-convolution layers on integer panels.
#include "inference_network.h"

#include <algorithm>
#include <string>

#include "conv_geometry.h"
#include "file_checks.h"
#include "parallel.h"

namespace gan {
namespace {

// `values` (`count` of them; none when null) followed by zeros to `panels` whole panels.
std::vector<float> padded(const float* values, int count, size_t panels) {
  std::vector<float> v(panels * QuantizedPanels::kPanel, 0.0f);
  if (values) std::copy(values, values + count, v.begin());
  return v;
}

// nn.Linear: weight [out, in] with one scale per output feature, the panels' own layout.
class QuantizedDense : public QuantizedLayer {
 public:
  // `whole_numbers` [out, in], `scale` [out], `bias` [out] or null.
  QuantizedDense(int in, int out, const std::vector<float>& whole_numbers, const std::vector<float>& scale,
                 const float* bias)
      : out_(out), panels_(in, out), bias_(padded(bias, out, panels_.panels())) {
    for (int o = 0; o < out; ++o) panels_.set_row(o, whole_numbers.data() + size_t(o) * in, scale[size_t(o)]);
  }

  void forward(const Matrix& x, Matrix& y, QuantizedInputs& rounded) override {
    const int rows = static_cast<int>(x.rows());
    y.resize(rows, out_);
    panels_.forward(x.data(), rows, bias_.data(), y.data(), Act::None, 0, rounded,
                    worth_sharing(2.0 * rows * x.cols() * out_));
  }

 private:
  int out_;
  QuantizedPanels panels_;
  std::vector<float> bias_;
};

// nn.ConvTranspose2d: weight [in, out * k * k] with one scale per input channel. Each input position's channels,
// times their weights' scales, are one row of the panels' inputs, and its outputs are that position's patch,
// folded into the image as the float layer folds a wide patch (col2im_by_position).
class QuantizedConvTranspose : public QuantizedLayer {
 public:
  // `g`: the convolution this layer transposes; `whole_numbers` [in, g.patch()], `scale` [in], `bias` [g.channels]
  // or null.
  QuantizedConvTranspose(const ConvGeometry& g, int in, const std::vector<float>& whole_numbers,
                         std::vector<float> scale, const float* bias)
      : geometry_(g),
        in_(in),
        panels_(in, g.patch()),
        input_scale_(std::move(scale)),
        zeros_(padded(nullptr, 0, panels_.panels())),
        bias_(bias ? std::vector<float>(bias, bias + g.channels) : std::vector<float>()) {
    const int patch = g.patch();
    std::vector<float> column(static_cast<size_t>(in));
    for (int f = 0; f < patch; ++f) {
      for (int i = 0; i < in; ++i) column[size_t(i)] = whole_numbers[size_t(i) * patch + f];
      panels_.set_row(f, column.data(), 1.0f);
    }
  }

  void forward(const Matrix& x, Matrix& y, QuantizedInputs& rounded) override {
    const int pos = geometry_.positions(), patch = geometry_.patch();
    y.setZero(x.rows(), geometry_.channels * geometry_.height * geometry_.width);
    for (Eigen::Index first = 0; first < x.rows(); first += kSamplesPerGroup) {
      const int count = static_cast<int>(std::min<Eigen::Index>(kSamplesPerGroup, x.rows() - first));
      scale_by_position(x, first, count);
      cols_.resize(size_t(count) * pos * patch);
      panels_.forward(by_position_.data(), count * pos, zeros_.data(), cols_.data(), Act::None, 0, rounded,
                      worth_sharing(2.0 * count * pos * in_ * patch));
      for (int s = 0; s < count; ++s) {
        float* image = y.row(first + s).data();
        col2im_by_position(geometry_, cols_.data() + size_t(s) * pos * patch, image);
        add_bias(image);
      }
    }
  }

 private:
  static constexpr int kSamplesPerGroup = 8;  // the DCGAN's first: 1.6 MB of patches, where 64 digits' take 12.8

  // Samples [first, first + count) of x ([in, positions] each) as [positions, in], each channel times its scale.
  void scale_by_position(const Matrix& x, Eigen::Index first, int count) {
    const int pos = geometry_.positions();
    by_position_.resize(size_t(count) * pos * in_);
    for (int s = 0; s < count; ++s) {
      const float* sample = x.row(first + s).data();
      float* dst = by_position_.data() + size_t(s) * pos * in_;
      for (int i = 0; i < in_; ++i)
        for (int p = 0; p < pos; ++p) dst[size_t(p) * in_ + i] = sample[size_t(i) * pos + p] * input_scale_[size_t(i)];
    }
  }

  void add_bias(float* image) const {
    const size_t plane = size_t(geometry_.height) * geometry_.width;
    for (size_t c = 0; c < bias_.size(); ++c)
      for (size_t p = 0; p < plane; ++p) image[c * plane + p] += bias_[c];
  }

  ConvGeometry geometry_;
  int in_;
  QuantizedPanels panels_;
  std::vector<float> input_scale_, zeros_, bias_;
  std::vector<float> by_position_, cols_;  // scratch, reused
};

// Every value of tensor `t` as stored: an 8-bit tensor's whole numbers.
std::vector<float> stored_values(const TensorView& t) {
  std::vector<float> v(static_cast<size_t>(t.numel()));
  t.decode(0, v.size(), v.data());
  return v;
}

// The first `count` values of tensor `name`, which load_network_generator has checked.
std::vector<float> checked_values(const SafeTensorsView& file, const std::string& name, int64_t count) {
  std::vector<float> v(static_cast<size_t>(count));
  read_finite(*file.find(name), 0, v.size(), v.data(), name, "generator file");
  return v;
}

// Layer i's 8-bit form, for a Linear or a transposed convolution with a wide patch whose weight the file stores as
// 8-bit; else null. A narrow patch (the DCGAN's last layer: 16 values a position) stays float: its positions' rows
// of 64 channels cost more to gather, round and fold than its product (64 digits: 1.55 ms in 8 bits, 0.93 in float).
std::unique_ptr<QuantizedLayer> quantized_layer(const SafeTensorsView& file, const Network& net, size_t i) {
  const std::string prefix = "main." + std::to_string(i) + ".";
  const TensorView* weight = file.find(prefix + "weight");
  const LayerSpec& spec = net.specs()[i];
  const Shape in = net.layer(i).input_shape(), out = net.layer(i).output_shape();
  const bool dense = spec.kind == LayerSpec::Kind::Linear;
  const bool transposed =
      spec.kind == LayerSpec::Kind::ConvTranspose2d && out.channels * spec.kernel * spec.kernel >= 128;
  if (!weight || weight->dtype != TensorView::Stored::I8 || !(dense || transposed)) return nullptr;
  const std::vector<float> whole = stored_values(*weight);
  std::vector<float> scale = checked_values(file, prefix + "weight_scale", weight->shape[0]);
  const std::vector<float> bias =
      spec.bias ? checked_values(file, prefix + "bias", dense ? out.size() : out.channels) : std::vector<float>();
  const float* b = spec.bias ? bias.data() : nullptr;
  if (dense) return std::make_unique<QuantizedDense>(in.size(), out.size(), whole, scale, b);
  const ConvGeometry g{out.channels, out.height, out.width, spec.kernel, spec.stride, spec.padding};
  return std::make_unique<QuantizedConvTranspose>(g, in.channels, whole, std::move(scale), b);
}

}  // namespace

InferenceNetwork::InferenceNetwork(NetworkGenerator generator)
    : generator_(std::move(generator)), quantized_(generator_.net.size()), outputs_(generator_.net.size()) {}

void InferenceNetwork::layer_forward(size_t layer, const Matrix& x, Matrix& y) {
  if (quantized_.at(layer))
    quantized_[layer]->forward(x, y, rounded_);
  else
    generator_.net.layer(layer).forward(x, y, false, nullptr);
}

void InferenceNetwork::forward(const float* x, int rows, float* out) {
  input_ = Eigen::Map<const Matrix>(x, rows, generator_.net.input_shape().size());
  const Matrix* in = &input_;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    layer_forward(i, *in, outputs_[i]);
    in = &outputs_[i];
  }
  std::copy(in->data(), in->data() + in->size(), out);
}

InferenceNetwork load_inference_network(const uint8_t* data, size_t size, GeneratorInfo* info) {
  InferenceNetwork net(load_network_generator(data, size, info));
  const SafeTensorsView file = index_safetensors(data, size);
  for (size_t i = 0; i < net.quantized_.size(); ++i) net.quantized_[i] = quantized_layer(file, net.generator_.net, i);
  return net;
}

}  // namespace gan
