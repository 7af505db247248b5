// Inversion: it finds the shipped generator's own digits, beats the simple baselines on held-out real digits, works
// through a conditional and a convolutional generator, is deterministic, and refuses what it cannot use.
#include <catch2/catch.hpp>

#include <algorithm>

#include "architectures.h"
#include "file_io.h"
#include "gan.h"
#include "latent_inversion.h"
#include "mnist_files.h"
#include "network_gan.h"
#include "weights.h"

using namespace gan;

namespace {

Mlp shipped_generator() {
  const auto bytes = read_file(GAN_ASSETS_DIR "/generator-f16.safetensors");
  return load_generator(bytes.data(), bytes.size());
}

float mean_squared(const Matrix& a, const Matrix& b) { return (a - b).squaredNorm() / float(a.size()); }

}  // namespace

TEST_CASE("inversion finds the generator's own digits", "[inversion]") {
  Mlp G = shipped_generator();
  const Matrix z_star = Gan::sample_z(123, 100, 100);
  const Matrix targets = G.forward(z_star, false);
  InversionOptions opt;
  opt.restarts = 4;
  opt.steps = 200;
  opt.lr = 0.1;
  const auto found = invert_digits(G.network(), 100, 0, targets, opt);
  REQUIRE(found.size() == 100);
  // The bound: a mean squared pixel error of 0.005 is a digit that differs from its target by about 0.07 of the
  // [-1, 1] range per pixel, well below a stroke's change; different digits of this generator differ by about 0.3.
  int close = 0;
  for (size_t t = 0; t < found.size(); ++t) {
    const Matrix redrawn = G.forward(Matrix(found[t].z), false);
    CHECK(mean_squared(redrawn, targets.row(Eigen::Index(t))) == Approx(found[t].error).epsilon(1e-3));
    CHECK(found[t].label == -1);
    close += found[t].error < 0.005f;
  }
  INFO(close << " of 100 targets found within 0.005");
  CHECK(close >= 90);
  CHECK(mean_squared(targets.topRows(50), targets.bottomRows(50)) > 0.1f);
}

TEST_CASE("inversion beats the mean digit and the nearest of 2,000 generated digits on held-out real digits",
          "[inversion]") {
  Mlp G = shipped_generator();
  const Dataset test = load_mnist_folder(GAN_DATA_DIR, "test");
  const Matrix targets = test.images.topRows(10);
  InversionOptions opt;
  opt.restarts = 4;
  opt.steps = 200;
  opt.lr = 0.2;
  const auto found = invert_digits(G.network(), 100, 0, targets, opt);
  const RowVector mean_digit = load_mnist_folder(GAN_DATA_DIR, "train").images.colwise().mean();
  const Matrix generated = G.forward(Gan::sample_z(7, 2000, 100), false);
  double inverted = 0, mean_baseline = 0, nearest_baseline = 0;
  for (Eigen::Index t = 0; t < targets.rows(); ++t) {
    inverted += found[size_t(t)].error;
    mean_baseline += (targets.row(t) - mean_digit).squaredNorm() / 784.0;
    nearest_baseline += (generated.rowwise() - targets.row(t)).rowwise().squaredNorm().minCoeff() / 784.0;
  }
  INFO("mean squared error: inversion " << inverted / 10 << ", mean digit " << mean_baseline / 10
                                        << ", nearest generated " << nearest_baseline / 10);
  CHECK(inverted < 0.5 * nearest_baseline);
  CHECK(nearest_baseline < mean_baseline);
}

TEST_CASE("inversion is deterministic for a seed, and a conditional generator's class is found too", "[inversion]") {
  Gan gan(GanConfig{.z_dim = 100, .batch = 60, .adam = {}, .seed = 4, .classes = 10});
  const Matrix z_star = Gan::sample_z(5, 3, 100);
  const std::vector<int> labels{2, 7, 9};
  const Matrix targets = gan.generate(z_star, &labels);
  InversionOptions opt;
  opt.restarts = 2;
  opt.steps = 60;
  opt.lr = 0.1;
  const auto a = invert_digits(gan.G.network(), 100, 10, targets, opt);
  const auto b = invert_digits(gan.G.network(), 100, 10, targets, opt);
  REQUIRE(a.size() == 3);
  for (size_t t = 0; t < a.size(); ++t) {
    CHECK(a[t].z == b[t].z);
    CHECK(a[t].error == b[t].error);
    CHECK(a[t].label >= 0);
    CHECK(a[t].label < 10);
  }
  opt.seed = 1;
  CHECK(invert_digits(gan.G.network(), 100, 10, targets, opt)[0].z != a[0].z);
}

TEST_CASE("inversion runs through a convolutional generator in evaluation mode and leaves its weights alone",
          "[inversion]") {
  NetworkGan dcgan(find_architecture("dcgan"), GanConfig{});
  Network& G = dcgan.G;
  // Running statistics of G's own activations, as a trained file has: with the defaults (mean 0, variance 1) the
  // untrained layers' small outputs stay small, and every digit is nearly the same flat image.
  for (int i = 0; i < 30; ++i) G.forward(Gan::sample_z(100 + i, 60, 100), true);
  const auto before = G.state();
  std::vector<std::vector<float>> saved;
  for (const auto& t : before) saved.emplace_back(t.tensor.value, t.tensor.value + t.tensor.size);
  const Matrix target = G.forward(Gan::sample_z(3, 1, 100), false);
  InversionOptions opt;
  opt.restarts = 2;
  opt.steps = 40;
  opt.lr = 0.1;
  int calls = 0;
  const auto found = invert_digits(G, 100, 0, target, opt, [&](int done, int all) {
    CHECK(done == ++calls);
    CHECK(all == 40);
    return true;
  });
  CHECK(calls == 40);
  const Matrix start = G.forward(Gan::sample_z(0, 2, 100), false);
  CHECK(found[0].error < std::min(mean_squared(start.topRows(1), target), mean_squared(start.bottomRows(1), target)));
  const auto after = G.state();
  for (size_t i = 0; i < after.size(); ++i)
    CHECK(std::equal(saved[i].begin(), saved[i].end(), after[i].tensor.value));
  // A progress callback that says stop ends the search early, with the best so far.
  calls = 0;
  invert_digits(G, 100, 0, target, opt, [&](int, int) { return ++calls < 5; });
  CHECK(calls == 5);
}

TEST_CASE("inversion refuses targets and options it cannot use", "[inversion]") {
  Mlp G = shipped_generator();
  InversionOptions opt;
  CHECK_THROWS_AS(invert_digits(G.network(), 100, 0, Matrix::Zero(1, 783), opt), std::invalid_argument);
  Matrix nan_target = Matrix::Zero(1, 784);
  nan_target(0, 5) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(invert_digits(G.network(), 100, 0, nan_target, opt), std::invalid_argument);
  CHECK_THROWS_AS(invert_digits(G.network(), 90, 0, Matrix::Zero(1, 784), opt), std::invalid_argument);
  CHECK_THROWS_AS(invert_digits(G.network(), 100, 10, Matrix::Zero(1, 784), opt), std::invalid_argument);
  opt.restarts = 0;
  CHECK_THROWS_AS(invert_digits(G.network(), 100, 0, Matrix::Zero(1, 784), opt), std::invalid_argument);
  opt.restarts = 1;
  opt.lr = 0;
  CHECK_THROWS_AS(invert_digits(G.network(), 100, 0, Matrix::Zero(1, 784), opt), std::invalid_argument);
}
