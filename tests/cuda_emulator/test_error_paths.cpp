// The CUDA backend's error paths, on the emulated GPU, which can make a chosen kernel launch fail (a real GPU cannot
// be asked to): the failing kernel is named, a capture it breaks leaves nothing behind, and gan() after a failed run
// reads what the GPU holds.
#include <catch2/catch.hpp>

#include "cuda_trainer.h"
#include "emulator.h"
#include "gan.h"
#include "quality_metric.h"

using namespace gan;

namespace {

GanConfig small_config() {
  GanConfig config;
  config.seed = 5;
  config.batch = 8;
  return config;
}

// Kernels launched by one plain (uncaptured) step.
size_t launches_per_step(const Matrix& images) {
  Gan gan(small_config());
  auto trainer = cuda::make_cuda_trainer(gan, images, nullptr, {.use_graph = false});
  cuda::emulator::reset_counts();
  trainer->run(1);
  return cuda::emulator::counts().launches;
}

}  // namespace

TEST_CASE("cuda: a launch that fails while the step is captured is reported, and the next trainer starts clean",
          "[emulated]") {
  const Matrix images = uniform_noise(80, 42);
  const size_t per_step = launches_per_step(images);
  REQUIRE(per_step > 10);
  Gan reference_gan(small_config());
  const std::vector<StepStats> reference = cuda::make_cuda_trainer(reference_gan, images, nullptr)->run(3);

  // The constructor runs one plain step, then captures one: this launch is in the middle of the capture.
  cuda::emulator::fail_launch(static_cast<int64_t>(per_step + per_step / 2));
  Gan failed(small_config());
  CHECK_THROWS_WITH(cuda::make_cuda_trainer(failed, images, nullptr),
                    Catch::Contains("CUDA error after launching kernel") &&
                        Catch::Contains("too many resources requested for launch"));
  cuda::emulator::fail_launch(-1);

  // The broken capture's error (cudaStreamEndCapture's) must not be blamed on the next trainer's first launch.
  Gan gan(small_config());
  std::vector<StepStats> stats;
  REQUIRE_NOTHROW(stats = cuda::make_cuda_trainer(gan, images, nullptr)->run(3));
  REQUIRE(stats.size() == reference.size());
  for (size_t i = 0; i < stats.size(); ++i) {
    CHECK(stats[i].d_loss == reference[i].d_loss);
    CHECK(stats[i].g_loss == reference[i].g_loss);
  }
}

TEST_CASE("cuda: after a launch fails in a run, gan() holds the steps the GPU finished", "[emulated]") {
  const Matrix images = uniform_noise(80, 42);
  const size_t per_step = launches_per_step(images);
  Gan gan(small_config());
  auto trainer = cuda::make_cuda_trainer(gan, images, nullptr, {.use_graph = false});
  trainer->run(1);
  REQUIRE(trainer->gan().step == 1);  // the host copy is current now
  // The next run's second step fails half-way: its first step is done on the GPU.
  cuda::emulator::fail_launch(static_cast<int64_t>(per_step + per_step / 2));
  CHECK_THROWS_WITH(trainer->run(3), Catch::Contains("CUDA error after launching kernel"));
  cuda::emulator::fail_launch(-1);
  CHECK(trainer->gan().step == 2);
}
