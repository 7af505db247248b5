// TrainingSession (the page's in-memory training) against the plain Gan loop, its fall-back on divergence,
// checkpoints it writes and reads, starting from a generator file's weights, and the same for the DCGAN.
#include <catch2/catch.hpp>

#include <algorithm>

#include "gan_models.h"
#include "latent_grid.h"
#include "mlp_gan_model.h"
#include "network_gan.h"
#include "same_params.h"
#include "training_session.h"

using namespace gan;

namespace {

TrainingData images(int count) {
  Matrix m = Gan::sample_z(99, count, 784).array().tanh();
  auto labels = std::make_shared<std::vector<uint8_t>>();
  for (int i = 0; i < count; ++i) labels->push_back(static_cast<uint8_t>(i % 10));
  return TrainingData{std::make_shared<const Matrix>(std::move(m)), std::move(labels), "test"};
}


GanConfig small_config(uint64_t seed) {
  GanConfig c;
  c.batch = 8;
  c.seed = seed;
  return c;
}

std::unique_ptr<GanModel> mlp(uint64_t seed) { return std::make_unique<MlpGanModel>(Gan(small_config(seed))); }
const Gan& gan_of(TrainingSession& s) { return *s.model().mlp_gan(); }

bool same_weights(const Mlp& a, const Mlp& b) {
  for (size_t i = 0; i < a.depth(); ++i)
    if (a.linear(i).weight != b.linear(i).weight || a.linear(i).bias != b.linear(i).bias) return false;
  return true;
}

}  // namespace

TEST_CASE("a session takes exactly the steps of the Gan loop on the same batches", "[session]") {
  auto data = images(40);
  TrainingSession session(data, mlp(5));
  Gan reference(small_config(5));
  BatchSampler sampler(*data.images, 8, 5);
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
  REQUIRE(same_weights(gan_of(session).G, reference.G));
  REQUIRE(session.progress().epoch == 1);
  REQUIRE(session.progress().batch_in_epoch == 2);
}

TEST_CASE("a diverged step goes back to the last good state", "[session]") {
  auto data = images(40);
  TrainingSession session(data, mlp(6), 2);
  session.inject_nan_at(5);
  for (int s = 1; s <= 4; ++s) REQUIRE_FALSE(session.step().diverged);
  const SessionStep bad = session.step();
  REQUIRE(bad.diverged);
  REQUIRE(bad.step == 5);
  REQUIRE(session.step_count() == 4);
  REQUIRE(session.last_good_step() == 4);
  TrainingSession reference(data, mlp(6));
  for (int s = 1; s <= 4; ++s) reference.step();
  REQUIRE(same_weights(gan_of(session).G, gan_of(reference).G));
  REQUIRE(same_weights(gan_of(session).D, gan_of(reference).D));
  // Training on from there gives the steps an undisturbed run takes.
  REQUIRE(session.step().stats.d_loss == reference.step().stats.d_loss);
}

TEST_CASE("a backend that takes several steps a call: the session snapshots between calls and rolls back mid-call",
          "[session]") {
  // As the CUDA backend does: each call of run() takes a chunk of steps, and a loss is seen only after its chunk.
  struct ThreeAtATime : CpuTrainBackend {
    using CpuTrainBackend::CpuTrainBackend;
    int64_t steps_per_call() const override { return 3; }
  };
  auto data = images(40);
  TrainingSession session(data, mlp(6), 4, [&](GanModel& m, const TrainingData& d) {
    return std::make_unique<ThreeAtATime>(m, *d.images, d.labels.get(), 1);
  });
  session.inject_nan_at(6);
  const std::vector<SessionStep> taken = session.run(9);  // calls of 3 and 1 to the snapshot at 4, then 3 (5-7)
  REQUIRE(taken.size() == 6);
  REQUIRE(taken.back().diverged);
  REQUIRE(taken.back().step == 6);
  REQUIRE(session.step_count() == 4);
  REQUIRE(session.last_good_step() == 4);
  TrainingSession reference(data, mlp(6));
  const std::vector<SessionStep> want = reference.run(8);
  for (size_t i = 0; i < 4; ++i) REQUIRE(taken[i].stats.g_loss == want[i].stats.g_loss);
  const std::vector<SessionStep> again = session.run(4);  // steps 5-8, as if nothing had happened
  REQUIRE(again.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    REQUIRE(again[i].step == want[4 + i].step);
    REQUIRE(again[i].stats.d_loss == want[4 + i].stats.d_loss);
  }
  REQUIRE(same_weights(gan_of(session).D, gan_of(reference).D));
}

TEST_CASE("a session's checkpoint continues exactly, and only on as many images", "[session]") {
  auto data = images(40);
  TrainingSession session(data, mlp(7));
  for (int s = 0; s < 3; ++s) session.step();
  const auto bytes = session.checkpoint();
  TrainingSession resumed(data, model_from_checkpoint(bytes.data(), bytes.size(), 40));
  REQUIRE(resumed.step_count() == 3);
  for (int s = 0; s < 3; ++s) REQUIRE(resumed.step().stats.g_loss == session.step().stats.g_loss);
  REQUIRE_THROWS_WITH(model_from_checkpoint(bytes.data(), bytes.size(), 41),
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

TEST_CASE("the sample grid is gan train's: its fixed latent vectors, through the moving average when there is one",
          "[session]") {
  GanConfig c = small_config(3);
  c.ema = 0.9;
  TrainingSession session(images(16), std::make_unique<MlpGanModel>(Gan(c)));
  for (int s = 0; s < 3; ++s) session.step();
  const Gan& g = gan_of(session);
  REQUIRE_FALSE(same_weights(g.G, g.G_ema));
  LatentGrid grid(g.G_ema, 25, derive_seed(c.seed, static_cast<uint64_t>(Stream::FixedZ)));
  REQUIRE((grid.digits() - session.samples()).cwiseAbs().maxCoeff() < 1e-5f);
  REQUIRE(session.sample_grid().columns == 5);
  REQUIRE(session.sample_grid().rows() == 5);
}

TEST_CASE("a conditional model trains in a session with the labels, and its grid has a column per class", "[session]") {
  GanConfig c = small_config(4);
  c.classes = 10;
  auto data = images(40);
  TrainingSession session(data, std::make_unique<MlpGanModel>(Gan(c)));
  Gan reference(c);
  BatchSampler sampler(*data.images, 8, 4, data.labels.get());
  Matrix batch;
  std::vector<int> labels;
  for (int s = 0; s < 3; ++s) {
    sampler.fill_for_step(reference.step, batch, &labels);
    REQUIRE(session.step().stats.g_loss == reference.train_step(batch, &labels).g_loss);
  }
  REQUIRE(session.sample_grid().columns == 10);
  REQUIRE(session.samples().rows() == 50);
  REQUIRE_THROWS_WITH(TrainingSession(TrainingData{data.images, nullptr, "test"}, std::make_unique<MlpGanModel>(Gan(c))),
                      Catch::Contains("label for every training digit"));
}

TEST_CASE("the DCGAN trains in a session: its steps, its fall-back, its checkpoint and its generator file",
          "[session][dcgan]") {
  GanConfig c = small_config(9);
  auto data = images(24);
  TrainingSession session(data, make_gan_model("dcgan", c), 2);
  auto reference = make_gan_model("dcgan", c);
  BatchSampler sampler(*data.images, 8, 9);
  Matrix batch;
  for (int s = 0; s < 2; ++s) {
    sampler.fill_for_step(reference->steps_taken(), batch);
    REQUIRE(session.step().stats.d_loss == reference->train_step(batch, nullptr).d_loss);
  }
  session.inject_nan_at(3);
  REQUIRE(session.step().diverged);
  REQUIRE(session.step_count() == 2);
  sampler.fill_for_step(2, batch);
  REQUIRE(session.step().stats.g_loss == reference->train_step(batch, nullptr).g_loss);
  REQUIRE(session.model().architecture() == "dcgan");
  REQUIRE((session.samples() - reference->generate(session.sample_grid().z, nullptr)).cwiseAbs().maxCoeff() == 0.0f);

  const auto ckpt = session.checkpoint();
  TrainingSession resumed(data, model_from_checkpoint(ckpt.data(), ckpt.size(), 24));
  REQUIRE(resumed.step().stats.d_loss == session.step().stats.d_loss);

  // On from its generator: G's weights and BatchNorm statistics kept, D fresh.
  const auto file = session.generator();
  GanConfig other = small_config(1);
  auto from_file = model_from_generator(file.data(), file.size(), other);
  REQUIRE(from_file->architecture() == "dcgan");
  REQUIRE(from_file->steps_taken() == 0);
  REQUIRE((from_file->generate(session.sample_grid().z, nullptr) - session.samples()).cwiseAbs().maxCoeff() == 0.0f);
  auto fresh = make_gan_model("dcgan", other);
  REQUIRE(same_state(dynamic_cast<NetworkGan&>(*from_file).D, dynamic_cast<NetworkGan&>(*fresh).D));
  REQUIRE_FALSE(same_state(dynamic_cast<NetworkGan&>(*from_file).G, dynamic_cast<NetworkGan&>(*fresh).G));
}

TEST_CASE("a damaged checkpoint is refused before a session starts from it", "[session]") {
  auto data = images(40);
  TrainingSession session(data, mlp(7));
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
    REQUIRE_THROWS_WITH(model_from_checkpoint(bad.data(), bad.size(), 40),
                        Catch::Contains(key) && Catch::Contains("start a new run"));
  }
  SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
  f.find("opt_D.1.exp_avg_sq")->values[0] = -0.5f;
  const auto negative = write_safetensors(f);
  REQUIRE_THROWS_WITH(model_from_checkpoint(negative.data(), negative.size(), 40),
                      Catch::Contains("holds negative values"));
}
