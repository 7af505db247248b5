// Whole training on the GPU against the CPU reference: one step, 20 steps, graph replay against plain launches,
// checkpoints that move between the devices, and exported generators that the front ends load.
//
// Tolerances: both devices draw the same z, batches and dropout masks, so they differ only by summation order in
// the products (about 1e-6 relative per step). Adam divides by sqrt(v) + 1e-8, so a weight whose gradient is near
// zero can move by up to 2 lr per step in opposite directions: per element we allow |gpu - cpu| <= 2 lr steps, and
// for the bulk we require each tensor's relative difference ||gpu - cpu|| / ||cpu|| to stay under 1e-4 after one
// step and 1e-3 after 20. Losses: 1e-4 relative (plus 1e-5 absolute) per step.
#include <catch2/catch.hpp>

#include <cmath>

#include "cuda_trainer.h"
#include "gpu_compare.h"
#include "inference_mlp.h"
#include "quality_metric.h"
#include "train_backend.h"
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

double relative_difference(const ParamRef& gpu, const ParamRef& cpu) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < cpu.size; ++i) {
    diff += std::pow(double(gpu.value[i]) - cpu.value[i], 2);
    norm += std::pow(double(cpu.value[i]), 2);
  }
  return std::sqrt(diff / std::max(norm, 1e-30));
}

void require_params_close(Mlp& gpu, Mlp& cpu, int64_t steps, double bulk_tolerance) {
  auto g = gpu.params(), c = cpu.params();
  const auto names = cpu.param_names();
  const double per_element = 2 * 2e-4 * static_cast<double>(steps) + 1e-6;
  for (size_t i = 0; i < c.size(); ++i) {
    INFO(names[i]);
    CHECK(relative_difference(g[i], c[i]) < bulk_tolerance);
    testing::require_close(g[i].value, c[i].value, c[i].size, per_element, 0);
  }
}

void require_same_params(Mlp& a, Mlp& b) {
  auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i) CHECK(std::equal(pa[i].value, pa[i].value + pa[i].size, pb[i].value));
}

void require_stats_close(const std::vector<StepStats>& gpu, const std::vector<StepStats>& cpu) {
  REQUIRE(gpu.size() == cpu.size());
  for (size_t s = 0; s < cpu.size(); ++s) {
    INFO("step " << s + 1);
    CHECK(gpu[s].d_loss == Approx(cpu[s].d_loss).epsilon(1e-4).margin(1e-5));
    CHECK(gpu[s].g_loss == Approx(cpu[s].g_loss).epsilon(1e-4).margin(1e-5));
    CHECK(gpu[s].d_real == Approx(cpu[s].d_real).epsilon(1e-4).margin(1e-5));
    CHECK(gpu[s].d_fake == Approx(cpu[s].d_fake).epsilon(1e-4).margin(1e-5));
  }
}

}  // namespace

TEST_CASE("cuda: one training step matches the CPU step", "[cuda][training]") {
  Gan cpu(config_for(3));
  Gan gpu_gan = cpu;
  const auto cpu_stats = run_cpu(cpu, 1);
  auto gpu = cuda::make_cuda_trainer(gpu_gan, images(), nullptr);
  const auto gpu_stats = gpu->run(1);
  require_stats_close(gpu_stats, cpu_stats);
  Gan& g = gpu->gan();
  CHECK(g.step == 1);
  CHECK(g.opt_d.steps() == 1);
  require_params_close(g.D, cpu.D, 1, 1e-4);
  require_params_close(g.G, cpu.G, 1, 1e-4);
}

TEST_CASE("cuda: 20 steps of losses and weights follow the CPU run (with EMA and label smoothing)", "[cuda][training]") {
  for (const auto& config : {config_for(4), config_for(5, 0.999, 0.9f)}) {
    INFO("ema " << config.ema << ", real label " << config.real_label);
    Gan cpu(config);
    Gan gpu_gan = cpu;
    const auto cpu_stats = run_cpu(cpu, 20);  // crosses an epoch boundary (10 batches per epoch)
    auto gpu = cuda::make_cuda_trainer(gpu_gan, images(), nullptr);
    auto gpu_stats = gpu->run(7);
    const auto rest = gpu->run(13);
    gpu_stats.insert(gpu_stats.end(), rest.begin(), rest.end());
    require_stats_close(gpu_stats, cpu_stats);
    Gan& g = gpu->gan();
    CHECK(g.step == 20);
    require_params_close(g.D, cpu.D, 20, 1e-3);
    require_params_close(g.G, cpu.G, 20, 1e-3);
    if (config.ema > 0) require_params_close(g.G_ema, cpu.G_ema, 20, 1e-3);
  }
}

TEST_CASE("cuda: one call that crosses several epochs follows the CPU run", "[cuda][training]") {
  // Two batches an epoch: within one call the shuffled order is uploaded four times, each time while the steps
  // before it may still be queued, so an upload that overwrote the order too early would show.
  const Matrix two_batches = images().topRows(120);
  Gan cpu(config_for(21));
  Gan gpu_gan = cpu;
  const auto cpu_stats = CpuTrainBackend(cpu, two_batches, nullptr, 0).run(9);
  auto gpu = cuda::make_cuda_trainer(gpu_gan, two_batches, nullptr);
  require_stats_close(gpu->run(9), cpu_stats);
  require_params_close(gpu->gan().G, cpu.G, 9, 1e-3);
}

TEST_CASE("cuda: the captured graph replays exactly what plain launches do", "[cuda][training]") {
  Gan a(config_for(6)), b(config_for(6));
  auto graph = cuda::make_cuda_trainer(a, images(), nullptr, {true});
  auto plain = cuda::make_cuda_trainer(b, images(), nullptr, {false});
  const auto sa = graph->run(12), sb = plain->run(12);
  REQUIRE(sa.size() == sb.size());
  for (size_t i = 0; i < sa.size(); ++i) {
    CHECK(sa[i].d_loss == sb[i].d_loss);
    CHECK(sa[i].g_loss == sb[i].g_loss);
    CHECK(sa[i].d_real == sb[i].d_real);
    CHECK(sa[i].d_fake == sb[i].d_fake);
  }
  require_same_params(graph->gan().D, plain->gan().D);
  require_same_params(graph->gan().G, plain->gan().G);
}

TEST_CASE("cuda: checkpoints move between the GPU and the CPU", "[cuda][training]") {
  // The Gan as `gan train --resume` gets it back from a checkpoint file.
  auto through_checkpoint = [](const Gan& gan) {
    const auto bytes = save_checkpoint(gan, TrainProgress{1, 0, "noise", images().rows()});
    TrainProgress read;
    return load_checkpoint(bytes.data(), bytes.size(), &read);
  };
  Gan reference(config_for(7, 0.999));
  run_cpu(reference, 20);

  SECTION("written on the GPU, resumed on the CPU") {
    Gan start(config_for(7, 0.999));
    auto gpu = cuda::make_cuda_trainer(start, images(), nullptr);
    gpu->run(10);
    Gan resumed = through_checkpoint(gpu->gan());
    CHECK(resumed.step == 10);
    run_cpu(resumed, 10);
    require_params_close(resumed.D, reference.D, 20, 1e-3);
    require_params_close(resumed.G, reference.G, 20, 1e-3);
    require_params_close(resumed.G_ema, reference.G_ema, 20, 1e-3);
  }
  SECTION("written on the CPU, resumed on the GPU") {
    Gan start(config_for(7, 0.999));
    run_cpu(start, 10);
    Gan resumed = through_checkpoint(start);
    auto gpu = cuda::make_cuda_trainer(resumed, images(), nullptr);
    gpu->run(10);
    Gan& g = gpu->gan();
    CHECK(g.step == 20);
    CHECK(g.opt_g.steps() == 20);
    require_params_close(g.D, reference.D, 20, 1e-3);
    require_params_close(g.G, reference.G, 20, 1e-3);
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
    require_same_params(resumed->gan().D, uninterrupted->gan().D);
    require_same_params(resumed->gan().G, uninterrupted->gan().G);
    require_same_params(resumed->gan().G_ema, uninterrupted->gan().G_ema);
    CHECK(resumed->gan().opt_d.exp_avg_sq(0) == uninterrupted->gan().opt_d.exp_avg_sq(0));
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

TEST_CASE("cuda: the class-conditional GAN's 20 steps follow the CPU run", "[cuda][training]") {
  GanConfig c = config_for(10, 0.999);
  c.classes = 10;
  Gan cpu(c);
  Gan gpu_gan = cpu;
  const auto cpu_stats = run_cpu(cpu, 20);
  auto gpu = cuda::make_cuda_trainer(gpu_gan, images(), &labels());
  require_stats_close(gpu->run(20), cpu_stats);
  Gan& g = gpu->gan();
  require_params_close(g.D, cpu.D, 20, 1e-3);
  require_params_close(g.G, cpu.G, 20, 1e-3);
  require_params_close(g.G_ema, cpu.G_ema, 20, 1e-3);
}
