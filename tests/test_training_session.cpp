// TrainingSession (the page's in-memory training) against the plain Gan loop, its fall-back on divergence,
// checkpoints it writes and reads, and starting from a generator file's weights.
#include <catch2/catch.hpp>

#include "latent_grid.h"
#include "training_session.h"

using namespace gan;

namespace {

std::shared_ptr<const Matrix> images(int count) {
  Matrix m = Gan::sample_z(99, count, 784).array().tanh();
  return std::make_shared<const Matrix>(std::move(m));
}

GanConfig small_config(uint64_t seed) {
  GanConfig c;
  c.batch = 8;
  c.seed = seed;
  return c;
}

bool same_weights(const Mlp& a, const Mlp& b) {
  for (size_t i = 0; i < a.layers().size(); ++i)
    if (a.layers()[i].weight != b.layers()[i].weight || a.layers()[i].bias != b.layers()[i].bias) return false;
  return true;
}

}  // namespace

TEST_CASE("a session takes exactly the steps of the Gan loop on the same batches", "[session]") {
  auto data = images(40);
  TrainingSession session(data, "test", Gan(small_config(5)));
  Gan reference(small_config(5));
  BatchSampler sampler(*data, 8, 5);
  Matrix batch;
  for (int s = 1; s <= 7; ++s) {  // past one epoch of 5 batches
    const SessionStep got = session.step();
    sampler.fill_for_step(reference.step, batch);
    const StepStats want = reference.train_step(batch);
    REQUIRE(got.step == s);
    REQUIRE_FALSE(got.diverged);
    REQUIRE(got.stats.d_loss == want.d_loss);
    REQUIRE(got.stats.g_loss == want.g_loss);
  }
  REQUIRE(same_weights(session.gan().G, reference.G));
  REQUIRE(session.progress().epoch == 1);
  REQUIRE(session.progress().batch_in_epoch == 2);
}

TEST_CASE("a diverged step goes back to the last good state", "[session]") {
  auto data = images(40);
  TrainingSession session(data, "test", Gan(small_config(6)), 2);
  session.inject_nan_at(5);
  for (int s = 1; s <= 4; ++s) REQUIRE_FALSE(session.step().diverged);
  const SessionStep bad = session.step();
  REQUIRE(bad.diverged);
  REQUIRE(bad.step == 5);
  REQUIRE(session.step_count() == 4);
  REQUIRE(session.last_good_step() == 4);
  TrainingSession reference(data, "test", Gan(small_config(6)));
  for (int s = 1; s <= 4; ++s) reference.step();
  REQUIRE(same_weights(session.gan().G, reference.gan().G));
  REQUIRE(same_weights(session.gan().D, reference.gan().D));
  // Training on from there gives the steps an undisturbed run takes.
  REQUIRE(session.step().stats.d_loss == reference.step().stats.d_loss);
}

TEST_CASE("a session's checkpoint continues exactly, and only on as many images", "[session]") {
  auto data = images(40);
  TrainingSession session(data, "test", Gan(small_config(7)));
  for (int s = 0; s < 3; ++s) session.step();
  const auto bytes = session.checkpoint();
  TrainingSession resumed(data, "test", gan_from_checkpoint(bytes.data(), bytes.size(), 40));
  REQUIRE(resumed.step_count() == 3);
  for (int s = 0; s < 3; ++s) REQUIRE(resumed.step().stats.g_loss == session.step().stats.g_loss);
  REQUIRE_THROWS_WITH(gan_from_checkpoint(bytes.data(), bytes.size(), 41),
                      Catch::Contains("trained on 40 images") && Catch::Contains("has 41"));
}

TEST_CASE("training on from a generator keeps its weights and starts D and Adam fresh", "[session]") {
  Gan donor(small_config(1));
  GanConfig c = small_config(2);
  c.z_dim = 64;  // taken from the generator instead
  Gan gan = gan_from_generator(donor.G, c);
  REQUIRE(gan.config().z_dim == 100);
  REQUIRE(same_weights(gan.G, donor.G));
  REQUIRE(same_weights(gan.D, Gan(small_config(2)).D));
  REQUIRE(gan.step == 0);
  Mlp other(MlpSpec{{100, 8, 784}});
  REQUIRE_THROWS(gan_from_generator(other, c));
}

TEST_CASE("the sample grid's latent vectors are the ones LatentGrid draws from samples_seed", "[session]") {
  TrainingSession session(images(16), "test", Gan(small_config(3)));
  const Matrix samples = session.samples();
  LatentGrid grid(session.gan().G, 25, session.samples_seed());
  REQUIRE((grid.digits() - samples).cwiseAbs().maxCoeff() < 1e-5f);
}

TEST_CASE("a damaged checkpoint is refused before a session starts from it", "[session]") {
  auto data = images(40);
  TrainingSession session(data, "test", Gan(small_config(7)));
  for (int s = 0; s < 3; ++s) session.step();
  const auto bytes = session.checkpoint();
  auto edited = [&](const std::string& key, const std::string& value) {
    SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
    f.metadata[key] = value;
    return write_safetensors(f);
  };
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{{"adam", "nan,nan,nan,nan"},
                                                                                   {"adam", "1e30,0.5,0.999,1e-8"},
                                                                                   {"batch_in_epoch", "999999"},
                                                                                   {"epoch", "4000000000"},
                                                                                   {"widths", "1,2"}}) {
    INFO(key << " = " << value);
    const auto bad = edited(key, value);
    REQUIRE_THROWS_WITH(gan_from_checkpoint(bad.data(), bad.size(), 40),
                        Catch::Contains(key) && Catch::Contains("start a new run"));
  }
  SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
  f.find("opt_D.1.exp_avg_sq")->values[0] = -0.5f;
  const auto negative = write_safetensors(f);
  REQUIRE_THROWS_WITH(gan_from_checkpoint(negative.data(), negative.size(), 40),
                      Catch::Contains("holds negative values"));
}
