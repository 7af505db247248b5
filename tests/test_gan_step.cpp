// Whole training steps: gradients of the D and G steps, bit-exact determinism, and stop/resume equal to one run.
#include <catch2/catch.hpp>

#include "batches.h"
#include "gan.h"
#include "grad_check.h"
#include "loss.h"
#include "quality_metric.h"
#include "same_params.h"
#include "step_reference.h"
#include "weights.h"

using namespace gan;

namespace {

Matrix fake_images(int n, uint64_t seed) { return uniform_noise(n, seed); }

}  // namespace

TEST_CASE("a whole D step and G step: gradients match finite differences", "[gan][gradcheck]") {
  GanConfig config;
  config.seed = 11;
  const int n = 4;
  const Matrix real = fake_images(n, 12);
  Gan before(config);
  Gan after = before;
  after.train_step(real);  // leaves D's gradients from its D step and G's from its G step

  // D-step loss as a function of D's parameters: same z and dropout masks as the step drew.
  auto d_loss = [&] {
    const Matrix logits = gan::testing::d_step_logits(before, real);
    return bce_with_logits(logits.topRows(n), 1.0f) + bce_with_logits(logits.bottomRows(n), 0.0f);
  };
  gan::testing::check_mlp_gradients(before.D, after.D, d_loss, "D");

  // G-step loss as a function of G's parameters, through the D that the D step just updated.
  Gan g_probe = before;
  g_probe.D = after.D;
  auto g_loss = [&] {
    Rng rng = before.step_rng(0);
    Matrix z(2 * n, config.z_dim), stacked = Matrix::Zero(2 * n, 784);
    rng.normal(z.data(), static_cast<size_t>(z.size()));
    g_probe.D.forward(stacked, true, &rng);  // consumes the D step's dropout draws
    const Matrix fake = g_probe.G.forward(z, true).bottomRows(n);
    return bce_with_logits(g_probe.D.forward(fake, true, &rng), 1.0f);
  };
  gan::testing::check_mlp_gradients(g_probe.G, after.G, g_loss, "G");
}

TEST_CASE("one seed gives bit-identical weights after 50 steps; another seed differs", "[gan][determinism]") {
  const Matrix data = fake_images(300, 5);
  auto train = [&](uint64_t seed) {
    GanConfig config;
    config.seed = seed;
    Gan gan(config);
    BatchSampler sampler(data, config.batch, seed);
    Matrix batch;
    for (int s = 0; s < 50; ++s) {
      sampler.fill_for_step(gan.step, batch);
      gan.train_step(batch);
    }
    return gan;
  };
  Gan a = train(1), b = train(1), c = train(2);
  CHECK(same_params(a.G, b.G));
  CHECK(same_params(a.D, b.D));
  CHECK_FALSE(same_params(a.G, c.G));
}

TEST_CASE("stop, checkpoint and resume equals an uninterrupted run, bit for bit", "[gan][determinism]") {
  const Matrix data = fake_images(240, 6);  // 4 batches per epoch, so the run crosses epochs
  GanConfig config;
  config.seed = 3;
  auto steps = [&](Gan& gan, int count) {
    BatchSampler sampler(data, config.batch, config.seed);
    Matrix batch;
    StepStats last;
    for (int s = 0; s < count; ++s) {
      sampler.fill_for_step(gan.step, batch);
      last = gan.train_step(batch);
    }
    return last;
  };
  Gan whole(config);
  const StepStats whole_last = steps(whole, 14);

  Gan first(config);
  steps(first, 6);
  const auto bytes = save_checkpoint(first, TrainProgress{1, 2, "test", data.rows()});
  TrainProgress progress;
  Gan resumed = load_checkpoint(bytes.data(), bytes.size(), &progress);
  CHECK(resumed.step == 6);
  CHECK(progress.epoch == 1);
  CHECK(progress.batch_in_epoch == 2);
  CHECK(progress.dataset_size == 240);
  const StepStats resumed_last = steps(resumed, 8);

  CHECK(resumed.step == whole.step);
  CHECK(resumed_last.d_loss == whole_last.d_loss);
  CHECK(resumed_last.g_loss == whole_last.g_loss);
  CHECK(same_params(resumed.G, whole.G));
  CHECK(same_params(resumed.D, whole.D));
  CHECK(resumed.opt_g.steps() == whole.opt_g.steps());
  for (size_t i = 0; i < whole.opt_d.num_params(); ++i) {
    CHECK(resumed.opt_d.exp_avg(i) == whole.opt_d.exp_avg(i));
    CHECK(resumed.opt_d.exp_avg_sq(i) == whole.opt_d.exp_avg_sq(i));
  }
}

TEST_CASE("the first step starts where the seed's losses start", "[gan]") {
  // With PyTorch's initialisation D outputs about 0.5, so D loss is about 2 ln 2 and G loss about ln 2.
  GanConfig config;
  Gan gan(config);
  const StepStats s = gan.train_step(fake_images(60, 9));
  CHECK(s.d_loss == Approx(1.386).margin(0.05));
  CHECK(s.g_loss == Approx(0.693).margin(0.05));
  CHECK(s.d_real == Approx(0.5).margin(0.03));
  CHECK(s.d_fake == Approx(0.5).margin(0.03));
}
