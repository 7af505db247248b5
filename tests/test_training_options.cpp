// Training options beyond the seed: one-sided label smoothing and the moving average of G's weights.
#include <catch2/catch.hpp>

#include "gan.h"
#include "loss.h"
#include "quality_metric.h"
#include "step_reference.h"
#include "weights.h"

using namespace gan;
using Catch::Matchers::Contains;

TEST_CASE("one-sided label smoothing (--real-label): D's loss on real images uses the smoothed target; G's step is the seed's", "[gan][options]") {
  GanConfig config;
  config.seed = 4;
  config.real_label = 0.9f;
  const int n = 5;
  const Matrix real = uniform_noise(n, 9);
  Gan gan(config);
  Gan probe = gan;
  const StepStats s = gan.train_step(real);

  // The D step's loss recomputed from the same draws, with target 0.9 for the real half.
  const Matrix logits = gan::testing::d_step_logits(probe, real);
  const double want = bce_with_logits(logits.topRows(n), 0.9f) + bce_with_logits(logits.bottomRows(n), 0.0f);
  CHECK(s.d_loss == Approx(want).epsilon(1e-6));
  CHECK(s.d_loss != Approx(bce_with_logits(logits.topRows(n), 1.0f) + bce_with_logits(logits.bottomRows(n), 0.0f)));

  config.real_label = 0;
  CHECK_THROWS(Gan(config));
}

TEST_CASE("the moving average of G (--ema): G_ema follows G by the warmed-up decay, samples come from it, and resume is exact", "[gan][options]") {
  GanConfig config;
  config.seed = 8;
  config.ema = 0.999;
  config.batch = 6;
  const Matrix real = uniform_noise(6, 3);
  Gan gan(config);
  Matrix expected = gan.G.linear(2).weight;
  for (int t = 0; t < 4; ++t) {
    gan.train_step(real);
    const float decay = static_cast<float>((1.0 + t) / (10.0 + t));
    expected = decay * expected + (1.0f - decay) * gan.G.linear(2).weight;
  }
  CHECK((gan.G_ema.linear(2).weight - expected).cwiseAbs().maxCoeff() < 1e-6f);
  CHECK((gan.G_ema.linear(2).weight - gan.G.linear(2).weight).cwiseAbs().maxCoeff() > 1e-6f);

  const Matrix z = Gan::sample_z(2, 3, 100);
  CHECK(gan.generate(z) == gan.G_ema.forward(z, false));

  const auto ckpt = save_checkpoint(gan, TrainProgress{});
  Gan resumed = load_checkpoint(ckpt.data(), ckpt.size(), nullptr);
  CHECK(resumed.config().ema == 0.999);
  for (int t = 0; t < 2; ++t) {
    gan.train_step(real);
    resumed.train_step(real);
  }
  CHECK(gan.G_ema.linear(0).weight == resumed.G_ema.linear(0).weight);
  CHECK(gan.G.linear(0).weight == resumed.G.linear(0).weight);

  SafeTensors file = parse_safetensors(ckpt.data(), ckpt.size());
  file.metadata["ema"] = "1.5";
  const auto bad = write_safetensors(file);
  CHECK_THROWS_WITH(load_checkpoint(bad.data(), bad.size(), nullptr), Contains("metadata \"ema\""));
}
