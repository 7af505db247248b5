// Every kernel and product of the CUDA backend against the CPU core's op, on the cases of kernel_cases.h (which
// test_kernel_bodies.cpp also runs through the kernels' bodies on the host). The random draws (normals, dropout keep
// decisions, labels), the batch gather, one-hot inputs and LeakyReLU + dropout (forward and backward: only
// multiplications) are exact; products and sums differ in summation order, tanh and the sigmoid in the last bits of
// the library's expf/tanhf, Adam, EMA and tanh's backward by a fused multiply-add the CPU compiler may form. Each
// check states its tolerance as |gpu - cpu| <= abs + rel * |cpu|.
#include <catch2/catch.hpp>
#include <cstring>

#include "gemm.h"
#include "gpu_compare.h"
#include "kernel_cases.h"
#include "kernels.h"
#include "loss.h"

using namespace gan;
using namespace gan::testing;

namespace {

// The step scalars on the device, for kernels that read their key or step from there.
cuda::DeviceArray<cuda::StepScalars> device_scalars(const cuda::StepScalars& s) {
  cuda::DeviceArray<cuda::StepScalars> d(1);
  d.upload(&s, 1);
  return d;
}

void sync() { cuda::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize"); }

}  // namespace

TEST_CASE("cuda: normals equal the CPU stream bit for bit", "[cuda][ops]") {
  for (const size_t n : kNormalCounts) {
    cuda::StepScalars s;
    s.key = kNormalKey;
    auto scalars = device_scalars(s);
    cuda::DeviceArray<float> out(n);
    cuda::normal(out.data(), n, &scalars.data()->key, kNormalBlock, nullptr);
    sync();
    const std::vector<float> cpu = expected_normals(n);
    const std::vector<float> gpu = out.to_host();
    INFO("n = " << n);
    CHECK(std::memcmp(gpu.data(), cpu.data(), n * sizeof(float)) == 0);
  }
}

TEST_CASE("cuda: bias + LeakyReLU + dropout equal the CPU's, masks and all", "[cuda][ops]") {
  using C = LeakyDropoutCase;
  const C c;
  cuda::StepScalars s;
  s.key = C::key;
  auto scalars = device_scalars(s);
  auto y = to_device(c.x);
  auto b = to_device(c.bias);
  cuda::DeviceArray<float> mask(static_cast<size_t>(c.x.size()));
  cuda::bias_act(y.data(), C::rows, C::cols, b.data(), cuda::Act::Leaky, C::slope, C::p, mask.data(),
                 &scalars.data()->key, C::first_block, nullptr);
  // Backward element by element out of place, and a column at a time in place with the bias gradient.
  auto g = to_device(c.grad);
  cuda::DeviceArray<float> g_out(static_cast<size_t>(c.x.size())), sums(C::cols);
  cuda::act_backward(g.data(), g_out.data(), y.data(), mask.data(), C::rows, C::cols, cuda::Act::Leaky, C::slope,
                     nullptr, nullptr);
  cuda::act_backward(g.data(), g.data(), y.data(), mask.data(), C::rows, C::cols, cuda::Act::Leaky, C::slope,
                     sums.data(), nullptr);
  sync();
  CHECK(to_host(y, C::rows, C::cols) == c.y);
  CHECK(to_host(mask, C::rows, C::cols) == c.mask);
  CHECK(to_host(g_out, C::rows, C::cols) == c.grad_in);
  CHECK(to_host(g, C::rows, C::cols) == c.grad_in);
  CHECK(to_host(sums, 1, C::cols) == c.bias_grad);
}

TEST_CASE("cuda: bias + tanh forward and backward", "[cuda][ops]") {
  using C = TanhCase;
  const C c;
  auto y = to_device(c.x);
  auto b = to_device(c.bias);
  cuda::bias_act(y.data(), C::rows, C::cols, b.data(), cuda::Act::Tanh, 0, 0, nullptr, nullptr, 0, nullptr);
  auto g = to_device(c.grad);
  auto cpu_y = to_device(c.y);  // the CPU's outputs on both sides, so the backward itself is compared
  cuda::DeviceArray<float> by_column(static_cast<size_t>(c.x.size())), sums(C::cols);
  cuda::act_backward(g.data(), by_column.data(), cpu_y.data(), nullptr, C::rows, C::cols, cuda::Act::Tanh, 0,
                     sums.data(), nullptr);
  cuda::act_backward(g.data(), g.data(), cpu_y.data(), nullptr, C::rows, C::cols, cuda::Act::Tanh, 0, nullptr, nullptr);
  sync();
  require_close(to_host(y, C::rows, C::cols), c.y, C::forward_abs, 0);
  require_close(to_host(g, C::rows, C::cols), c.grad_in, C::backward_abs, C::backward_rel);
  require_close(to_host(by_column, C::rows, C::cols), c.grad_in, C::backward_abs, C::backward_rel);
  require_close(to_host(sums, 1, C::cols), c.bias_grad, C::sums_abs, 0);
}

TEST_CASE("cuda: Linear forward, weight, input and bias gradients match Eigen", "[cuda][ops]") {
  cuda::Context ctx;
  for (const auto& [rows, in, out] : kLinearShapes) {
    INFO(rows << " x " << in << " -> " << out);
    const LinearCase c(rows, in, out);
    auto dx = to_device(c.x);
    auto dw = to_device(c.layer.weight);
    auto dgy = to_device(c.grad_y);
    cuda::DeviceArray<float> dy(static_cast<size_t>(rows) * out), dgw(static_cast<size_t>(out) * in),
        dgx(static_cast<size_t>(rows) * in), dgb(static_cast<size_t>(out));
    cuda::linear_forward(ctx.blas(), dx.data(), dw.data(), dy.data(), rows, in, out);
    cuda::linear_weight_grad(ctx.blas(), dgy.data(), dx.data(), dgw.data(), rows, in, out);
    cuda::linear_input_grad(ctx.blas(), dgy.data(), dw.data(), dgx.data(), rows, in, out);
    cuda::column_sums(dgy.data(), rows, out, dgb.data(), ctx.stream());
    ctx.synchronize();
    require_close(to_host(dy, rows, out), c.y, LinearCase::abs, LinearCase::rel);
    require_close(to_host(dgw, out, in), c.layer.grad_weight, LinearCase::abs, LinearCase::rel);
    require_close(to_host(dgx, rows, in), c.grad_x, LinearCase::abs, LinearCase::rel);
    require_close(to_host(dgb, 1, out), Matrix(c.layer.grad_bias), LinearCase::abs, LinearCase::rel);
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
  using C = AdamCase;
  C c;
  auto dp = to_device(c.initial);
  auto d_average = to_device(c.initial);
  cuda::DeviceArray<float> m(C::n), v(C::n);
  const std::vector<float> zeros(C::n, 0.0f);
  m.upload(zeros.data(), C::n);
  v.upload(zeros.data(), C::n);
  cuda::StepScalars s;
  s.adam_steps_g = C::first_g_steps;
  auto scalars = device_scalars(s);
  const cuda::AdamScalars adam{c.config.lr, c.config.beta1, c.config.beta2, c.config.eps};
  for (int t = 0; t < C::steps; ++t) {
    Matrix g = C::gradient(t);
    auto dg = to_device(g);
    cuda::begin_step(scalars.data(), 0, adam, C::ema, nullptr);
    cuda::adam(dp.data(), dg.data(), m.data(), v.data(), C::n, adam, scalars.data(), C::generator(t), d_average.data(),
               nullptr);
    cuda::end_step(scalars.data(), nullptr);
    sync();
    c.cpu_step(t, g);
  }
  // The bias corrections come from the device's pow(): equal to std::pow's to the last bit in practice.
  require_close(to_host(dp, 1, static_cast<int>(C::n)), c.p, 0, C::param_rel);
  require_close(m.to_host().data(), c.cpu.exp_avg(0).data(), C::n, 0, C::moment_rel);
  require_close(v.to_host().data(), c.cpu.exp_avg_sq(0).data(), C::n, 0, C::moment_rel);
  require_close(to_host(d_average, 1, static_cast<int>(C::n)), c.average, 0, C::param_rel);
  cuda::StepScalars after;
  scalars.download(&after, 1);
  CHECK(after.step == C::steps);
  CHECK(after.adam_steps_d == C::final_steps_d);
  CHECK(after.adam_steps_g == C::final_steps_g);
}

TEST_CASE("cuda: the batch gather takes the BatchSampler's rows and labels", "[cuda][ops]") {
  using C = GatherCase;
  C c;
  auto data = to_device(c.images);
  cuda::DeviceArray<uint8_t> device_labels(c.labels.size());
  device_labels.upload(c.labels.data(), c.labels.size());
  cuda::DeviceArray<uint32_t> order(C::images_count);
  cuda::DeviceArray<float> out(static_cast<size_t>(C::batch) * C::cols);
  cuda::DeviceArray<int> label_out(C::batch);
  for (const int64_t step : C::steps()) {
    const std::vector<uint32_t> host_order = C::order(step);
    order.upload(host_order.data(), host_order.size());
    cuda::StepScalars s;
    s.step = static_cast<unsigned long long>(step);
    auto scalars = device_scalars(s);
    cuda::gather_batch(data.data(), C::cols, device_labels.data(), order.data(), C::per_epoch, C::batch, scalars.data(),
                       out.data(), label_out.data(), nullptr);
    sync();
    Matrix cpu;
    std::vector<int> cpu_labels;
    c.expected(step, cpu, cpu_labels);
    INFO("step " << step);
    CHECK(to_host(out, C::batch, C::cols) == cpu);
    CHECK(label_out.to_host() == cpu_labels);
  }
}

TEST_CASE("cuda: fake labels, one-hot inputs and the label columns' removal match the CPU", "[cuda][ops]") {
  using C = LabelsCase;
  const C c;
  cuda::StepScalars s;
  s.key = C::key;
  auto scalars = device_scalars(s);
  cuda::DeviceArray<int> drawn(C::rows);
  cuda::draw_labels(drawn.data(), C::rows, C::classes, &scalars.data()->key, C::first_block, nullptr);
  auto dx = to_device(c.x);
  cuda::DeviceArray<float> with_hot(static_cast<size_t>(C::rows) * (C::cols + C::classes)),
      back(static_cast<size_t>(C::rows) * C::cols);
  cuda::append_one_hot(dx.data(), C::rows, C::cols, drawn.data(), C::classes, C::hot, with_hot.data(), nullptr);
  cuda::copy_columns(with_hot.data(), C::rows, C::cols + C::classes, back.data(), C::cols, nullptr);
  sync();
  CHECK(drawn.to_host() == c.labels);
  CHECK(to_host(with_hot, C::rows, C::cols + C::classes) == c.with_hot);
  CHECK(to_host(back, C::rows, C::cols) == c.x);
}
