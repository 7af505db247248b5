// The CUDA kernels' per-thread bodies (cuda/kernel_bodies.h) and the cuBLAS calls' operands (cuda/gemm_calls.h),
// run on the host over every index against the CPU core's ops: the index math, random-stream offsets and formulas of
// the GPU path are checked on every machine, GPU or not. The GPU tests (tests/cuda) run the same cases on the device.
// Built with -ffp-contract=off, as the kernels are built with --fmad=false: the normals then match bit for bit.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "close_to.h"
#include "gemm_calls.h"
#include "kernel_bodies.h"
#include "kernel_cases.h"
#include "loss.h"

using namespace gan;
using namespace gan::testing;

namespace {

// What a grid-stride kernel does, one index after another (an index per Philox block where a body takes four
// values); backwards, so that a body that depended on running in order would show.
template <class Body>
void for_each_index(size_t n, Body&& body) {
  for (size_t i = n; i-- > 0;) body(i);
}

size_t size_of(const Matrix& m) { return static_cast<size_t>(m.size()); }

// cuBLAS's column-major SGEMM with alpha 1 and beta 0, by its definition, summed in double.
void column_major_sgemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b,
                        int ldb, float* c, int ldc) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      double sum = 0;
      for (int p = 0; p < k; ++p) {
        const float av = trans_a ? a[p + static_cast<size_t>(i) * lda] : a[i + static_cast<size_t>(p) * lda];
        const float bv = trans_b ? b[j + static_cast<size_t>(p) * ldb] : b[p + static_cast<size_t>(j) * ldb];
        sum += static_cast<double>(av) * bv;
      }
      c[i + static_cast<size_t>(j) * ldc] = static_cast<float>(sum);
    }
}

}  // namespace

TEST_CASE("kernel bodies: the normals equal the CPU stream bit for bit", "[cuda-bodies]") {
  for (const size_t n : kNormalCounts) {
    std::vector<float> out(n, -99.0f);
    for_each_index(blocks_for_values(n),
                   [&](size_t q) { cuda::normal_quad(q, out.data(), n, kNormalKey, kNormalBlock); });
    const std::vector<float> cpu = expected_normals(n);
    INFO("n = " << n);
    CHECK(std::memcmp(out.data(), cpu.data(), n * sizeof(float)) == 0);
  }
}

TEST_CASE("kernel bodies: bias + LeakyReLU + dropout equal the CPU's, masks and backward too", "[cuda-bodies]") {
  using C = LeakyDropoutCase;
  const C c;
  const size_t total = size_of(c.x);
  Matrix y = c.x, mask(C::rows, C::cols);
  for_each_index(blocks_for_values(total), [&](size_t q) {
    cuda::bias_act_quad(q, y.data(), total, C::cols, c.bias.data(), cuda::Act::Leaky, C::slope, C::p, mask.data(),
                        C::key, C::first_block);
  });
  CHECK(y == c.y);
  CHECK(mask == c.mask);
  CHECK((mask.array() == 0).count() > static_cast<Eigen::Index>(total / 4));  // dropout did drop

  // Element by element out of place, and a column at a time in place with the bias gradient.
  Matrix grad(C::rows, C::cols), by_column = c.grad, sums(1, C::cols);
  for_each_index(total, [&](size_t e) {
    cuda::act_backward_element(e, c.grad.data(), grad.data(), y.data(), mask.data(), cuda::Act::Leaky, C::slope);
  });
  for_each_index(C::cols, [&](size_t col) {
    sums.data()[col] = cuda::act_backward_column(col, by_column.data(), by_column.data(), y.data(), mask.data(),
                                                 C::rows, C::cols, cuda::Act::Leaky, C::slope);
  });
  CHECK(grad == c.grad_in);
  CHECK(by_column == c.grad_in);
  CHECK(sums == c.bias_grad);

  // Without dropout (evaluation, and the generator's layers): every element kept.
  Matrix plain = c.x;
  for_each_index(blocks_for_values(total), [&](size_t q) {
    cuda::bias_act_quad(q, plain.data(), total, C::cols, c.bias.data(), cuda::Act::Leaky, C::slope, C::p, nullptr, 0,
                        0);
  });
  Matrix cpu_plain = c.x;
  cpu_plain.rowwise() += RowVector(c.bias);
  leaky_relu_forward(cpu_plain, C::slope);
  CHECK(plain == cpu_plain);
}

TEST_CASE("kernel bodies: bias + tanh forward and backward", "[cuda-bodies]") {
  using C = TanhCase;
  const C c;
  const size_t total = size_of(c.x);
  Matrix y = c.x, grad = c.grad, by_column(C::rows, C::cols), sums(1, C::cols);
  for_each_index(blocks_for_values(total), [&](size_t q) {
    cuda::bias_act_quad(q, y.data(), total, C::cols, c.bias.data(), cuda::Act::Tanh, 0, 0, nullptr, 0, 0);
  });
  for_each_index(total, [&](size_t e) {
    cuda::act_backward_element(e, grad.data(), grad.data(), c.y.data(), nullptr, cuda::Act::Tanh, 0);
  });
  for_each_index(C::cols, [&](size_t col) {
    sums.data()[col] = cuda::act_backward_column(col, c.grad.data(), by_column.data(), c.y.data(), nullptr, C::rows,
                                                 C::cols, cuda::Act::Tanh, 0);
  });
  require_close(y, c.y, C::forward_abs, 0);
  require_close(grad, c.grad_in, C::backward_abs, C::backward_rel);
  require_close(by_column, c.grad_in, C::backward_abs, C::backward_rel);
  require_close(sums, c.bias_grad, C::sums_abs, 0);
}

TEST_CASE("kernel bodies: the SGEMM operands and the column sums give Linear's products", "[cuda-bodies]") {
  for (const auto& [rows, in, out] : kLinearShapes) {
    INFO(rows << " x " << in << " -> " << out);
    LinearCase c(rows, in, out);
    Matrix y(rows, out), grad_w(out, in), grad_x(rows, in), grad_b(1, out);
    cuda::linear_forward_call(column_major_sgemm, c.x.data(), c.layer.weight.data(), y.data(), rows, in, out);
    cuda::linear_weight_grad_call(column_major_sgemm, c.grad_y.data(), c.x.data(), grad_w.data(), rows, in, out);
    cuda::linear_input_grad_call(column_major_sgemm, c.grad_y.data(), c.layer.weight.data(), grad_x.data(), rows, in,
                                 out);
    for_each_index(static_cast<size_t>(out), [&c, &grad_b](size_t col) {
      grad_b.data()[col] = cuda::column_sum(col, c.grad_y.data(), c.rows, c.out);
    });
    require_close(y, c.y, LinearCase::abs, LinearCase::rel);
    require_close(grad_w, c.layer.grad_weight, LinearCase::abs, LinearCase::rel);
    require_close(grad_x, c.grad_x, LinearCase::abs, LinearCase::rel);
    require_close(grad_b, Matrix(c.layer.grad_bias), LinearCase::abs, LinearCase::rel);
  }
}

TEST_CASE("kernel bodies: the BCE terms sum to bce_with_logits, gradients and sigmoids alike", "[cuda-bodies]") {
  const int n = 60;
  const Matrix logits = random_matrix(n, 1, 10, -20.0f, 20.0f);
  for (const float target : {0.0f, 0.9f, 1.0f}) {
    INFO("target " << target);
    double loss = 0, sigmoids = 0, cpu_sigmoids = 0;
    Matrix grad(n, 1), cpu_grad;
    for (int i = 0; i < n; ++i) {
      const cuda::BceTerm t = cuda::bce_term(logits(i, 0), target, n);
      loss += t.loss;
      sigmoids += t.sigmoid;
      cpu_sigmoids += sigmoid(logits(i, 0));
      grad(i, 0) = t.grad;
    }
    const double cpu_loss = bce_with_logits(logits, target, &cpu_grad);
    CHECK(loss / n == Approx(cpu_loss).epsilon(1e-12));
    CHECK(sigmoids == Approx(cpu_sigmoids).epsilon(1e-12));
    require_close(grad, cpu_grad, 1e-8, 1e-6);
  }
}

TEST_CASE("kernel bodies: the step scalars, Adam and the moving average equal the CPU's over several steps",
          "[cuda-bodies]") {
  using C = AdamCase;
  C c;
  Matrix p = c.initial, average = c.initial;
  std::vector<float> m(C::n, 0.0f), v(C::n, 0.0f);
  cuda::StepScalars s;
  s.adam_steps_g = C::first_g_steps;
  const cuda::AdamScalars adam{c.config.lr, c.config.beta1, c.config.beta2, c.config.eps};
  const cuda::AdamFloats f = cuda::adam_floats(adam);
  const uint64_t noise_seed = 77;
  for (int t = 0; t < C::steps; ++t) {
    Matrix g = C::gradient(t);
    cuda::begin_step_body(s, noise_seed, adam, C::ema);
    CHECK(s.key == derive_seed(noise_seed, static_cast<uint64_t>(t)));
    const cuda::AdamStep step = cuda::adam_step(s, C::generator(t));
    for_each_index(C::n, [&](size_t i) { cuda::adam_element(i, p.data(), g.data(), m.data(), v.data(), f, step); });
    for_each_index(C::n, [&](size_t i) { cuda::ema_element(i, average.data(), p.data(), s.ema_decay); });
    s.step += 1;  // end_step
    CHECK(s.ema_decay == c.cpu_step(t, g));
  }
  require_close(p, c.p, 0, C::param_rel);
  require_close(m.data(), c.cpu.exp_avg(0).data(), C::n, 0, C::moment_rel);
  require_close(v.data(), c.cpu.exp_avg_sq(0).data(), C::n, 0, C::moment_rel);
  require_close(average, c.average, 0, C::param_rel);
  CHECK(s.adam_steps_d == C::final_steps_d);
  CHECK(s.adam_steps_g == C::final_steps_g);
}

TEST_CASE("kernel bodies: the batch gather takes the BatchSampler's rows and labels", "[cuda-bodies]") {
  using C = GatherCase;
  C c;
  for (const int64_t step : C::steps()) {
    const std::vector<uint32_t> order = C::order(step);
    Matrix out(C::batch, C::cols), cpu;
    std::vector<int> out_labels(C::batch, -1), cpu_labels;
    for_each_index(size_of(out), [&](size_t e) {
      cuda::gather_element(e, c.images.data(), C::cols, c.labels.data(), order.data(), C::per_epoch, C::batch,
                           static_cast<unsigned long long>(step), out.data(), out_labels.data());
    });
    c.expected(step, cpu, cpu_labels);
    INFO("step " << step);
    CHECK(out == cpu);
    CHECK(out_labels == cpu_labels);
  }
}

TEST_CASE("kernel bodies: fake labels, one-hot inputs and the label columns' removal match the CPU", "[cuda-bodies]") {
  using C = LabelsCase;
  const C c;
  std::vector<int> drawn(C::rows);
  for_each_index(C::rows, [&](size_t i) { drawn[i] = cuda::label_draw(i, C::classes, C::key, C::first_block); });
  CHECK(drawn == c.labels);
  Matrix with_hot(C::rows, C::cols + C::classes), back(C::rows, C::cols);
  for_each_index(size_of(with_hot), [&](size_t e) {
    cuda::one_hot_element(e, c.x.data(), C::cols, drawn.data(), C::classes, C::hot, with_hot.data());
  });
  for_each_index(size_of(back), [&](size_t e) {
    cuda::copy_column_element(e, with_hot.data(), C::cols + C::classes, back.data(), C::cols);
  });
  CHECK(with_hot == c.with_hot);
  CHECK(back == c.x);
}
