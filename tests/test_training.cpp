// A short training run on the real digits: the losses move the way the seed's do and the samples approach real digits.
#include <catch2/catch.hpp>
#include <cmath>

#include "batches.h"
#include "gan.h"
#include "mnist_files.h"

using namespace gan;

namespace {

// The measures, on 200 samples of a fixed z against the 1,000 held-out digits:
// closeness: mean over samples of the RMS pixel distance (pixels in [-1, 1]) to the nearest of `real`'s digits.
// Noise or blobs sit far from every real digit; digit-like strokes sit close to some.
double nearest_real_distance(const Matrix& samples, const Matrix& real) {
  const Eigen::VectorXf real_sq = real.rowwise().squaredNorm();
  const Matrix cross = samples * real.transpose();
  double total = 0;
  for (Eigen::Index i = 0; i < samples.rows(); ++i) {
    const float s2 = samples.row(i).squaredNorm();
    const float best = (real_sq.transpose().array() - 2.0f * cross.row(i).array()).minCoeff() + s2;
    total += std::sqrt(std::max(0.0f, best) / 784.0f);
  }
  return total / static_cast<double>(samples.rows());
}

// Mean RMS distance between pairs of rows: a generator that collapsed onto one digit scores near zero.
double mean_pairwise_distance(const Matrix& samples) {
  double total = 0;
  int pairs = 0;
  for (Eigen::Index i = 0; i < samples.rows(); ++i)
    for (Eigen::Index j = i + 1; j < samples.rows(); ++j, ++pairs)
      total += std::sqrt((samples.row(i) - samples.row(j)).squaredNorm() / 784.0);
  return total / pairs;
}

}  // namespace

TEST_CASE("a short run on the real digits learns: losses as in the seed, samples near real digits", "[training][slow][long]") {
  const Dataset train = load_mnist_folder(GAN_DATA_DIR, "train");
  const Dataset held_out = load_mnist_folder(GAN_DATA_DIR, "test");
  GanConfig config;
  config.seed = 1;
  Gan gan(config);
  BatchSampler sampler(train.images, config.batch, config.seed);
  const Matrix z = Gan::sample_z(99, 200, config.z_dim);

  const double untrained = nearest_real_distance(gan.generate(z), held_out.images);
  const double real_reference = nearest_real_distance(train.images.topRows(200), held_out.images);

  const int steps = 600;  // the first 600 of the 1,000 steps of an epoch of MNIST
  Matrix batch;
  double d_real = 0, d_fake = 0, d_loss = 0, g_loss = 0;
  const int window = 100;
  for (int s = 0; s < steps; ++s) {
    sampler.fill_for_step(gan.step, batch);
    const StepStats st = gan.train_step(batch);
    REQUIRE(std::isfinite(st.d_loss));
    REQUIRE(std::isfinite(st.g_loss));
    if (s >= steps - window) {
      d_real += st.d_real / window;
      d_fake += st.d_fake / window;
      d_loss += st.d_loss / window;
      g_loss += st.g_loss / window;
    }
  }
  const Matrix samples = gan.generate(z);
  const double trained = nearest_real_distance(samples, held_out.images);
  const double diversity = mean_pairwise_distance(samples), real_diversity = mean_pairwise_distance(train.images.topRows(200));
  WARN("nearest-real RMS distance: untrained " << untrained << ", after " << steps << " steps " << trained
       << ", real digits " << real_reference << "; pairwise distance " << diversity << " (real " << real_diversity
       << "); last " << window << " steps: D loss " << d_loss << ", G loss " << g_loss << ", D(x) " << d_real
       << ", D(G(z)) " << d_fake);

  // The seed's dynamics: D separates real from fake without winning outright, G's loss rises above ln 2.
  CHECK(d_real > d_fake + 0.1);
  CHECK(d_loss > 0.3);
  CHECK(d_loss < 1.35);
  CHECK(g_loss > 0.75);
  // Samples move most of the way from the untrained generator's towards real digits' own distance.
  CHECK(trained < untrained - 0.6 * (untrained - real_reference));
  // ...without collapsing onto one digit (a collapsed generator scores near 0; this early in training samples are
  // still alike, about 0.45 of real digits' spread).
  CHECK(diversity > 0.3 * real_diversity);
}
