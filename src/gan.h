// The seed's GAN (and its class-conditional variant): a Generator, a Discriminator, their Adam optimizers, and one training step exactly as the seed takes it.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "adam.h"
#include "mlp.h"
#include "rng.h"

namespace gan {

struct GanConfig {
  int z_dim = 100;
  int batch = 60;
  AdamConfig adam;  // lr 2e-4, betas (0.5, 0.999), eps 1e-8 for both networks, as in the seed
  uint64_t seed = 0;
  int classes = 0;  // > 0: the class-conditional GAN (`--arch conditional`), a one-hot label into G and D
  // The value of the hot entry of D's label input. sqrt(784): at initialisation the label's input then weighs
  // about as much as the 784 pixels (mostly -1) do, and D uses it from the start. With 1 the label match measured
  // 0.11 (chance) at step 1,500 and rose only after step 5,000; with 28, 0.71 at step 1,500 (docs/quality.md).
  float d_label_scale = 28.0f;
  // Options beyond the seed (off by default, so the seed's step is unchanged):
  float real_label = 1.0f;  // D's target for real images; 0.9 is one-sided label smoothing
  double ema = 0;           // > 0: also keep an exponential moving average of G's weights with this decay, which
                            // samples and exports use (decay min(ema, (1 + t) / (10 + t)) at step t, so it warms up)
};

// What one step reports: the seed's two losses and the discriminator's mean outputs.
struct StepStats {
  double d_loss = 0;  // BCE(D(x), 1) + BCE(D(G(z)), 0)
  double g_loss = 0;  // BCE(D(G(z')), 1)
  double d_real = 0;  // mean D(x)
  double d_fake = 0;  // mean D(G(z)) in the D step
};

// Independent random streams derived from the user's seed.
enum class Stream : uint64_t { InitG = 1, InitD = 2, Noise = 3, Shuffle = 4, FixedZ = 5 };

class Gan {
 public:
  explicit Gan(GanConfig config);

  const GanConfig& config() const { return config_; }
  Mlp G, D;
  Mlp G_ema;  // the moving average of G when config().ema > 0, else empty
  Adam opt_g, opt_d;
  int64_t step = 0;  // training steps taken; with the seed it fixes all of the next step's randomness

  // One seed iteration on a [batch, 784] batch of real images in [-1, 1]:
  //   D step: z ~ N(0, I); loss = BCE(D(x), 1) + BCE(D(G(z)), 0); Adam on D.
  //   G step: fresh z; loss = BCE(D(G(z)), 1); Adam on G. D stays in training mode (dropout on), as in the seed.
  // Randomness, in stream order: both z (D step's, then G step's), D step dropout masks, G step dropout masks.
  // The conditional GAN takes the real images' labels too; its fakes get uniform random labels, drawn after both z.
  StepStats train_step(const Matrix& real, const std::vector<int>* labels = nullptr);

  // The random stream of step `s` (z, then dropout masks): a pure function of (seed, s).
  Rng step_rng(int64_t s) const;
  // N latent vectors from `seed`, the way `gan generate --seed` draws them.
  static Matrix sample_z(uint64_t seed, int n, int z_dim);
  // The generator that samples and exports use: G_ema when the GAN keeps one, else G.
  Mlp& sampling_generator() { return config_.ema > 0 ? G_ema : G; }
  const Mlp& sampling_generator() const { return config_.ema > 0 ? G_ema : G; }
  // sampling_generator()(z) in evaluation mode; the conditional GAN needs one label per row of z.
  Matrix generate(const Matrix& z, const std::vector<int>* labels = nullptr);

 private:
  GanConfig config_;
  // G's or D's input: x itself, or x with the one-hot labels (hot entry `hot`) appended (conditional GAN).
  const Matrix& with_labels(const Matrix& x, const std::vector<int>& labels, Matrix& scratch, float hot = 1.0f) const;

  Matrix z_, g_in_, stacked_, d_in_, fake_g_, grad_logits_, grad_image_;
  std::vector<int> fake_labels_, stacked_labels_, g_labels_;
};

}  // namespace gan
