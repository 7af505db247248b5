// The cases the CUDA backend's kernels are checked on, each with the CPU core's expected results: run over the
// kernels' bodies on the host (test_kernel_bodies.cpp) and through the kernels on a GPU (cuda/test_cuda_ops.cpp).
#pragma once
#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "activations.h"
#include "adam.h"
#include "batches.h"
#include "labels.h"
#include "linear.h"
#include "rng.h"

namespace gan::testing {

inline Matrix random_matrix(int rows, int cols, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  Matrix m(rows, cols);
  Rng rng(seed);
  rng.uniform(m.data(), static_cast<size_t>(m.size()), lo, hi);
  return m;
}

// Each column's sum, adding the rows in order in float (as the bias-gradient kernels do).
inline Matrix column_sums_in_order(const Matrix& m) {
  Matrix sums = Matrix::Zero(1, m.cols());
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) sums(0, c) += m(r, c);
  return sums;
}

// Normals of the stream kNormalKey from block kNormalBlock, for several counts (not all multiples of four).
constexpr uint64_t kNormalKey = 0x1234567890abcdefull, kNormalBlock = 5;
inline const std::vector<size_t> kNormalCounts{1, 7, 4096, 12001};
inline std::vector<float> expected_normals(size_t n) {
  std::vector<float> z(n);
  Rng(kNormalKey, kNormalBlock).normal(z.data(), n);
  return z;
}

// Bias + LeakyReLU + dropout, forward and backward, on odd sizes: the Philox blocks straddle rows. Exact.
struct LeakyDropoutCase {
  static constexpr int rows = 9, cols = 37;
  static constexpr float p = 0.5f, slope = 0.2f;
  static constexpr uint64_t key = 99, first_block = 3;
  Matrix x = random_matrix(rows, cols, 1), bias = random_matrix(1, cols, 2), grad = random_matrix(rows, cols, 4);
  Matrix y, mask, grad_in;  // expected: the outputs, the dropout factors, and grad taken back through both
  Matrix bias_grad;         // and grad_in's column sums

  LeakyDropoutCase() {
    y = x;
    y.rowwise() += RowVector(bias);
    leaky_relu_forward(y, slope);
    const Matrix activated = y;
    Rng rng(key, first_block);
    dropout_forward(y, mask, p, rng);
    grad_in = grad;  // back through the Dropout layer, then the LeakyReLU layer, as the layer list does
    dropout_backward(mask, grad_in);
    leaky_relu_backward(activated, grad_in, slope);
    bias_grad = column_sums_in_order(grad_in);
  }
};

// Bias + tanh forward, and tanh's backward from the CPU's outputs (so that the backward itself is compared).
// Tolerances (|got - cpu| <= abs + rel |cpu|): forward 1e-6 absolute, tanhf against Eigen's rational tanh; backward
// 1e-7 + 1e-6 relative, as the CPU build may fuse 1 - y * y into one multiply-add.
struct TanhCase {
  static constexpr int rows = 5, cols = 784;
  static constexpr double forward_abs = 1e-6, backward_abs = 1e-7, backward_rel = 1e-6;
  // The column sums add `rows` such differences (|grad| <= 1, so each within backward_abs + backward_rel).
  static constexpr double sums_abs = rows * (backward_abs + backward_rel);
  Matrix x = random_matrix(rows, cols, 5, -3.0f, 3.0f), bias = random_matrix(1, cols, 6),
         grad = random_matrix(rows, cols, 7);
  Matrix y, grad_in, bias_grad;

  TanhCase() {
    y = x;
    y.rowwise() += RowVector(bias);
    tanh_forward(y);
    grad_in = grad;
    tanh_backward(y, grad_in);
    bias_grad = column_sums_in_order(grad_in);
  }
};

// A Linear layer's three products and its bias gradient (the bias itself zero: the products alone), within
// 1e-5 absolute + 1e-4 relative: the summation orders differ.
struct LinearCase {
  static constexpr double abs = 1e-5, rel = 1e-4;
  int rows, in, out;
  Linear layer;
  Matrix x, grad_y;
  Matrix y, grad_x;  // expected; the weight and bias gradients are layer.grad_weight and layer.grad_bias

  LinearCase(int rows_, int in_, int out_)
      : rows(rows_),
        in(in_),
        out(out_),
        layer(in_, out_),
        x(random_matrix(rows_, in_, 8)),
        grad_y(random_matrix(rows_, out_, 9)) {
    Rng init(static_cast<uint64_t>(in * 31 + out));
    layer.reset_parameters(init);
    layer.bias.setZero();
    layer.forward(x, y);
    layer.backward(x, grad_y, &grad_x, true);
  }
};
// Batch 60 into the first layers, a wide layer, a single output, and sizes that fit no tile.
inline const std::vector<std::tuple<int, int, int>> kLinearShapes{
    {60, 100, 256}, {120, 784, 1024}, {7, 256, 1}, {1, 33, 17}, {13, 29, 41}};

// Five Adam steps and moving-average updates of one parameter vector, stepped alternately as G's and D's, whose step
// counts start unequal (a resumed run may have them: a swapped D/G step size would show). Tolerances, relative: the
// parameters and the average 1e-6; the moments 2.5e-7 (two ulps), since the CPU build may fuse
// b2 * v + (1 - b2) * g^2 into an FMA while the kernels are built without.
struct AdamCase {
  static constexpr size_t n = 1000;
  static constexpr int steps = 5;
  static constexpr long long first_g_steps = 3;
  static constexpr double ema = 0.999;
  static constexpr double param_rel = 1e-6, moment_rel = 2.5e-7;
  AdamConfig config;
  Adam cpu{config, {n}};
  Matrix initial = random_matrix(1, static_cast<int>(n), 11);
  Matrix p = initial, average = initial;  // the CPU's, after the steps taken

  static bool generator(int t) { return t % 2 == 0; }
  static Matrix gradient(int t) {
    Matrix g = random_matrix(1, static_cast<int>(n), 20 + static_cast<uint64_t>(t), -1e-3f, 1e-3f);
    g(0, 0) = 0.0f;  // a zero gradient: the update is 0 / eps
    return g;
  }
  // Step t on the CPU: the count of the optimiser whose turn it is, then the moving average's warm-up decay.
  float cpu_step(int t, Matrix& g) {
    cpu.set_steps(generator(t) ? first_g_steps + t : t);
    cpu.step({ParamRef{p.data(), g.data(), n}});
    const float decay = static_cast<float>(std::min(ema, (1.0 + t) / (10.0 + t)));
    average = decay * average + (1.0f - decay) * p;
    return decay;
  }
  // Both counts advance every step, whichever optimiser's turn it is.
  static constexpr long long final_steps_d = steps, final_steps_g = first_g_steps + steps;
};

// Batches of 60 from 130 images (2 per epoch) with labels: what BatchSampler gives at each step.
struct GatherCase {
  static constexpr int images_count = 130, cols = 784, batch = 60;
  static constexpr int64_t per_epoch = images_count / batch;
  static constexpr uint64_t seed = 17;
  Matrix images = random_matrix(images_count, cols, 12);
  std::vector<uint8_t> labels = [] {
    std::vector<uint8_t> l(images_count);
    for (size_t i = 0; i < l.size(); ++i) l[i] = static_cast<uint8_t>(i % 10);
    return l;
  }();
  BatchSampler sampler{images, batch, seed, &labels};

  static std::vector<int64_t> steps() { return {0, 1, 2, 5}; }
  static std::vector<uint32_t> order(int64_t step) {
    std::vector<uint32_t> o(images_count);
    epoch_order(seed, step / per_epoch, o.data(), o.size());
    return o;
  }
  void expected(int64_t step, Matrix& out, std::vector<int>& out_labels) {
    sampler.fill_for_step(step, out, &out_labels);
  }
};

// The conditional GAN's fake labels drawn from the stream, its one-hot inputs (hot entry 28, as D's), and the label
// columns taken off again.
struct LabelsCase {
  static constexpr int rows = 13, classes = 10, cols = 100;
  static constexpr float hot = 28.0f;
  static constexpr uint64_t key = 1234, first_block = 21;
  Matrix x = random_matrix(rows, cols, 13);
  std::vector<int> labels = std::vector<int>(rows);
  Matrix with_hot;

  LabelsCase() {
    Rng rng(key, first_block);
    for (int& label : labels) label = static_cast<int>(rng.below(classes));
    append_one_hot(x, labels, classes, with_hot);
    with_hot.rightCols(classes) *= hot;
  }
};

}  // namespace gan::testing
