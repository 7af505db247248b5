// Conv2d and ConvTranspose2d as im2col/col2im around the engine's matrix products (matrix_product.h), split across
// the cores by sample or group of samples (and, for the weight gradient, by output row, so that every gradient entry
// is summed over the samples in one fixed order).
#include <algorithm>
#include <cmath>

#include "layer_kinds.h"
#include "matrix_product.h"
#include "parallel.h"

namespace gan {

namespace {

using Map = Eigen::Map<Matrix>;
using ConstMap = Eigen::Map<const Matrix>;

// A row-major operand of a product: `rows` x `cols` as stored, used transposed when `t`.
struct Operand {
  const float* data;
  int rows, cols;
  bool t = false;
};

// C (row-major, m x n) = op(A) op(B), or += with accumulate, through the engine in use (matrix_product.h).
void product(Operand a, Operand b, float* c, bool accumulate = false) {
  const int m = a.t ? a.cols : a.rows, k = a.t ? a.rows : a.cols, n = b.t ? b.rows : b.cols;
  gemm(m, n, k, {a.data, a.cols, a.t}, {b.data, b.cols, b.t}, c, n, accumulate);
}

// Calls fn(i) for each sample i, across the cores when the work is large enough to pay for it. (In wasm the
// packed kernel splits each product across the helper threads instead.)
template <class Fn>
void for_samples(Eigen::Index samples, double flops, Fn&& fn) {
  const size_t n = static_cast<size_t>(samples);
#ifdef __wasm_simd128__
  (void)flops;
  for (size_t i = 0; i < n; ++i) fn(static_cast<Eigen::Index>(i));
#else
  parallel_chunks(n, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) fn(static_cast<Eigen::Index>(i));
  }, 1, flops >= 2e6 ? 2 : n + 1);
#endif
}

// Samples whose columns one product of the transposed convolution's forward pass takes side by side: for the
// DCGAN's 7x7 inputs, 32 x 49 = 1568 columns (196 full panels of the wasm kernel, against 6 full and one nearly
// empty for one sample), the transposed weight packed once per 32 samples, and few parallel jobs. In wasm, groups
// of 8, 16, 32 and 64 took 14.1, 13.3, 12.7 and 12.5 ms for the DCGAN's first transposed convolution on 64 digits
// (bench/wasm_layer_times.cpp); 32 holds a group's columns to 6 MB. Fixed, so that a sample's digits do not depend
// on the thread count.
constexpr Eigen::Index kSamplesPerProduct = 32;

// fn(first, count) for each group of up to `group` consecutive samples, groups across the cores for large work.
template <class Fn>
void for_sample_groups(Eigen::Index samples, Eigen::Index group, double flops, Fn&& fn) {
  const Eigen::Index groups = (samples + group - 1) / group;
  for_samples(groups, flops, [&](Eigen::Index g) { fn(g * group, std::min(group, samples - g * group)); });
}

// Rows [first, first + count) of x, each `channels` planes of `positions` values, as one [channels, count *
// positions] matrix: channel c of sample s at columns [s * positions, (s + 1) * positions) of row c.
void side_by_side(const Matrix& x, Eigen::Index first, Eigen::Index count, int channels, int positions, float* out) {
  const long width = count * positions;
  for (Eigen::Index s = 0; s < count; ++s)
    for (int c = 0; c < channels; ++c)
      std::copy_n(x.row(first + s).data() + long(c) * positions, positions, out + c * width + s * positions);
}

// fn(first_row, rows) over [0, rows) in chunks, across the cores for large work.
template <class Fn>
void for_row_blocks(Eigen::Index rows, double flops, Fn&& fn) {
#ifdef __wasm_simd128__
  (void)flops;
  fn(Eigen::Index{0}, rows);  // one block: the packed kernel splits the product itself
#else
  const size_t n = static_cast<size_t>(rows);
  parallel_chunks(n, [&](size_t begin, size_t end) {
    fn(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin));
  }, 8, flops >= 2e6 ? 16 : n + 1);
#endif
}

// Weight and bias as PyTorch initialises them (bound 1/sqrt(fan_in)) or as the DCGAN paper does.
void init_conv(Matrix& weight, RowVector& bias, int fan_in, Rng& rng, Init init) {
  if (init == Init::PyTorchDefault) {
    const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
    rng.uniform(weight.data(), static_cast<size_t>(weight.size()), -bound, bound);
    if (bias.size()) rng.uniform(bias.data(), static_cast<size_t>(bias.size()), -bound, bound);
  } else {
    rng.normal(weight.data(), static_cast<size_t>(weight.size()));
    weight *= 0.02f;
    bias.setZero();
  }
}

std::vector<LayerTensor> conv_tensors(Matrix& w, Matrix& gw, RowVector& b, RowVector& gb, std::vector<int64_t> shape) {
  if (gw.size() == 0) gw = Matrix::Zero(w.rows(), w.cols());
  std::vector<LayerTensor> t{{"weight", std::move(shape), w.data(), gw.data(), static_cast<size_t>(w.size())}};
  if (b.size()) {
    if (gb.size() == 0) gb = RowVector::Zero(b.size());
    t.push_back({"bias", {b.size()}, b.data(), gb.data(), static_cast<size_t>(b.size())});
  }
  return t;
}

// Per channel sums of a [samples, channels * positions] gradient: the bias gradient.
void channel_sums(const Matrix& grad, int channels, int positions, RowVector& out) {
  out = RowVector::Zero(channels);
  for (Eigen::Index i = 0; i < grad.rows(); ++i)
    out += ConstMap(grad.row(i).data(), channels, positions).rowwise().sum().transpose();
}

}  // namespace

Conv2dLayer::Conv2dLayer(Shape in, const LayerSpec& spec)
    : Layer(in, Shape{spec.out,
                      ConvGeometry{in.channels, in.height, in.width, spec.kernel, spec.stride, spec.padding}.out_height(),
                      ConvGeometry{in.channels, in.height, in.width, spec.kernel, spec.stride, spec.padding}.out_width()}),
      geometry_{in.channels, in.height, in.width, spec.kernel, spec.stride, spec.padding},
      weight_(Matrix::Zero(spec.out, geometry_.patch())),
      bias_(spec.bias ? RowVector::Zero(spec.out) : RowVector()) {}

void Conv2dLayer::forward(const Matrix& x, Matrix& y, bool, Rng*) {
  const int patch = geometry_.patch(), pos = geometry_.positions(), out = output_shape().channels;
  cols_.resize(static_cast<size_t>(x.rows()) * patch * pos);
  y.resize(x.rows(), output_shape().size());
  for_samples(x.rows(), 2.0 * weight_.size() * pos * x.rows(), [&](Eigen::Index i) {
    float* cols = cols_.data() + static_cast<size_t>(i) * patch * pos;
    im2col(geometry_, x.row(i).data(), cols);
    product({weight_.data(), out, patch}, {cols, patch, pos}, y.row(i).data());
    if (bias_.size()) Map(y.row(i).data(), out, pos).colwise() += bias_.transpose();
  });
}

void Conv2dLayer::backward(const ConstRowsRef& x, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x,
                           bool param_grads, Eigen::Index first_row) {
  const int patch = geometry_.patch(), pos = geometry_.positions(), out = output_shape().channels;
  const double flops = 2.0 * weight_.size() * pos * grad_y.rows();
  if (param_grads) {
    grad_weight_ = Matrix::Zero(out, patch);
    for_row_blocks(out, flops, [&](Eigen::Index first, Eigen::Index rows) {
      for (Eigen::Index i = 0; i < grad_y.rows(); ++i)
        product({grad_y.row(i).data() + first * pos, static_cast<int>(rows), pos},
                {cols_.data() + static_cast<size_t>(first_row + i) * patch * pos, patch, pos, true},
                grad_weight_.row(first).data(), true);
    });
    if (bias_.size()) channel_sums(grad_y, out, pos, grad_bias_);
  }
  if (!grad_x) return;
  grad_x->setZero(x.rows(), input_shape().size());
  for_samples(grad_y.rows(), flops, [&](Eigen::Index i) {
    std::vector<float> cols(static_cast<size_t>(patch) * pos);
    product({weight_.data(), out, patch, true}, {grad_y.row(i).data(), out, pos}, cols.data());
    col2im(geometry_, cols.data(), grad_x->row(i).data());
  });
}

void Conv2dLayer::reset_parameters(Rng& rng, Init init) { init_conv(weight_, bias_, geometry_.patch(), rng, init); }

std::vector<LayerTensor> Conv2dLayer::parameters() {
  const int k = geometry_.kernel;
  return conv_tensors(weight_, grad_weight_, bias_, grad_bias_, {weight_.rows(), geometry_.channels, k, k});
}

std::unique_ptr<Layer> Conv2dLayer::clone() const {
  LayerSpec spec = conv2d(output_shape().channels, geometry_.kernel, geometry_.stride, geometry_.padding, bias_.size() > 0);
  auto copy = std::make_unique<Conv2dLayer>(input_shape(), spec);
  copy->weight_ = weight_;
  copy->bias_ = bias_;
  return copy;
}

ConvTranspose2dLayer::ConvTranspose2dLayer(Shape in, const LayerSpec& spec)
    : Layer(in, Shape{spec.out, (in.height - 1) * spec.stride - 2 * spec.padding + spec.kernel,
                      (in.width - 1) * spec.stride - 2 * spec.padding + spec.kernel}),
      geometry_{spec.out, output_shape().height, output_shape().width, spec.kernel, spec.stride, spec.padding},
      weight_(Matrix::Zero(in.channels, geometry_.patch())),
      bias_(spec.bias ? RowVector::Zero(spec.out) : RowVector()) {}

void ConvTranspose2dLayer::forward(const Matrix& x, Matrix& y, bool, Rng*) {
  const int patch = geometry_.patch(), pos = geometry_.positions(), in = input_shape().channels;
  const int out = output_shape().channels, out_pos = output_shape().height * output_shape().width;
  y.setZero(x.rows(), output_shape().size());
  for_sample_groups(x.rows(), kSamplesPerProduct, 2.0 * weight_.size() * pos * x.rows(),
                    [&](Eigen::Index first, Eigen::Index count) {
    const int width = static_cast<int>(count) * pos;
    std::vector<float> inputs, cols(static_cast<size_t>(width) * patch);
    if (count > 1) {
      inputs.resize(static_cast<size_t>(in) * width);
      side_by_side(x, first, count, in, pos, inputs.data());
    }
    const float* group = count > 1 ? inputs.data() : x.row(first).data();
    // A large patch (the DCGAN's first layer: 64 channels x 4 x 4) is folded from one row per input position,
    // [positions, patch] per sample, whose fold adds runs of neighbouring pixels: in wasm that layer took 11 ms
    // for 64 digits against 14 from [patch, positions], whose fold adds one pixel at a time. A small patch (its
    // last layer: 16) keeps [patch, positions], whose product has columns enough to share between threads.
    const bool by_position = patch >= 128;
    if (by_position)
      product({group, in, width, true}, {weight_.data(), in, patch}, cols.data());
    else
      product({weight_.data(), in, patch, true}, {group, in, width}, cols.data());
    for (Eigen::Index s = 0; s < count; ++s) {
      float* image = y.row(first + s).data();
      if (by_position)
        col2im_by_position(geometry_, cols.data() + s * pos * patch, image);
      else
        col2im(geometry_, cols.data() + s * pos, width, image);
      if (bias_.size()) Map(image, out, out_pos).colwise() += bias_.transpose();
    }
  });
}

void ConvTranspose2dLayer::backward(const ConstRowsRef& x, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x,
                                    bool param_grads, Eigen::Index) {
  const int patch = geometry_.patch(), pos = geometry_.positions(), in = input_shape().channels;
  const int out = output_shape().channels, out_pos = output_shape().height * output_shape().width;
  const double flops = 2.0 * weight_.size() * pos * grad_y.rows();
  // The output gradient unrolled the way forward's col2im folded it: [patch, input positions] per sample.
  cols_.resize(static_cast<size_t>(grad_y.rows()) * patch * pos);
  for_samples(grad_y.rows(), flops, [&](Eigen::Index i) {
    im2col(geometry_, grad_y.row(i).data(), cols_.data() + static_cast<size_t>(i) * patch * pos);
  });
  if (param_grads) {
    grad_weight_ = Matrix::Zero(in, patch);
    for_row_blocks(in, flops, [&](Eigen::Index first, Eigen::Index rows) {
      for (Eigen::Index i = 0; i < grad_y.rows(); ++i)
        product({x.row(i).data() + first * pos, static_cast<int>(rows), pos},
                {cols_.data() + static_cast<size_t>(i) * patch * pos, patch, pos, true},
                grad_weight_.row(first).data(), true);
    });
    if (bias_.size()) channel_sums(grad_y, out, out_pos, grad_bias_);
  }
  if (!grad_x) return;
  grad_x->resize(x.rows(), input_shape().size());
  for_samples(grad_y.rows(), flops, [&](Eigen::Index i) {
    product({weight_.data(), in, patch}, {cols_.data() + static_cast<size_t>(i) * patch * pos, patch, pos},
            grad_x->row(i).data());
  });
}

void ConvTranspose2dLayer::reset_parameters(Rng& rng, Init init) {
  // PyTorch computes fan_in from the weight's second dimension: out_channels * k * k for a transposed convolution.
  init_conv(weight_, bias_, geometry_.patch(), rng, init);
}

std::vector<LayerTensor> ConvTranspose2dLayer::parameters() {
  const int k = geometry_.kernel;
  return conv_tensors(weight_, grad_weight_, bias_, grad_bias_, {weight_.rows(), geometry_.channels, k, k});
}

std::unique_ptr<Layer> ConvTranspose2dLayer::clone() const {
  LayerSpec spec = conv_transpose2d(output_shape().channels, geometry_.kernel, geometry_.stride, geometry_.padding,
                                    bias_.size() > 0);
  auto copy = std::make_unique<ConvTranspose2dLayer>(input_shape(), spec);
  copy->weight_ = weight_;
  copy->bias_ = bias_;
  return copy;
}

}  // namespace gan
