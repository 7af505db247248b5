// The DCGAN through the layer list: whole D and G steps by finite differences, exact resume, its files (PyTorch's
// names and running statistics, F16, files PyTorch wrote without metadata) and their bad inputs.
#include <catch2/catch.hpp>
#include <functional>

#include "batches.h"
#include "format_error.h"
#include "gan_models.h"
#include "grad_check.h"
#include "loss.h"
#include "network_files.h"
#include "quality_metric.h"
#include "same_params.h"

using namespace gan;

namespace {

GanConfig small_config(uint64_t seed) {
  GanConfig c;
  c.seed = seed;
  c.batch = 4;
  return c;
}

Matrix step_z(const NetworkGan& gan, int n) {
  Rng rng = gan.step_rng(gan.step);
  Matrix z(n, gan.config().z_dim);
  rng.normal(z.data(), static_cast<size_t>(z.size()));
  return z;
}

// Directional derivatives of f along random directions of all of `probe`'s parameters at once, against the
// analytic gradients `trained` holds: one number sums the gradient over every entry, far above the float noise
// that makes single-entry differences of a whole GAN loss unreliable at small gradients.
void check_network_gradients(Network& probe, Network& trained, const std::function<double()>& f, const char* net) {
  auto params = probe.parameters();
  auto grads = trained.parameters();
  for (uint64_t trial = 0; trial < 3; ++trial) {
    std::vector<Matrix> directions;
    double analytic = 0;
    for (size_t p = 0; p < params.size(); ++p) {
      directions.push_back(Matrix(1, static_cast<Eigen::Index>(params[p].tensor.size)));
      Rng rng(100 * trial + p);
      rng.normal(directions.back().data(), params[p].tensor.size);
      for (size_t k = 0; k < params[p].tensor.size; ++k)
        analytic += double(grads[p].tensor.grad[k]) * directions.back()(0, static_cast<Eigen::Index>(k));
    }
    auto shifted = [&](float h) {
      for (size_t p = 0; p < params.size(); ++p)
        for (size_t k = 0; k < params[p].tensor.size; ++k) params[p].tensor.value[k] += h * directions[p](0, static_cast<Eigen::Index>(k));
      const double value = f();
      for (size_t p = 0; p < params.size(); ++p)
        for (size_t k = 0; k < params[p].tensor.size; ++k) params[p].tensor.value[k] -= h * directions[p](0, static_cast<Eigen::Index>(k));
      return value;
    };
    // Richardson's extrapolation of two central differences cancels their h^2 error: D's hidden layer sums 6.4 M
    // parameters' moves into each of its 1024 units, and BatchNorm over 4 rows bends the loss enough that one central
    // difference at h = 1e-4 still missed the gradient by several units.
    auto central = [&](float h) { return (shifted(h) - shifted(-h)) / (2.0 * h); };
    const float h = 4e-5f;
    const double numeric = (4 * central(h / 2) - central(h)) / 3;
    INFO(net << " direction " << trial << ": finite difference " << numeric << " vs analytic " << analytic);
    CHECK(std::abs(numeric - analytic) <= 0.005 * std::abs(analytic) + 1e-2);
  }
}

std::vector<uint8_t> with_tensor_changed(const std::vector<uint8_t>& bytes, const std::string& name, float value) {
  SafeTensors file = parse_safetensors(bytes.data(), bytes.size());
  file.find(name)->values[0] = value;
  return write_safetensors(file);
}

// The FormatError message of `load`, or "(loaded)" when it loads.
std::string format_error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("dcgan: a whole D step and G step match finite differences", "[dcgan][gradcheck]") {
  const int n = 4;
  const Matrix real = uniform_noise(n, 3);
  // The DCGAN with Tanh in place of ReLU and LeakyReLU: with tens of thousands of units just after BatchNorm, any
  // finite difference of the whole loss crosses hundreds of kinks and measures them, not the gradient. The kinked
  // activations are checked alone ("every layer's gradients"); this checks how the step wires the passes together.
  Architecture smooth = find_architecture("dcgan");
  for (auto* layers : {&smooth.generator, &smooth.discriminator})
    for (LayerSpec& spec : *layers)
      if (spec.kind == LayerSpec::Kind::ReLU || spec.kind == LayerSpec::Kind::LeakyReLU) spec = tanh_layer();
  smooth.init = Init::PyTorchDefault;  // at the DCGAN's std 0.02 the losses barely move
  NetworkGan before(smooth, small_config(5));
  NetworkGan after = before;
  after.train_step(real, nullptr);  // leaves D's gradients from the D step and G's from the G step
  const Matrix z = step_z(before, n);

  // D-step loss of D's parameters: real and fake in separate training-mode passes, as the step takes them.
  Network g_fixed = before.G;
  const Matrix fake = g_fixed.forward(z, true);
  Network d_probe = before.D;
  auto d_loss = [&] {
    Network d = d_probe;  // training-mode passes change the running statistics: probe a copy
    const double on_real = bce_with_logits(d.forward(real, true), 1.0f);
    return on_real + bce_with_logits(d.forward(fake, true), 0.0f);
  };
  check_network_gradients(d_probe, after.D, d_loss, "D");

  // G-step loss of G's parameters, through the D that the D step just updated.
  Network g_probe = before.G;
  auto g_loss = [&] {
    Network g = g_probe, d = after.D;
    return bce_with_logits(d.forward(g.forward(z, true), true), 1.0f);
  };
  check_network_gradients(g_probe, after.G, g_loss, "G");
}

TEST_CASE("dcgan: a checkpoint resumes exactly, moving average included", "[dcgan]") {
  const Matrix data = uniform_noise(40, 7);
  GanConfig config = small_config(9);
  config.ema = 0.9;
  auto run = [&](NetworkGan& gan, int64_t steps) {
    BatchSampler sampler(data, config.batch, config.seed, nullptr);
    Matrix batch;
    for (int64_t i = 0; i < steps; ++i) {
      sampler.fill_for_step(gan.step, batch, nullptr);
      gan.train_step(batch, nullptr);
    }
  };
  NetworkGan whole(find_architecture("dcgan"), config);
  run(whole, 5);
  NetworkGan first(find_architecture("dcgan"), config);
  run(first, 3);
  const auto bytes = first.checkpoint({0, 3, "noise", 40});
  TrainProgress progress;
  auto resumed = load_gan_checkpoint(bytes.data(), bytes.size(), &progress);
  REQUIRE(resumed->architecture() == "dcgan");
  CHECK(progress.batch_in_epoch == 3);
  auto& second = dynamic_cast<NetworkGan&>(*resumed);
  run(second, 2);
  CHECK(same_state(second.G, whole.G));
  CHECK(same_state(second.D, whole.D));
  CHECK(same_state(second.G_ema, whole.G_ema));
}

TEST_CASE("dcgan: the generator file has PyTorch's names, loads back, and refuses bad tensors", "[dcgan][formats]") {
  NetworkGan gan(find_architecture("dcgan"), small_config(2));
  gan.train_step(uniform_noise(4, 1), nullptr);  // running statistics off their defaults
  const auto bytes = gan.generator_file("mnist", DType::F32);
  const SafeTensors file = parse_safetensors(bytes.data(), bytes.size());
  std::vector<std::string> names;
  for (const auto& t : file.tensors) names.push_back(t.first);
  std::sort(names.begin(), names.end());  // the header lists them by name
  CHECK(names == std::vector<std::string>{"main.0.weight",      "main.1.bias",        "main.1.running_mean",
                                          "main.1.running_var", "main.1.weight",      "main.10.bias",
                                          "main.10.weight",     "main.3.weight",      "main.4.bias",
                                          "main.4.running_mean", "main.4.running_var", "main.4.weight",
                                          "main.7.weight",      "main.8.bias",        "main.8.running_mean",
                                          "main.8.running_var", "main.8.weight"});
  CHECK(file.find("main.0.weight")->shape == std::vector<int64_t>{256, 100});
  CHECK(file.find("main.3.weight")->shape == std::vector<int64_t>{128 * 7 * 7, 256});
  CHECK(file.find("main.7.weight")->shape == std::vector<int64_t>{128, 64, 4, 4});
  CHECK(file.metadata.at("architecture") == "dcgan-gan");

  const Matrix z = Gan::sample_z(4, 6, 100);
  const Matrix want = gan.generate(z, nullptr);
  GeneratorInfo info;
  NetworkGenerator loaded = load_network_generator(bytes.data(), bytes.size(), &info);
  CHECK(info.z_dim == 100);
  CHECK(loaded.generate(z, nullptr) == want);

  const auto half = gan.generator_file("mnist", DType::F16);
  CHECK(half.size() < bytes.size() * 6 / 10);
  CHECK((load_network_generator(half.data(), half.size()).generate(z, nullptr) - want).cwiseAbs().maxCoeff() < 2e-2f);

  SECTION("a state_dict PyTorch wrote, without metadata, loads as the DCGAN") {
    SafeTensors bare = file;
    bare.metadata.clear();
    const auto b = write_safetensors(bare);
    CHECK(load_network_generator(b.data(), b.size()).generate(z, nullptr) == want);
  }
  SECTION("bad tensors and metadata are refused with a message") {
    auto nan = with_tensor_changed(bytes, "main.7.weight", std::nanf(""));
    CHECK_THROWS_WITH(load_network_generator(nan.data(), nan.size()), Catch::Contains("NaN or infinite"));
    auto negative = with_tensor_changed(bytes, "main.8.running_var", -1.0f);
    CHECK_THROWS_WITH(load_network_generator(negative.data(), negative.size()), Catch::Contains("negative variances"));
    SafeTensors other = file;
    other.metadata["architecture"] = "resnet-gan";
    auto o = write_safetensors(other);
    CHECK_THROWS_WITH(load_network_generator(o.data(), o.size()), Catch::Contains("does not know"));
    SafeTensors missing = file;
    missing.tensors.erase(std::find_if(missing.tensors.begin(), missing.tensors.end(),
                                       [](const auto& t) { return t.first == "main.1.running_mean"; }));
    auto m = write_safetensors(missing);
    CHECK_THROWS_WITH(load_network_generator(m.data(), m.size()), Catch::Contains("main.1.running_mean"));
    SafeTensors classes = file;
    classes.metadata["classes"] = "10";
    auto c = write_safetensors(classes);
    CHECK_THROWS_WITH(load_network_generator(c.data(), c.size()), Catch::Contains("\"classes\""));
  }
}

TEST_CASE("dcgan: a file from the DCGAN before its G's first layer is told it comes from another version",
          "[dcgan][formats]") {
  Architecture before = find_architecture("dcgan");
  before.generator = find_architecture("conditional-dcgan").generator;  // the single Linear(z, 6272) map
  NetworkGan old(before, small_config(4));
  const auto generator = old.generator_file("mnist", DType::F32);
  const auto checkpoint = old.checkpoint({0, 0, "mnist", 60});
  for (const std::string& message :
       {format_error_of([&] { load_network_generator(generator.data(), generator.size()); }),
        format_error_of([&] { load_network_checkpoint(checkpoint.data(), checkpoint.size(), nullptr); })}) {
    CHECK_THAT(message, Catch::Contains("comes from another version of \"dcgan\": its layer 0 is nn.Linear(100, 6272"));
    CHECK_THAT(message, Catch::Contains("where this build's is nn.Linear(100, 256"));
    CHECK_THAT(message, Catch::Contains("gan train --arch dcgan"));
  }
  // A file of this build's layers that is damaged keeps the plain message.
  NetworkGan now(find_architecture("dcgan"), small_config(4));
  const auto current = now.generator_file("mnist", DType::F32);
  SafeTensors damaged = parse_safetensors(current.data(), current.size());
  damaged.tensors.erase(std::find_if(damaged.tensors.begin(), damaged.tensors.end(),
                                     [](const auto& t) { return t.first == "main.3.weight"; }));
  const auto d = write_safetensors(damaged);
  CHECK_THROWS_WITH(load_network_generator(d.data(), d.size()),
                    Catch::Contains("main.3.weight") && !Catch::Contains("another version"));
}

TEST_CASE("dcgan: a checkpoint from the DCGAN before its D's hidden layer is told it comes from another version",
          "[dcgan][formats]") {
  Architecture before = find_architecture("dcgan");
  before.discriminator = find_architecture("conditional-dcgan").discriminator;  // Flatten, then the logit
  NetworkGan old(before, small_config(4));
  const auto bytes = old.checkpoint({0, 0, "mnist", 60});
  const auto message_of = [](const std::vector<uint8_t>& file) {
    return format_error_of([&] { load_network_checkpoint(file.data(), file.size(), nullptr); });
  };
  const std::string listed = message_of(bytes);
  CHECK_THAT(listed, Catch::Contains("comes from another version of \"dcgan\": its layer 6 is nn.Linear(6272, 1)"));
  CHECK_THAT(listed, Catch::Contains("where this build's is nn.Linear(6272, 1024, bias=False)"));
  CHECK_THAT(listed, Catch::Contains("gan train --arch dcgan"));
  // Checkpoints written before D's modules were recorded: the tensor that does not fit, and the same advice.
  SafeTensors unlisted = parse_safetensors(bytes.data(), bytes.size());
  unlisted.metadata.erase("d_layers");
  const std::string older = message_of(write_safetensors(unlisted));
  CHECK_THAT(older, Catch::Contains("comes from another version of \"dcgan\"") && Catch::Contains("D.main.6.weight") &&
                        Catch::Contains("gan train --arch dcgan"));
  // A checkpoint of this build's layers that is damaged keeps the plain message.
  NetworkGan now(find_architecture("dcgan"), small_config(4));
  const auto current = now.checkpoint({0, 0, "mnist", 60});
  SafeTensors damaged = parse_safetensors(current.data(), current.size());
  damaged.tensors.erase(std::find_if(damaged.tensors.begin(), damaged.tensors.end(),
                                     [](const auto& t) { return t.first == "D.main.6.weight"; }));
  CHECK_THAT(message_of(write_safetensors(damaged)),
             Catch::Contains("D.main.6.weight") && !Catch::Contains("another version"));
}

TEST_CASE("conditional-dcgan: label planes into D, one-hot into G, and a step that learns from them", "[dcgan]") {
  const Architecture arch = find_architecture("conditional-dcgan");
  CHECK(arch.discriminator_input().channels == 11);
  const Matrix images = uniform_noise(2, 1);
  const std::vector<int> labels{3, 9};
  Matrix scratch;
  const Matrix& in = discriminator_input(arch, images, &labels, scratch);
  CHECK(in.leftCols(784) == images);
  CHECK(in.row(0).segment(784 * 4, 784).minCoeff() == 1.0f);  // class 3 is plane 1 + 3
  CHECK(in.row(0).sum() == Approx(images.row(0).sum() + 784).epsilon(1e-5));
  CHECK(in.row(1).segment(784 * 10, 784).minCoeff() == 1.0f);
  const std::vector<int> bad{3, 10};
  CHECK_THROWS(discriminator_input(arch, images, &bad, scratch));

  NetworkGan gan(arch, small_config(4));
  const std::vector<int> real_labels{0, 1, 2, 3};
  const StepStats s = gan.train_step(uniform_noise(4, 2), &real_labels);
  CHECK(std::isfinite(s.d_loss));
  CHECK_THROWS(gan.train_step(uniform_noise(4, 2), nullptr));
  const auto bytes = gan.generator_file("mnist", DType::F32);
  GeneratorInfo info;
  load_network_generator(bytes.data(), bytes.size(), &info);
  CHECK(info.classes == 10);
}

TEST_CASE("dcgan: 8-bit generator files are about a quarter of F32 and draw nearly the same digits", "[dcgan][formats]") {
  NetworkGan gan(find_architecture("dcgan"), small_config(3));
  for (int i = 0; i < 3; ++i) gan.train_step(uniform_noise(4, 10 + i), nullptr);
  const auto f32 = gan.generator_file("mnist", DType::F32);
  const auto q8 = gan.generator_file("mnist", DType::I8);
  CHECK(q8.size() < f32.size() * 3 / 10);
  const SafeTensorsView view = index_safetensors(q8.data(), q8.size());
  CHECK(view.metadata.at("format_version") == "2");
  CHECK(view.find("main.7.weight")->dtype == TensorView::Stored::I8);
  CHECK(view.find("main.7.weight_scale")->shape == std::vector<int64_t>{128});
  CHECK(view.find("main.1.running_var")->dtype == TensorView::Stored::F32);
  const Matrix z = Gan::sample_z(1, 8, 100);
  const Matrix want = gan.generate(z, nullptr);
  const Matrix got = load_network_generator(q8.data(), q8.size()).generate(z, nullptr);
  CHECK((got - want).cwiseAbs().maxCoeff() < 0.05f);
  CHECK((got - want).cwiseAbs().mean() < 0.005f);

  SafeTensors no_scale = parse_safetensors(q8.data(), q8.size());
  no_scale.tensors.erase(std::find_if(no_scale.tensors.begin(), no_scale.tensors.end(),
                                      [](const auto& t) { return t.first == "main.7.weight_scale"; }));
  for (auto& t : no_scale.tensors)
    if (t.first.find("weight") != std::string::npos && t.first.find("_scale") == std::string::npos && t.second.shape.size() >= 2)
      t.second.store_as = DType::I8;
  const auto bytes = write_safetensors(no_scale);
  CHECK_THROWS_WITH(load_network_generator(bytes.data(), bytes.size()), Catch::Contains("scale tensor"));
}
