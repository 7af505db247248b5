// Every kernel and product of the CUDA backend against the CPU core's op. The random draws (normals, dropout keep
// decisions, labels), the batch gather, one-hot inputs and LeakyReLU + dropout (forward and backward: only
// multiplications) are exact; products and sums differ in summation order, tanh and the sigmoid in the last bits of
// the library's expf/tanhf, Adam, EMA and tanh's backward by a fused multiply-add the CPU compiler may form. Each
// check states its tolerance as |gpu - cpu| <= abs + rel * |cpu|.
#include <catch2/catch.hpp>

#include <cstring>

#include "activations.h"
#include "adam.h"
#include "batches.h"
#include "gemm.h"
#include "gpu_compare.h"
#include "kernels.h"
#include "labels.h"
#include "linear.h"
#include "loss.h"
#include "quality_metric.h"

using namespace gan;
using gan::testing::require_close;
using gan::testing::to_device;
using gan::testing::to_host;

namespace {

Matrix random_matrix(int rows, int cols, uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  Matrix m(rows, cols);
  Rng rng(seed);
  rng.uniform(m.data(), static_cast<size_t>(m.size()), lo, hi);
  return m;
}

// The step scalars on the device, for kernels that read their key or step from there.
cuda::DeviceArray<cuda::StepScalars> device_scalars(const cuda::StepScalars& s) {
  cuda::DeviceArray<cuda::StepScalars> d(1);
  d.upload(&s, 1);
  return d;
}

void sync() { cuda::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

}  // namespace

TEST_CASE("cuda: normals equal the CPU stream bit for bit", "[cuda][ops]") {
  for (const size_t n : {size_t{1}, size_t{7}, size_t{4096}, size_t{12001}}) {
    cuda::StepScalars s;
    s.key = 0x1234567890abcdefull;
    auto scalars = device_scalars(s);
    cuda::DeviceArray<float> out(n);
    cuda::normal(out.data(), n, &scalars.data()->key, 5, nullptr);
    sync();
    std::vector<float> cpu(n);
    Rng(s.key, 5).normal(cpu.data(), n);
    const std::vector<float> gpu = out.to_host();
    INFO("n = " << n);
    CHECK(std::memcmp(gpu.data(), cpu.data(), n * sizeof(float)) == 0);
  }
}

TEST_CASE("cuda: bias + LeakyReLU + dropout equal the CPU's, masks and all", "[cuda][ops]") {
  const int rows = 9, cols = 37;  // odd sizes: the Philox blocks straddle rows
  const Matrix x = random_matrix(rows, cols, 1);
  const Matrix bias_row = random_matrix(1, cols, 2);
  const float p = 0.5f, slope = 0.2f;
  cuda::StepScalars s;
  s.key = 99;
  auto scalars = device_scalars(s);
  auto y = to_device(x);
  auto b = to_device(bias_row);
  cuda::DeviceArray<float> mask(static_cast<size_t>(x.size()));
  cuda::bias_act(y.data(), rows, cols, b.data(), cuda::Act::Leaky, slope, p, mask.data(), &scalars.data()->key, 3, nullptr);
  sync();

  Matrix cpu = x;
  cpu.rowwise() += RowVector(bias_row);
  leaky_relu_forward(cpu, slope);
  Matrix cpu_mask;
  Rng rng(99, 3);
  dropout_forward(cpu, cpu_mask, p, rng);
  CHECK(to_host(y, rows, cols) == cpu);
  CHECK(to_host(mask, rows, cols) == cpu_mask);

  // Backward through both, from the kept outputs.
  const Matrix grad = random_matrix(rows, cols, 4);
  auto g = to_device(grad);
  cuda::act_backward(g.data(), y.data(), mask.data(), rows, cols, cuda::Act::Leaky, slope, nullptr);
  sync();
  Matrix cpu_grad = grad;
  leaky_relu_dropout_backward(cpu, cpu_mask, cpu_grad, slope);
  CHECK(to_host(g, rows, cols) == cpu_grad);
}

TEST_CASE("cuda: bias + tanh forward (1e-6) and backward (1e-7 + 1e-6 relative)", "[cuda][ops]") {
  const int rows = 5, cols = 784;
  const Matrix x = random_matrix(rows, cols, 5, -3.0f, 3.0f);
  const Matrix bias_row = random_matrix(1, cols, 6);
  auto y = to_device(x);
  auto b = to_device(bias_row);
  cuda::bias_act(y.data(), rows, cols, b.data(), cuda::Act::Tanh, 0, 0, nullptr, nullptr, 0, nullptr);
  sync();
  Matrix cpu = x;
  cpu.rowwise() += RowVector(bias_row);
  tanh_forward(cpu);
  const Matrix gpu_y = to_host(y, rows, cols);
  require_close(gpu_y, cpu, 1e-6, 0);

  const Matrix grad = random_matrix(rows, cols, 7);
  auto g = to_device(grad);
  auto same_y = to_device(cpu);  // the CPU's outputs on both sides, so the backward itself is compared
  cuda::act_backward(g.data(), same_y.data(), nullptr, rows, cols, cuda::Act::Tanh, 0, nullptr);
  sync();
  Matrix cpu_grad = grad;
  tanh_backward(cpu, cpu_grad);
  // Not exact: the CPU build may fuse 1 - y * y into one multiply-add (GCC contracts across Eigen's intrinsics).
  require_close(to_host(g, rows, cols), cpu_grad, 1e-7, 1e-6);
}

TEST_CASE("cuda: Linear forward, weight and input gradients match Eigen (abs 1e-5 + rel 1e-4)", "[cuda][ops]") {
  cuda::Context ctx;
  for (const auto& [rows, in, out] : {std::tuple{60, 100, 256}, std::tuple{120, 784, 1024}, std::tuple{7, 256, 1},
                                      std::tuple{1, 33, 17}}) {
    INFO(rows << " x " << in << " -> " << out);
    Linear layer(in, out);
    Rng init(static_cast<uint64_t>(in * 31 + out));
    layer.reset_parameters(init);
    const Matrix x = random_matrix(rows, in, 8);
    const Matrix grad_y = random_matrix(rows, out, 9);
    auto dx = to_device(x);
    auto dw = to_device(layer.weight);
    auto dgy = to_device(grad_y);
    cuda::DeviceArray<float> dy(static_cast<size_t>(rows) * out), dgw(static_cast<size_t>(out) * in),
        dgx(static_cast<size_t>(rows) * in), dgb(static_cast<size_t>(out));
    cuda::linear_forward(ctx.blas(), dx.data(), dw.data(), dy.data(), rows, in, out);
    cuda::linear_weight_grad(ctx.blas(), dgy.data(), dx.data(), dgw.data(), rows, in, out);
    cuda::linear_input_grad(ctx.blas(), dgy.data(), dw.data(), dgx.data(), rows, in, out);
    cuda::column_sums(dgy.data(), rows, out, dgb.data(), ctx.stream());
    ctx.synchronize();

    Matrix y, gx;
    layer.bias.setZero();
    layer.forward(x, y);
    layer.backward(x, grad_y, &gx, true);
    require_close(to_host(dy, rows, out), y, 1e-5, 1e-4);
    require_close(to_host(dgw, out, in), layer.grad_weight, 1e-5, 1e-4);
    require_close(to_host(dgx, rows, in), gx, 1e-5, 1e-4);
    require_close(to_host(dgb, 1, out), Matrix(layer.grad_bias), 1e-5, 1e-4);
  }
}

TEST_CASE("cuda: the D-step and G-step losses and gradients match bce_with_logits", "[cuda][ops]") {
  const int n = 60;
  const Matrix logits = random_matrix(2 * n, 1, 10, -20.0f, 20.0f);
  cuda::StepScalars s;
  s.step = 1030;  // ring slot 1030 % 1024 = 6
  auto scalars = device_scalars(s);
  cuda::DeviceArray<cuda::DeviceStepStats> ring(1024);
  auto d_logits = to_device(logits);
  cuda::DeviceArray<float> grad(2 * n), grad_g(n);
  cuda::d_step_loss(d_logits.data(), n, 0.9f, grad.data(), ring.data(), 1024, scalars.data(), nullptr);
  cuda::g_step_loss(d_logits.data() + n, n, grad_g.data(), ring.data(), 1024, scalars.data(), nullptr);
  sync();
  const cuda::DeviceStepStats got = ring.to_host()[6];

  Matrix grad_real, grad_fake, grad_gen;
  const double d_loss = bce_with_logits(logits.topRows(n), 0.9f, &grad_real) + bce_with_logits(logits.bottomRows(n), 0.0f, &grad_fake);
  const double g_loss = bce_with_logits(logits.bottomRows(n), 1.0f, &grad_gen);
  double d_real = 0, d_fake = 0;
  for (int i = 0; i < n; ++i) {
    d_real += sigmoid(logits(i, 0)) / n;
    d_fake += sigmoid(logits(n + i, 0)) / n;
  }
  CHECK(got.d_loss == Approx(d_loss).epsilon(1e-6));
  CHECK(got.g_loss == Approx(g_loss).epsilon(1e-6));
  CHECK(got.d_real == Approx(d_real).epsilon(1e-6));
  CHECK(got.d_fake == Approx(d_fake).epsilon(1e-6));
  Matrix cpu_grad(2 * n, 1);
  cpu_grad << grad_real, grad_fake;
  // The sigmoid's expf may differ by an ulp: 1e-8 absolute on gradients of size <= 1/60.
  require_close(to_host(grad, 2 * n, 1), cpu_grad, 1e-8, 1e-6);
  require_close(to_host(grad_g, n, 1), grad_gen, 1e-8, 1e-6);
}

TEST_CASE("cuda: Adam and the moving average equal the CPU's over several steps", "[cuda][ops]") {
  const size_t n = 1000;
  AdamConfig config;
  Adam cpu(config, {n});
  Matrix p = random_matrix(1, static_cast<int>(n), 11);
  auto dp = to_device(p);
  cuda::DeviceArray<float> m(n), v(n);
  const std::vector<float> zeros(n, 0.0f);
  m.upload(zeros.data(), n);
  v.upload(zeros.data(), n);
  Matrix average = p;
  auto d_average = to_device(average);
  cuda::StepScalars s;
  s.adam_steps_g = 3;  // unequal counts (a resumed run may have them): a swapped D/G step size would show
  auto scalars = device_scalars(s);
  const cuda::AdamScalars adam{config.lr, config.beta1, config.beta2, config.eps};
  for (int t = 0; t < 5; ++t) {
    Matrix g = random_matrix(1, static_cast<int>(n), 20 + t, -1e-3f, 1e-3f);
    g(0, 0) = 0.0f;  // a zero gradient: the update is 0 / eps
    auto dg = to_device(g);
    const bool generator = t % 2 == 0;
    cuda::begin_step(scalars.data(), 0, adam, 0.999, nullptr);
    cuda::adam(dp.data(), dg.data(), m.data(), v.data(), n, adam, scalars.data(), generator, nullptr);
    cuda::ema(d_average.data(), dp.data(), n, scalars.data(), nullptr);
    cuda::end_step(scalars.data(), nullptr);
    sync();
    // One moment buffer, stepped alternately as G's (counts 4, 6, 8) and D's (2, 4): the CPU Adam takes the count
    // of the optimiser the GPU uses this step.
    cpu.set_steps(generator ? 3 + t : t);
    cpu.step({ParamRef{p.data(), g.data(), n}});
    const float decay = static_cast<float>(std::min(0.999, (1.0 + t) / (10.0 + t)));
    average = decay * average + (1.0f - decay) * p;
  }
  // The bias corrections come from the device's pow(): equal to std::pow's to the last bit in practice. The moments
  // within 2.5e-7 relative (two ulps): the CPU build may fuse b2 * v + (1 - b2) * g^2 into an FMA (GCC contracts by
  // default on a host with FMA; the kernels are built with --fmad=false).
  require_close(to_host(dp, 1, static_cast<int>(n)), p, 0, 1e-6);
  require_close(m.to_host().data(), cpu.exp_avg(0).data(), n, 0, 2.5e-7);
  require_close(v.to_host().data(), cpu.exp_avg_sq(0).data(), n, 0, 2.5e-7);
  require_close(to_host(d_average, 1, static_cast<int>(n)), average, 0, 1e-6);
  cuda::StepScalars after;
  scalars.download(&after, 1);
  CHECK(after.step == 5);
  CHECK(after.adam_steps_d == 5);
  CHECK(after.adam_steps_g == 8);
}

TEST_CASE("cuda: the batch gather takes the BatchSampler's rows and labels", "[cuda][ops]") {
  const Matrix images = random_matrix(130, 784, 12);
  std::vector<uint8_t> labels(130);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<uint8_t>(i % 10);
  const int batch = 60;
  BatchSampler sampler(images, batch, 17, &labels);
  auto data = to_device(images);
  cuda::DeviceArray<uint8_t> device_labels(labels.size());
  device_labels.upload(labels.data(), labels.size());
  cuda::DeviceArray<uint32_t> order(130);
  cuda::DeviceArray<float> out(static_cast<size_t>(batch) * 784);
  cuda::DeviceArray<int> label_out(batch);
  for (const int64_t step : {int64_t{0}, int64_t{1}, int64_t{2}, int64_t{5}}) {
    std::vector<uint32_t> host_order(130);
    epoch_order(17, step / 2, host_order.data(), host_order.size());
    order.upload(host_order.data(), host_order.size());
    cuda::StepScalars s;
    s.step = static_cast<unsigned long long>(step);
    auto scalars = device_scalars(s);
    cuda::gather_batch(data.data(), 784, device_labels.data(), order.data(), 2, batch, scalars.data(), out.data(),
                       label_out.data(), nullptr);
    sync();
    Matrix cpu;
    std::vector<int> cpu_labels;
    sampler.fill_for_step(step, cpu, &cpu_labels);
    INFO("step " << step);
    CHECK(to_host(out, batch, 784) == cpu);
    CHECK(label_out.to_host() == cpu_labels);
  }
}

TEST_CASE("cuda: fake labels, one-hot inputs and the label columns' removal match the CPU", "[cuda][ops]") {
  cuda::StepScalars s;
  s.key = 1234;
  auto scalars = device_scalars(s);
  const int rows = 13, classes = 10;
  cuda::DeviceArray<int> drawn(rows);
  cuda::draw_labels(drawn.data(), rows, classes, &scalars.data()->key, 21, nullptr);
  const Matrix x = random_matrix(rows, 100, 13);
  auto dx = to_device(x);
  cuda::DeviceArray<float> with_hot(static_cast<size_t>(rows) * (100 + classes)), back(static_cast<size_t>(rows) * 100);
  cuda::append_one_hot(dx.data(), rows, 100, drawn.data(), classes, 28.0f, with_hot.data(), nullptr);
  cuda::copy_columns(with_hot.data(), rows, 100 + classes, back.data(), 100, nullptr);
  sync();

  Rng rng(1234, 21);
  std::vector<int> cpu_labels(rows);
  for (int& label : cpu_labels) label = static_cast<int>(rng.below(classes));
  CHECK(drawn.to_host() == cpu_labels);
  Matrix cpu;
  append_one_hot(x, cpu_labels, classes, cpu);
  cpu.rightCols(classes) *= 28.0f;
  CHECK(to_host(with_hot, rows, 100 + classes) == cpu);
  CHECK(to_host(back, rows, 100) == x);
}
