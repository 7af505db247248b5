// The DCGAN's drawing form (InferenceNetwork): a float file draws the same bits as its network; a q8 file's Linear
// and transposed-convolution layers run on 8-bit integers within the rounding of their 16-bit inputs of the float
// reference (the same file's weights as floats); one digit alone draws as in a batch; a NaN row stays in its own
// digit.
#include <catch2/catch.hpp>

#include <limits>

#include "digit_generator.h"
#include "gan.h"
#include "gan_models.h"
#include "inference_network.h"

#ifdef GAN_ASSETS_DIR
#include "file_io.h"
#endif

using namespace gan;

namespace {

// A DCGAN (or conditional DCGAN) generator after a few training steps, as a file of `dtype`.
std::vector<uint8_t> trained_generator_file(const std::string& arch, DType dtype) {
  GanConfig config;
  config.seed = 3;
  config.batch = 4;
  NetworkGan gan(find_architecture(arch), config);
  Rng rng(7);
  for (int step = 0; step < 3; ++step) {
    Matrix real(4, 784);
    rng.uniform(real.data(), static_cast<size_t>(real.size()), -1, 1);
    std::vector<int> labels{1, 2, 3, 4};
    gan.train_step(real, gan.arch().classes ? &labels : nullptr);
  }
  return gan.generator_file("mnist", dtype);
}

Matrix drawn(InferenceNetwork& net, const Matrix& input) {
  Matrix out(input.rows(), net.network().output_shape().size());
  net.forward(input.data(), static_cast<int>(input.rows()), out.data());
  return out;
}

// The layers a q8 DCGAN file keeps as 8-bit: its Linear layers and its first transposed convolution (a patch of
// 64 x 4 x 4; the last one's, 1 x 4 x 4, stays float).
void check_quantized_layers(const InferenceNetwork& net) {
  for (size_t i = 0; i < net.network().size(); ++i) {
    const LayerSpec& spec = net.network().specs()[i];
    const bool wide_patch = spec.kind == LayerSpec::Kind::ConvTranspose2d && spec.out > 1;
    INFO("layer " << i);
    CHECK(net.quantized(i) == (spec.kind == LayerSpec::Kind::Linear || wide_patch));
  }
}

}  // namespace

TEST_CASE("a float DCGAN file draws the same bits in its drawing form as through its network", "[quantized][dcgan]") {
  const auto bytes = trained_generator_file("dcgan", DType::F32);
  InferenceNetwork net = load_inference_network(bytes.data(), bytes.size());
  for (size_t i = 0; i < net.network().size(); ++i) CHECK_FALSE(net.quantized(i));
  NetworkGenerator reference = load_network_generator(bytes.data(), bytes.size());
  const Matrix z = Gan::sample_z(5, 9, 100);
  CHECK(drawn(net, z) == reference.generate(z, nullptr));
}

TEST_CASE("a q8 DCGAN file's Linear and transposed convolutions run on 8-bit weights near the float reference",
          "[quantized][dcgan]") {
  for (const std::string arch : {"dcgan", "conditional-dcgan"}) {
    INFO(arch);
    const auto bytes = trained_generator_file(arch, DType::I8);
    InferenceNetwork net = load_inference_network(bytes.data(), bytes.size());
    check_quantized_layers(net);
    NetworkGenerator reference = load_network_generator(bytes.data(), bytes.size());  // the same weights as floats
    const Matrix z = Gan::sample_z(5, 11, 100);
    const std::vector<int> labels{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3};
    const std::vector<int>* given = reference.arch.classes ? &labels : nullptr;
    Matrix scratch;
    const Matrix input = generator_input(reference.arch, z, given, scratch);
    const Matrix batch = drawn(net, input);
    const Matrix diff = (batch - reference.generate(z, given)).cwiseAbs();
    CHECK(diff.maxCoeff() < 1e-3f);
    CHECK(diff.mean() < 1e-4f);
    // One digit alone (a slider move) as in the batch: the 8-bit layers' rows are independent, but the float last
    // layer's product may sum in another order for one sample than for several.
    for (Eigen::Index r = 0; r < input.rows(); ++r) {
      INFO("row " << r);
      REQUIRE((drawn(net, input.row(r)) - batch.row(r)).cwiseAbs().maxCoeff() < 1e-6f);
    }
  }
}

TEST_CASE("a q8 DCGAN's NaN latent vector gives a NaN digit and leaves the others' bits alone", "[quantized][dcgan]") {
  const auto bytes = trained_generator_file("dcgan", DType::I8);
  InferenceNetwork net = load_inference_network(bytes.data(), bytes.size());
  Matrix z = Gan::sample_z(5, 9, 100);
  const Matrix clean = drawn(net, z);
  z(4, 17) = std::numeric_limits<float>::quiet_NaN();
  const Matrix got = drawn(net, z);
  CHECK(got.row(4).array().isNaN().any());
  for (Eigen::Index r : {0, 1, 2, 3, 5, 6, 7, 8}) CHECK(got.row(r) == clean.row(r));
}

TEST_CASE("the page's generator keeps a q8 DCGAN file's weights as integers", "[quantized][dcgan]") {
  const auto bytes = trained_generator_file("dcgan", DType::I8);
  DigitGenerator digits = load_digit_generator(bytes.data(), bytes.size());
  InferenceNetwork net = load_inference_network(bytes.data(), bytes.size());
  const Matrix z = Gan::sample_z(5, 3, 100);
  Matrix got(3, 784);
  digits.forward(z.data(), 3, got.data());
  CHECK(got == drawn(net, z));
  CHECK(digits.architecture() == "dcgan");
}

#ifdef GAN_ASSETS_DIR
TEST_CASE("the shipped q8 DCGAN's digits on 8-bit layers are within 4e-3 of the float reference, 1e-4 on average",
          "[quantized][dcgan]") {
  const auto bytes = read_file(GAN_ASSETS_DIR "/generator-dcgan-q8.safetensors");
  InferenceNetwork net = load_inference_network(bytes.data(), bytes.size());
  check_quantized_layers(net);
  NetworkGenerator reference = load_network_generator(bytes.data(), bytes.size());
  const Matrix z = Gan::sample_z(5, 64, 100);
  // 64 digits of seed 5 were 1.3e-3 apart at most and 1.2e-5 on average (a grey level is 7.8e-3).
  const Matrix diff = (drawn(net, z) - reference.generate(z, nullptr)).cwiseAbs();
  CHECK(diff.maxCoeff() < 4e-3f);
  CHECK(diff.mean() < 1e-4f);
}
#endif
