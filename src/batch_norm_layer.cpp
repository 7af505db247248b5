// BatchNorm1d/2d: statistics per channel over the batch and the positions, in double so that they do not depend on
// how many values there are; running averages as PyTorch keeps them (the unbiased variance).
#include <cmath>
#include <vector>

#include "layer_kinds.h"
#include "parallel.h"

namespace gan {

namespace {

// fn(c) for every channel, across the cores for large inputs.
template <class Fn>
void for_channels(int channels, double values, Fn&& fn) {
  parallel_chunks(static_cast<size_t>(channels), [&](size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) fn(static_cast<int>(c));
  }, 1, values >= 1e5 ? 2 : static_cast<size_t>(channels) + 1);
}

// fn(value&) for every value of channel c of every sample of m ([samples, channels * positions]).
template <class M, class Fn>
void each_value(M& m, int c, int positions, Fn&& fn) {
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    auto* p = m.row(i).data() + static_cast<Eigen::Index>(c) * positions;
    for (int s = 0; s < positions; ++s) fn(p[s]);
  }
}

// One sample's values: n = (x - mean) inv_std, y = n weight + bias, per channel.
void normalize_sample(const float* x, int channels, int positions, const float* mean, const float* inv_std,
                      const float* weight, const float* bias, float* n, float* y) {
  if (positions == 1) {  // BatchNorm1d: one value per channel, so the loop runs across channels
    for (int c = 0; c < channels; ++c) {
      n[c] = (x[c] - mean[c]) * inv_std[c];
      y[c] = n[c] * weight[c] + bias[c];
    }
    return;
  }
  for (int c = 0; c < channels; ++c) {
    const float m = mean[c], s = inv_std[c], w = weight[c], b = bias[c];
    const long at = static_cast<long>(c) * positions;
    for (int p = 0; p < positions; ++p) {
      n[at + p] = (x[at + p] - m) * s;
      y[at + p] = n[at + p] * w + b;
    }
  }
}

}  // namespace

BatchNormLayer::BatchNormLayer(Shape in)
    : Layer(in, in),
      weight_(RowVector::Ones(in.channels)),
      bias_(RowVector::Zero(in.channels)),
      running_mean_(RowVector::Zero(in.channels)),
      running_var_(RowVector::Ones(in.channels)) {}

void BatchNormLayer::forward(const Matrix& x, Matrix& y, bool train, Rng*) {
  const int channels = input_shape().channels, positions = input_shape().height * input_shape().width;
  const double count = static_cast<double>(x.rows()) * positions;
  if (train && count < 2) throw std::invalid_argument("BatchNorm in training mode needs more than one value per channel");
  trained_ = train;
  inv_std_.resize(channels);
  std::vector<float> means(static_cast<size_t>(channels));
  normalized_.resize(x.rows(), x.cols());
  y.resize(x.rows(), x.cols());
  for_channels(channels, static_cast<double>(x.size()), [&](int c) {
    double mean = running_mean_[c], var = running_var_[c];
    if (train) {
      double sum = 0, sq = 0;
      each_value(x, c, positions, [&](const float& v) { sum += v; });
      mean = sum / count;
      each_value(x, c, positions, [&](const float& v) { sq += (v - mean) * (v - mean); });
      var = sq / count;
      running_mean_[c] = static_cast<float>((1 - kMomentum) * running_mean_[c] + kMomentum * mean);
      running_var_[c] = static_cast<float>((1 - kMomentum) * running_var_[c] + kMomentum * var * count / (count - 1));
    }
    inv_std_[c] = static_cast<float>(1.0 / std::sqrt(var + kEps));
    means[c] = static_cast<float>(mean);
  });
  // Then the values, sample by sample: memory in order, where a channel of BatchNorm1d is a column of x.
  parallel_chunks(static_cast<size_t>(x.rows()), [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i)
      normalize_sample(x.row(i).data(), channels, positions, means.data(), inv_std_.data(), weight_.data(),
                       bias_.data(), normalized_.row(i).data(), y.row(i).data());
  }, 1, x.size() >= 100000 ? 2 : static_cast<size_t>(x.rows()) + 1);
}

void BatchNormLayer::backward(const ConstRowsRef&, const ConstRowsRef&, const Matrix& grad_y, Matrix* grad_x,
                              bool param_grads, Eigen::Index first_row) {
  if (first_row != 0 || grad_y.rows() != normalized_.rows())
    throw std::logic_error("BatchNorm's backward takes the whole batch: its statistics tie the rows together");
  const int channels = input_shape().channels, positions = input_shape().height * input_shape().width;
  const double count = static_cast<double>(grad_y.rows()) * positions;
  if (param_grads || grad_weight_.size() == 0) {
    grad_weight_.setZero(channels);
    grad_bias_.setZero(channels);
  }
  if (grad_x) grad_x->resize(grad_y.rows(), grad_y.cols());
  for_channels(channels, static_cast<double>(grad_y.size()), [&](int c) {
    // dL/dbias = sum dy; dL/dweight = sum dy * normalized
    double sum_dy = 0, sum_dy_n = 0;
    for (Eigen::Index i = 0; i < grad_y.rows(); ++i)
      for (int s = 0; s < positions; ++s) {
        const Eigen::Index at = static_cast<Eigen::Index>(c) * positions + s;
        sum_dy += grad_y(i, at);
        sum_dy_n += static_cast<double>(grad_y(i, at)) * normalized_(i, at);
      }
    if (param_grads) {
      grad_weight_[c] = static_cast<float>(sum_dy_n);
      grad_bias_[c] = static_cast<float>(sum_dy);
    }
    if (!grad_x) return;
    const float scale = weight_[c] * inv_std_[c];
    // In training mode the batch's mean and variance depend on every input too:
    // dx = w * inv_std * (dy - mean(dy) - normalized * mean(dy * normalized)).
    const float mean_dy = trained_ ? static_cast<float>(sum_dy / count) : 0.0f;
    const float mean_dy_n = trained_ ? static_cast<float>(sum_dy_n / count) : 0.0f;
    for (Eigen::Index i = 0; i < grad_y.rows(); ++i)
      for (int s = 0; s < positions; ++s) {
        const Eigen::Index at = static_cast<Eigen::Index>(c) * positions + s;
        (*grad_x)(i, at) = scale * (grad_y(i, at) - mean_dy - normalized_(i, at) * mean_dy_n);
      }
  });
}

void BatchNormLayer::reset_parameters(Rng& rng, Init init) {
  bias_.setZero();
  running_mean_.setZero();
  running_var_.setOnes();
  if (init == Init::PyTorchDefault) {
    weight_.setOnes();
  } else {
    rng.normal(weight_.data(), static_cast<size_t>(weight_.size()));
    weight_ = (weight_ * 0.02f).array() + 1.0f;
  }
}

std::vector<LayerTensor> BatchNormLayer::parameters() {
  const int64_t c = weight_.size();
  if (grad_weight_.size() == 0) {
    grad_weight_.setZero(c);
    grad_bias_.setZero(c);
  }
  return {{"weight", {c}, weight_.data(), grad_weight_.data(), static_cast<size_t>(c)},
          {"bias", {c}, bias_.data(), grad_bias_.data(), static_cast<size_t>(c)}};
}

std::vector<LayerTensor> BatchNormLayer::buffers() {
  const int64_t c = weight_.size();
  return {{"running_mean", {c}, running_mean_.data(), nullptr, static_cast<size_t>(c)},
          {"running_var", {c}, running_var_.data(), nullptr, static_cast<size_t>(c)}};
}

std::unique_ptr<Layer> BatchNormLayer::clone() const {
  auto copy = std::make_unique<BatchNormLayer>(input_shape());
  copy->weight_ = weight_;
  copy->bias_ = bias_;
  copy->running_mean_ = running_mean_;
  copy->running_var_ = running_var_;
  return copy;
}

}  // namespace gan
