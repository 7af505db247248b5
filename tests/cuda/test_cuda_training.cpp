// Whole training on the GPU against the CPU reference: single steps and runs of 20 from the CPU run's states, graph
// replay against plain launches, runs restarted after every step, checkpoints that move between the devices, TF32
// products, and exported generators that the front ends load.
//
// Tolerances. Both devices draw the same z, batches and dropout masks, so one step from the same state differs only
// by the order in which the products sum (about 1e-6 relative): the losses must agree to 1e-4 relative (plus 1e-5
// absolute). But two kinds of rounding-sized differences are discrete. Adam's first steps divide each gradient by
// about its own size, so where a gradient is near zero its sign, and with it the direction of a weight's step, is
// down to rounding: a weight may step the other way, by at most twice Adam's largest step (2.57 lr at betas 0.5 and
// 0.999). And a LeakyReLU input within rounding of zero takes the other slope on one device, which changes that
// sample's gradients through that unit. So per tensor, after each step: no weight differs by more than 6 lr, at most
// 1% of them (one, in tensors under 100) by more than 1e-5 + 1e-4 |w|, and Adam's moments by at most 3e-2 of each
// tensor's norm. Measured on the emulated GPU (12 seeds x 20 steps, and these tests): weights at most 0.37 lr
// apart and 0.1% of a tensor flipped; moments usually 1e-6 apart, 2.7e-3 in a step where a LeakyReLU input crossed.
// Longer runs are not compared with the CPU run as a whole: where one weight's step flips, the two runs drift apart
// by some 30% a step (seen here: 2e-4 of the weights' norm after step 1, 5e-3 after 20), so a run that matched at 1e-3
// on one GPU could miss it on another. Instead every step of a run starts from the CPU run's state, and a run on
// the GPU must equal, bit for bit, the same run restarted on the GPU after every step: together these compare
// every step of a long GPU run with the CPU's step.
#include <catch2/catch.hpp>

#include <cmath>

#include "cuda_trainer.h"
#include "gpu_compare.h"
#include "inference_mlp.h"
#include "quality_metric.h"
#include "mlp_gan_model.h"
#include "train_backend.h"
#include "training_session.h"
#include "weights.h"

using namespace gan;

namespace {

const Matrix& images() {
  static const Matrix m = uniform_noise(600, 42);  // content does not matter for equality; 10 batches per epoch
  return m;
}

GanConfig config_for(uint64_t seed, double ema = 0, float real_label = 1.0f) {
  GanConfig c;
  c.seed = seed;
  c.ema = ema;
  c.real_label = real_label;
  return c;
}

const std::vector<uint8_t>& labels() {
  static const std::vector<uint8_t> l = [] {
    std::vector<uint8_t> v(600);
    Rng rng(43);
    for (uint8_t& label : v) label = static_cast<uint8_t>(rng.below(10));
    return v;
  }();
  return l;
}

std::vector<StepStats> run_cpu(Gan& gan, int64_t steps) { return CpuTrainBackend(gan, images(), &labels(), 0).run(steps); }

double relative_difference(const Eigen::VectorXf& gpu, const Eigen::VectorXf& cpu) {
  return (gpu - cpu).norm() / std::max(double(cpu.norm()), 1e-30);
}

// How far a step on the GPU may be from the CPU's step (see the tolerances at the top).
struct StepTolerance {
  double loss_rel = 1e-4;       // each loss and mean D output, relative (plus 1e-5 absolute)
  double flipped_share = 0.01;  // of each tensor's weights, those that may differ by more than 1e-5 + 1e-4 |w|
  double moments_rel = 3e-2;    // Adam's moments, relative to each tensor's norm
};

// Per-tensor closeness of a step's result (see the tolerances at the top).
void require_net_close(Mlp& gpu, Mlp& cpu, double flipped_share) {
  auto g = gpu.params(), c = cpu.params();
  const auto names = cpu.param_names();
  for (size_t i = 0; i < c.size(); ++i) {
    INFO(names[i]);
    const size_t n = c[i].size, allowed = n < 100 ? 1 : static_cast<size_t>(flipped_share * n);
    const testing::Closeness outside = testing::compare(g[i].value, c[i].value, n, 1e-5, 1e-4);
    INFO(testing::describe(outside) << " (at most " << allowed << " may be)");
    CHECK(outside.outside <= allowed);
    const testing::Closeness beyond = testing::compare(g[i].value, c[i].value, n, 6 * 2e-4, 0);
    INFO("beyond 6 lr: " << testing::describe(beyond));
    CHECK(beyond.outside == 0);
  }
}

// Adam's moments come from the gradients alone, which the step computed from the same weights on both devices, so
// each tensor is compared as a whole: ||gpu - cpu|| <= rel ||cpu||.
void require_adam_close(Adam& gpu, Adam& cpu, double rel) {
  for (size_t i = 0; i < cpu.num_params(); ++i) {
    INFO("Adam tensor " << i);
    CHECK(relative_difference(gpu.exp_avg(i), cpu.exp_avg(i)) <= rel);
    CHECK(relative_difference(gpu.exp_avg_sq(i), cpu.exp_avg_sq(i)) <= rel);
  }
}

void require_stats_close(const StepStats& gpu, const StepStats& cpu, double rel) {
  CHECK(gpu.d_loss == Approx(cpu.d_loss).epsilon(rel).margin(1e-5));
  CHECK(gpu.g_loss == Approx(cpu.g_loss).epsilon(rel).margin(1e-5));
  CHECK(gpu.d_real == Approx(cpu.d_real).epsilon(rel).margin(1e-5));
  CHECK(gpu.d_fake == Approx(cpu.d_fake).epsilon(rel).margin(1e-5));
}

// The next step from `state` on both devices; `gpu` is the GPU's result (it took one step from `state`). Returns the
// CPU's.
Gan require_step_close(Gan& gpu, const StepStats& gpu_stats, const Gan& state, const Matrix& data,
                       const std::vector<uint8_t>* labels, const StepTolerance& tol = {}) {
  Gan cpu = state;
  const auto cpu_stats = CpuTrainBackend(cpu, data, labels, 0).run(1);
  INFO("step " << cpu.step);
  require_stats_close(gpu_stats, cpu_stats.at(0), tol.loss_rel);
  CHECK(gpu.step == cpu.step);
  CHECK(gpu.opt_d.steps() == cpu.opt_d.steps());
  CHECK(gpu.opt_g.steps() == cpu.opt_g.steps());
  require_net_close(gpu.D, cpu.D, tol.flipped_share);
  require_net_close(gpu.G, cpu.G, tol.flipped_share);
  if (cpu.config().ema > 0) require_net_close(gpu.G_ema, cpu.G_ema, tol.flipped_share);
  require_adam_close(gpu.opt_d, cpu.opt_d, tol.moments_rel);
  require_adam_close(gpu.opt_g, cpu.opt_g, tol.moments_rel);
  return cpu;
}

// `steps` steps of the CPU run from `config`, each also taken on the GPU from the CPU run's state before it.
void require_steps_follow_cpu(const GanConfig& config, int steps, const Matrix& data = images(),
                              const std::vector<uint8_t>* labels = nullptr, cuda::CudaTrainOptions options = {},
                              const StepTolerance& tol = {}) {
  Gan state(config);
  for (int s = 0; s < steps; ++s) {
    Gan start = state;
    auto gpu = cuda::make_cuda_trainer(start, data, labels, options);
    const auto stats = gpu->run(1);
    REQUIRE(stats.size() == 1);
    state = require_step_close(gpu->gan(), stats[0], state, data, labels, tol);
  }
}

void require_same_params(Mlp& a, Mlp& b) {
  auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i) CHECK(std::equal(pa[i].value, pa[i].value + pa[i].size, pb[i].value));
}

void require_same_state(Gan& a, Gan& b) {
  CHECK(a.step == b.step);
  require_same_params(a.D, b.D);
  require_same_params(a.G, b.G);
  if (a.config().ema > 0) require_same_params(a.G_ema, b.G_ema);
  for (auto [x, y] : {std::pair{&a.opt_d, &b.opt_d}, std::pair{&a.opt_g, &b.opt_g}})
    for (size_t i = 0; i < x->num_params(); ++i) {
      CHECK(x->exp_avg(i) == y->exp_avg(i));
      CHECK(x->exp_avg_sq(i) == y->exp_avg_sq(i));
    }
}

void require_same_stats(const std::vector<StepStats>& a, const std::vector<StepStats>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("step " << i + 1);
    CHECK(a[i].d_loss == b[i].d_loss);
    CHECK(a[i].g_loss == b[i].g_loss);
    CHECK(a[i].d_real == b[i].d_real);
    CHECK(a[i].d_fake == b[i].d_fake);
  }
}

// The Gan as `gan train --resume` gets it back from a checkpoint file.
Gan through_checkpoint(const Gan& gan) {
  // The position in the epoch as `gan train` records it (load_checkpoint refuses one that cannot fit the step).
  const int64_t per_epoch = images().rows() / gan.config().batch;
  const auto bytes =
      save_checkpoint(gan, TrainProgress{gan.step / per_epoch, gan.step % per_epoch, "noise", images().rows()});
  TrainProgress read;
  return load_checkpoint(bytes.data(), bytes.size(), &read);
}

// `calls` runs of `steps` steps in one trainer against the same steps on the GPU restarted (a new trainer from the
// last one's state) after every step: bit for bit the same losses and state.
void require_run_equals_restarted(const GanConfig& config, const std::vector<int>& calls, const Matrix& data = images(),
                                  const std::vector<uint8_t>* labels = nullptr) {
  Gan whole(config), state(config);
  auto run = cuda::make_cuda_trainer(whole, data, labels);
  std::vector<StepStats> whole_stats, restarted_stats;
  for (int steps : calls) {
    const auto s = run->run(steps);
    whole_stats.insert(whole_stats.end(), s.begin(), s.end());
    for (int i = 0; i < steps; ++i) {
      auto one = cuda::make_cuda_trainer(state, data, labels);
      restarted_stats.push_back(one->run(1).at(0));
      state = one->gan();
    }
  }
  require_same_stats(whole_stats, restarted_stats);
  require_same_state(run->gan(), state);
}

}  // namespace

TEST_CASE("cuda: one training step matches the CPU step", "[cuda][training]") {
  require_steps_follow_cpu(config_for(3), 1);
}

TEST_CASE("cuda: 20 steps, each from the CPU run's state, match the CPU's steps (with EMA and label smoothing)",
          "[cuda][training][long]") {
  for (const auto& config : {config_for(4), config_for(5, 0.999, 0.9f)}) {
    INFO("ema " << config.ema << ", real label " << config.real_label);
    require_steps_follow_cpu(config, 20);  // crosses an epoch boundary (10 batches per epoch)
  }
}

TEST_CASE("cuda: a run equals the same run restarted after every step, bit for bit", "[cuda][training][long]") {
  // 7 steps, then 13 in one call: the second call crosses an epoch boundary with steps still queued.
  require_run_equals_restarted(config_for(12, 0.999), {7, 13});
}

TEST_CASE("cuda: one call that crosses several epochs follows the CPU run", "[cuda][training][long]") {
  // Two batches an epoch: within one call the shuffled order is uploaded four times, each time while the steps
  // before it may still be queued, so an upload that overwrote the order too early would show.
  const Matrix two_batches = images().topRows(120);
  require_run_equals_restarted(config_for(21), {9}, two_batches);
  require_steps_follow_cpu(config_for(21), 9, two_batches);
}

TEST_CASE("cuda: the captured graph replays exactly what plain launches do", "[cuda][training]") {
  Gan a(config_for(6)), b(config_for(6));
  cuda::CudaTrainOptions plain_launches;
  plain_launches.use_graph = false;
  auto graph = cuda::make_cuda_trainer(a, images(), nullptr);
  auto plain = cuda::make_cuda_trainer(b, images(), nullptr, plain_launches);
  require_same_stats(graph->run(12), plain->run(12));
  require_same_state(graph->gan(), plain->gan());
}

TEST_CASE("cuda: checkpoints move between the GPU and the CPU", "[cuda][training]") {
  SECTION("written on the GPU, resumed on the CPU") {
    // The GPU run's next step, against the CPU's next step from the checkpoint: a state the checkpoint lost (Adam's
    // moments, the moving average, a step count) would show there.
    Gan start(config_for(7, 0.999));
    auto gpu = cuda::make_cuda_trainer(start, images(), nullptr);
    gpu->run(10);
    const Gan resumed = through_checkpoint(gpu->gan());
    CHECK(resumed.step == 10);
    const auto next = gpu->run(1);
    require_step_close(gpu->gan(), next.at(0), resumed, images(), nullptr);
  }
  SECTION("written on the CPU, resumed on the GPU") {
    Gan start(config_for(7, 0.999));
    run_cpu(start, 10);
    Gan resumed = through_checkpoint(start);
    auto gpu = cuda::make_cuda_trainer(resumed, images(), nullptr);
    const auto next = gpu->run(1);
    Gan& g = gpu->gan();
    CHECK(g.step == 11);
    CHECK(g.opt_g.steps() == 11);
    require_step_close(g, next.at(0), start, images(), nullptr);
  }
  SECTION("a GPU run resumed on the GPU equals one that never stopped, bit for bit") {
    Gan whole(config_for(8, 0.999)), first_half(config_for(8, 0.999));
    auto uninterrupted = cuda::make_cuda_trainer(whole, images(), nullptr);
    uninterrupted->run(14);
    auto stopped = cuda::make_cuda_trainer(first_half, images(), nullptr);
    stopped->run(7);
    Gan second_half = through_checkpoint(stopped->gan());
    auto resumed = cuda::make_cuda_trainer(second_half, images(), nullptr);
    resumed->run(7);
    require_same_state(resumed->gan(), uninterrupted->gan());
  }
}

TEST_CASE("cuda: a generator trained on the GPU exports to files that every front end loads", "[cuda][training]") {
  Gan start(config_for(9));
  auto gpu = cuda::make_cuda_trainer(start, images(), nullptr);
  gpu->run(30);
  const Mlp& trained = gpu->gan().sampling_generator();
  const Matrix z = Gan::sample_z(1, 16, 100);
  const Matrix on_gpu = cuda::generate_on_gpu(trained, z);
  for (const DType dtype : {DType::F32, DType::F16, DType::I8}) {
    INFO("dtype " << static_cast<int>(dtype));
    const auto bytes = save_generator(trained, "noise", 30, dtype);
    GeneratorInfo info;
    Mlp native = load_generator(bytes.data(), bytes.size(), &info);  // `gan generate`, `gan view`
    CHECK(info.z_dim == 100);
    const Matrix from_native = native.forward(z, false);
    InferenceMlp page(native);  // the web page's generator
    Matrix from_page(16, 784);
    page.forward(z.data(), 16, from_page.data());
    // F32 files hold the GPU's weights exactly; F16 and 8-bit ones are rounded (pixels within 0.05 and 0.1).
    const double tol = dtype == DType::F32 ? 1e-5 : dtype == DType::F16 ? 0.05 : 0.1;
    testing::require_close(from_native, on_gpu, tol, 0);
    testing::require_close(from_page, from_native, 1e-5, 0);
  }
}

TEST_CASE("cuda: the class-conditional GAN's 20 steps follow the CPU's", "[cuda][training][long]") {
  GanConfig c = config_for(10, 0.999);
  c.classes = 10;
  require_steps_follow_cpu(c, 20, images(), &labels());
}

TEST_CASE("cuda: with TF32 products, 12 steps follow the CPU's", "[cuda][training][long]") {
  // TF32 rounds each product's inputs to 10 mantissa bits (2^-11 relative): the emulated GPU (which rounds as TF32
  // does) measured a step's losses within 2e-5 of the CPU's, 3% of a tensor's weights flipped and Adam's moments
  // within 5.4e-2; allowed: 2e-3, 10% and 0.25 (a GPU may truncate to TF32 rather than round, twice the error).
  cuda::CudaTrainOptions tf32;
  tf32.tf32 = true;
  StepTolerance tf32_tolerance;
  tf32_tolerance.loss_rel = 2e-3;
  tf32_tolerance.flipped_share = 0.1;
  tf32_tolerance.moments_rel = 0.25;
  require_steps_follow_cpu(config_for(11, 0.999), 12, images(), nullptr, tf32, tf32_tolerance);
  // And TF32 is on: the same step in FP32 gives other losses.
  Gan a(config_for(11)), b(config_for(11));
  const auto with_tf32 = cuda::make_cuda_trainer(a, images(), nullptr, tf32)->run(1);
  const auto fp32 = cuda::make_cuda_trainer(b, images(), nullptr)->run(1);
  CHECK(with_tf32.at(0).d_loss != fp32.at(0).d_loss);
}

TEST_CASE("cuda: a training session on the GPU goes back to its last good state and on as an unbroken run",
          "[cuda][training]") {
  // 10 batches an epoch: the diverged step (12) is in the second epoch, the last good state (8) in the first, so
  // going back reloads the first epoch's order too.
  const TrainingData data{std::make_shared<const Matrix>(images()), nullptr, "noise"};
  TrainingSession session(data, std::make_unique<MlpGanModel>(Gan(config_for(12, 0.999))), 8,
                          [](GanModel& m, const TrainingData& d) {
                            return std::unique_ptr<TrainBackend>(cuda::make_cuda_trainer(*m.mlp_gan(), *d.images, nullptr));
                          });
  session.inject_nan_at(12);
  const std::vector<SessionStep> first = session.run(14);
  REQUIRE(first.size() == 12);
  REQUIRE(first.back().diverged);
  REQUIRE(session.step_count() == 8);
  REQUIRE(session.model().steps_taken() == 8);
  const std::vector<SessionStep> again = session.run(6);

  Gan whole(config_for(12, 0.999));
  auto unbroken = cuda::make_cuda_trainer(whole, images(), nullptr);
  const std::vector<StepStats> want = unbroken->run(14);
  std::vector<StepStats> got;
  for (size_t i = 0; i < 8; ++i) got.push_back(first[i].stats);
  for (const SessionStep& s : again) got.push_back(s.stats);
  require_same_stats(got, want);
  require_same_state(*session.model().mlp_gan(), unbroken->gan());
}
