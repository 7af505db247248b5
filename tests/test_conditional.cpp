// The class-conditional GAN: one-hot inputs, gradients of its training step, its files, and exact resume.
#include <catch2/catch.hpp>

#include "gan.h"
#include "grad_check.h"
#include "labels.h"
#include "latent_grid.h"
#include "loss.h"
#include "quality_metric.h"
#include "training_session.h"
#include "weights.h"

using namespace gan;
using Catch::Matchers::Contains;

namespace {

GanConfig conditional_config(uint64_t seed) {
  GanConfig c;
  c.seed = seed;
  c.classes = 10;
  c.batch = 6;
  return c;
}

}  // namespace

TEST_CASE("one-hot label columns and the class grid", "[conditional]") {
  Matrix x(3, 2);
  x << 1, 2, 3, 4, 5, 6;
  Matrix out;
  append_one_hot(x, {2, 0, 1}, 3, out);
  Matrix want(3, 5);
  want << 1, 2, 0, 0, 1, 3, 4, 1, 0, 0, 5, 6, 0, 1, 0;
  CHECK(out == want);
  CHECK_THROWS_WITH(append_one_hot(x, {2, 3, 1}, 3, out), Contains("label 3 is outside 0..2"));
  CHECK_THROWS_WITH(append_one_hot(x, {2, 1}, 3, out), Contains("2 labels for 3 rows"));

  CHECK(class_grid_rows(25, 10) == 3);
  CHECK(class_grid_labels(12, 10) == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1});
  const Matrix rows = Gan::sample_z(4, 2, 5);
  const Matrix z = class_grid_latents(rows, 12, 10);
  CHECK(z.row(0) == rows.row(0));
  CHECK(z.row(9) == rows.row(0));
  CHECK(z.row(10) == rows.row(1));
  CHECK_THROWS(class_grid_latents(rows, 21, 10));
}

TEST_CASE("conditional GAN: networks take the label, and a step's gradients match finite differences", "[conditional][gradcheck]") {
  GanConfig config = conditional_config(23);
  const int n = 4;
  config.batch = n;
  const Matrix real = uniform_noise(n, 22);
  const std::vector<int> labels{3, 1, 4, 1};
  Gan before(config);
  CHECK(before.G.spec().widths.front() == 110);
  CHECK(before.D.spec().widths.front() == 794);
  CHECK(config.d_label_scale == 28.0f);
  Gan after = before;
  after.train_step(real, &labels);

  // The step's stream: z for both steps, then 2n fake labels (D step's, then G step's), then dropout masks.
  struct Draws {
    Matrix z;
    std::vector<int> fake;
    Rng rng;
  };
  auto draws = [&] {
    Draws d{Matrix(2 * n, config.z_dim), std::vector<int>(2 * n), before.step_rng(0)};
    d.rng.normal(d.z.data(), static_cast<size_t>(d.z.size()));
    for (int& y : d.fake) y = static_cast<int>(d.rng.below(10));
    return d;
  };
  auto d_loss = [&] {
    Draws d = draws();
    Matrix g_in, d_in;
    append_one_hot(d.z, d.fake, 10, g_in);
    Matrix stacked(2 * n, 784);
    stacked.topRows(n) = real;
    stacked.bottomRows(n) = before.G.forward(g_in, true).topRows(n);
    std::vector<int> stacked_labels(labels);
    stacked_labels.insert(stacked_labels.end(), d.fake.begin(), d.fake.begin() + n);
    append_one_hot(stacked, stacked_labels, 10, d_in);
    d_in.rightCols(10) *= config.d_label_scale;
    const Matrix logits = before.D.forward(d_in, true, &d.rng);
    return bce_with_logits(logits.topRows(n), 1.0f) + bce_with_logits(logits.bottomRows(n), 0.0f);
  };
  gan::testing::check_mlp_gradients(before.D, after.D, d_loss, "D");

  Gan g_probe = before;
  g_probe.D = after.D;
  auto g_loss = [&] {
    Draws d = draws();
    Matrix g_in, d_in;
    g_probe.D.forward(Matrix::Zero(2 * n, 794), true, &d.rng);  // consumes the D step's dropout draws
    append_one_hot(d.z, d.fake, 10, g_in);
    const Matrix fake = g_probe.G.forward(g_in, true).bottomRows(n);
    append_one_hot(fake, std::vector<int>(d.fake.begin() + n, d.fake.end()), 10, d_in);
    d_in.rightCols(10) *= config.d_label_scale;
    return bce_with_logits(g_probe.D.forward(d_in, true, &d.rng), 1.0f);
  };
  gan::testing::check_mlp_gradients(g_probe.G, after.G, g_loss, "G");

  CHECK_THROWS_WITH(after.train_step(real), Contains("one label per real image"));
  CHECK_THROWS_WITH(after.generate(Gan::sample_z(1, 2, 100)), Contains("needs labels"));
}

TEST_CASE("conditional GAN: the label changes the digit, files keep the architecture, resume is exact", "[conditional][formats]") {
  Gan gan(conditional_config(5));
  const Matrix real = uniform_noise(6, 6);
  const std::vector<int> labels{0, 1, 2, 3, 4, 5};
  for (int i = 0; i < 3; ++i) gan.train_step(real, &labels);

  const Matrix z = class_grid_latents(Gan::sample_z(7, 1, 100), 10, 10);
  const std::vector<int> all = class_grid_labels(10, 10);
  const Matrix digits = gan.generate(z, &all);
  for (int c = 1; c < 10; ++c) CHECK((digits.row(c) - digits.row(0)).norm() > 1e-3f);

  GeneratorInfo info;
  for (DType dtype : {DType::F32, DType::F16, DType::I8}) {
    const auto bytes = save_generator(gan.G, "mnist", gan.step, dtype);
    Mlp back = load_generator(bytes.data(), bytes.size(), &info);
    CHECK(info.classes == 10);
    CHECK(info.z_dim == 100);
    CHECK(info.metadata.at("architecture") == kConditionalArchitecture);
    CHECK(back.spec().classes == 10);
    Matrix input;
    append_one_hot(z, all, 10, input);
    CHECK((back.forward(input, false) - digits).cwiseAbs().maxCoeff() < (dtype == DType::F32 ? 1e-6f : 0.05f));
    // The page's loader: the same network, packed, and the same metadata.
    GeneratorInfo packed_info;
    InferenceMlp packed = load_packed_generator(bytes.data(), bytes.size(), &packed_info);
    CHECK(packed.spec().classes == 10);
    CHECK(packed_info.classes == 10);
    Matrix fast(input.rows(), 784);
    packed.forward(input.data(), static_cast<int>(input.rows()), fast.data());
    // I8 runs on 8-bit layers, which round their inputs to 16 bits (test_quantized_panels.cpp).
    CHECK((fast - back.forward(input, false)).cwiseAbs().maxCoeff() < (dtype == DType::I8 ? 1e-4f : 1e-5f));
  }

  // Stop after 3 steps, save, load, 2 more steps == 5 steps straight.
  const auto ckpt = save_checkpoint(gan, TrainProgress{});
  Gan resumed = load_checkpoint(ckpt.data(), ckpt.size(), nullptr);
  CHECK(resumed.config().classes == 10);
  CHECK(resumed.config().d_label_scale == 28.0f);
  Gan straight = gan;
  for (int i = 0; i < 2; ++i) {
    const StepStats a = straight.train_step(real, &labels), b = resumed.train_step(real, &labels);
    CHECK(a.d_loss == b.d_loss);
    CHECK(a.g_loss == b.g_loss);
  }
  CHECK(straight.G.linear(0).weight == resumed.G.linear(0).weight);

  // A training session takes it only with a label for every digit.
  const TrainingData unlabelled{std::make_shared<const Matrix>(real), nullptr, "test"};
  CHECK_THROWS_WITH(TrainingSession(unlabelled, model_from_checkpoint(ckpt.data(), ckpt.size(), 0)),
                    Contains("label for every training digit"));
  // Training on from its generator keeps the classes.
  CHECK(gan_from_generator(gan.G, GanConfig{}).config().classes == 10);

  // A bad class count in the metadata is refused.
  SafeTensors file = parse_safetensors(ckpt.data(), ckpt.size());
  file.metadata["classes"] = "0";
  const auto bad = write_safetensors(file);
  CHECK_THROWS_WITH(load_checkpoint(bad.data(), bad.size(), nullptr), Contains("\"classes\" is out of range"));
}

TEST_CASE("conditional latent grid: rows of every class from one z; set_label regenerates one digit as the Mlp draws it", "[conditional][latent]") {
  Gan gan(conditional_config(9));
  LatentGrid grid(gan.G, 20, 3);
  REQUIRE(grid.classes() == 10);
  CHECK(grid.z_dim() == 100);
  const Matrix z = class_grid_latents(Gan::sample_z(3, 2, 100), 20, 10);
  std::vector<int> labels = class_grid_labels(20, 10);
  Matrix input;
  append_one_hot(z, labels, 10, input);
  CHECK((grid.digits() - gan.G.forward(input, false)).cwiseAbs().maxCoeff() < 1e-5f);

  grid.take_changed();
  grid.set_label(12, 7);
  CHECK(grid.take_changed() == std::vector<int>{12});
  labels[12] = 7;
  append_one_hot(z, labels, 10, input);
  CHECK((grid.digits() - gan.G.forward(input, false)).cwiseAbs().maxCoeff() < 1e-5f);
  CHECK_THROWS_WITH(grid.set_label(0, 10), Contains("class 10 is outside 0..9"));
}

TEST_CASE("conditional latent grid: resetting a digit brings back its seed's vector and its column's class", "[conditional][latent]") {
  Gan gan(conditional_config(9));
  LatentGrid grid(gan.G, 20, 3);
  const Matrix seeded = grid.latents(), seeded_digits = grid.digits();
  grid.set_label(12, 7);
  grid.set_value(12, 4, -2.0f);
  grid.reset(12);
  CHECK(grid.label(12) == 2);
  CHECK(grid.latents().row(12) == seeded.row(12));
  CHECK((grid.digits().row(12) - seeded_digits.row(12)).cwiseAbs().maxCoeff() < 1e-6f);
}
