// 8-bit layers evaluated as integers (QuantizedPanels inside InferenceMlp): the exact integer sums the header
// documents, bit for bit; within the rounding bound of 16-bit inputs of the float reference (Mlp::forward on the
// same weights); no int32 overflow at the widest weights; NaN, infinity and zero rows; and the files that feed them.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "gan.h"
#include "inference_mlp.h"
#include "weights.h"

#ifdef GAN_ASSETS_DIR
#include "file_io.h"
#endif

using namespace gan;

namespace {

// A one-layer network (raw outputs) with random 8-bit weights, held both ways: packed as integers, and as the float
// reference with weight = value * scale.
struct OneLayer {
  Mlp reference;
  InferenceMlp packed;
  Matrix whole;  // out x in whole numbers
  std::vector<float> scale, bias;
};

OneLayer one_layer(int in, int out, uint64_t seed) {
  MlpSpec spec;
  spec.widths = {in, out};
  spec.head = Head::Logit;
  OneLayer L{Mlp(spec), InferenceMlp(spec), Matrix(out, in), std::vector<float>(size_t(out)), std::vector<float>(size_t(out))};
  Rng rng(seed);
  float u[2];
  for (int f = 0; f < out; ++f) {
    for (int k = 0; k < in; ++k) L.whole(f, k) = float(rng.below(256)) - 128.0f;  // -128 .. 127
    rng.uniform(u, 2);
    L.scale[f] = 0.001f + 0.01f * u[0];
    L.bias[f] = u[1] - 0.5f;
    L.packed.set_quantized_row(0, f, L.whole.row(f).data(), L.scale[f]);
    L.reference.linear(0).weight.row(f) = L.whole.row(f) * L.scale[f];
    L.reference.linear(0).bias(f) = L.bias[f];
  }
  L.packed.set_bias(0, L.bias.data());
  return L;
}

Matrix random_inputs(int rows, int in, uint64_t seed) {
  Matrix x(rows, in);
  Rng rng(seed);
  rng.normal(x.data(), static_cast<size_t>(x.size()));
  for (int r = 0; r < rows; ++r) x.row(r) *= std::pow(10.0f, float(r % 5) - 2);  // rows from 0.01 to 100 in size
  return x;
}

Matrix packed_forward(InferenceMlp& net, const Matrix& x) {
  Matrix y(x.rows(), net.out_features());
  net.forward(x.data(), static_cast<int>(x.rows()), y.data());
  return y;
}

// What the header promises, written out plainly: each row rounded to nearest at limit / max|x|, exact integer sums,
// then the feature's scale, the row's scale and the bias, in that order.
Matrix documented_sums(const OneLayer& L, const Matrix& x) {
  const int limit = QuantizedPanels(int(x.cols()), 1).input_limit();
  Matrix y(x.rows(), L.whole.rows());
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    const float m = x.row(r).cwiseAbs().maxCoeff(), inv = float(limit) / m, row_scale = m / float(limit);
    for (Eigen::Index f = 0; f < L.whole.rows(); ++f) {
      int64_t sum = 0;
      for (Eigen::Index k = 0; k < x.cols(); ++k)
        sum += static_cast<int64_t>(std::nearbyint(x(r, k) * inv)) * static_cast<int64_t>(L.whole(f, k));
      y(r, f) = static_cast<float>(sum) * L.scale[size_t(f)] * row_scale + L.bias[size_t(f)];
    }
  }
  return y;
}

}  // namespace

TEST_CASE("8-bit layers compute the documented integer sums, bit for bit, for every row count and odd widths", "[quantized]") {
  for (auto [in, out] : {std::pair{5, 3}, std::pair{100, 256}, std::pair{1024, 784}, std::pair{13, 9}}) {
    OneLayer L = one_layer(in, out, 7 + in);
    REQUIRE(L.packed.quantized(0));
    for (int rows : {1, 2, 3, 4, 5, 7, 64}) {
      INFO(in << " -> " << out << ", rows " << rows);
      const Matrix x = random_inputs(rows, in, 3 + rows);
      REQUIRE(packed_forward(L.packed, x) == documented_sums(L, x));
    }
  }
}

TEST_CASE("8-bit layers are within the rounding of their 16-bit inputs of the float reference", "[quantized]") {
  // Each input moves by at most half a step (its row's max|x| / limit / 2), so output f of row r moves by at most
  // sum_k |W[f][k]| times that; 1e-5 of sum_k |W[f][k] x[r][k]| more covers the float reference's own rounding.
  for (auto [in, out] : {std::pair{5, 3}, std::pair{1024, 784}, std::pair{13, 9}}) {
    OneLayer L = one_layer(in, out, 9 + in);
    const int limit = QuantizedPanels(in, out).input_limit();
    const Matrix x = random_inputs(64, in, 21);
    const Matrix ref = L.reference.forward(x, false), got = packed_forward(L.packed, x);
    const Matrix W = L.reference.linear(0).weight;
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const float half_step = x.row(r).cwiseAbs().maxCoeff() / float(limit) / 2;
      for (Eigen::Index f = 0; f < W.rows(); ++f) {
        const float bound = W.row(f).cwiseAbs().sum() * half_step +
                            1e-5f * (W.row(f).cwiseAbs().cwiseProduct(x.row(r).cwiseAbs()).sum() + 1);
        INFO(in << " -> " << out << ", row " << r << ", feature " << f);
        REQUIRE(std::fabs(got(r, f) - ref(r, f)) <= bound);
      }
    }
  }
}

TEST_CASE("8-bit sums do not overflow at the widest weights and inputs", "[quantized]") {
  // 1024 inputs at the limit times weights of -128 (or 127) everywhere: within 2^31 only because the limit leaves
  // room for them.
  MlpSpec spec;
  spec.widths = {1024, 2};
  spec.head = Head::Logit;
  InferenceMlp packed(spec);
  const std::vector<float> low(1024, -128.0f), high(1024, 127.0f), no_bias(2, 0.0f);
  packed.set_quantized_row(0, 0, low.data(), 0.5f);
  packed.set_quantized_row(0, 1, high.data(), 0.5f);
  packed.set_bias(0, no_bias.data());
  for (float sign : {1.0f, -1.0f}) {
    Matrix x = Matrix::Constant(1, 1024, 3.0f * sign), y(1, 2);
    packed.forward(x.data(), 1, y.data());
    CHECK(y(0, 0) == Approx(-128 * 0.5 * 3 * 1024 * sign).epsilon(1e-6));
    CHECK(y(0, 1) == Approx(127 * 0.5 * 3 * 1024 * sign).epsilon(1e-6));
  }
  CHECK(QuantizedPanels(1024, 1).input_limit() * int64_t{128} * 1024 <= std::numeric_limits<int32_t>::max());
  CHECK(QuantizedPanels(100, 1).input_limit() == 32767);
  CHECK_THROWS_AS(QuantizedPanels(200000, 1), std::invalid_argument);
}

TEST_CASE("8-bit layers: a NaN or infinite row gives NaN, a zero row the bias, and the other rows are untouched", "[quantized]") {
  OneLayer L = one_layer(13, 9, 4);
  Matrix x = random_inputs(6, 13, 8);
  const Matrix clean = packed_forward(L.packed, x);
  x(1, 5) = std::numeric_limits<float>::quiet_NaN();
  x(2, 12) = std::numeric_limits<float>::infinity();
  x.row(3).setZero();
  const Matrix y = packed_forward(L.packed, x);
  for (int f = 0; f < 9; ++f) {
    CHECK(std::isnan(y(1, f)));
    CHECK(std::isnan(y(2, f)));
    CHECK(y(3, f) == L.bias[size_t(f)]);
  }
  for (int r : {0, 4, 5}) CHECK(y.row(r) == clean.row(r));
}

TEST_CASE("a q8 generator file loads into 8-bit layers; one digit alone is the same bits as in a batch", "[quantized][weights]") {
  Mlp g(generator_spec());
  Rng rng(4);
  g.reset_parameters(rng);
  const auto bytes = save_generator(g, "mnist", 5, DType::I8);
  InferenceMlp packed = load_packed_generator(bytes.data(), bytes.size());
  for (size_t i = 0; i < 4; ++i) CHECK(packed.quantized(i));
  Mlp reference = load_generator(bytes.data(), bytes.size());  // the same weights as floats
  const Matrix z = Gan::sample_z(5, 9, 100);
  const Matrix batch = packed_forward(packed, z);
  CHECK((batch - reference.forward(z, false)).cwiseAbs().maxCoeff() < 1e-4f);
  for (Eigen::Index r = 0; r < z.rows(); ++r) {
    const Matrix one_z = z.row(r);
    INFO("row " << r);
    REQUIRE(packed_forward(packed, one_z) == batch.row(r));
  }
  // An F16 file stays on float layers.
  const auto half = save_generator(g, "mnist", 5, DType::F16);
  CHECK_FALSE(load_packed_generator(half.data(), half.size()).quantized(0));
}

TEST_CASE("a layer takes float rows or 8-bit rows, not both", "[quantized]") {
  MlpSpec spec;
  spec.widths = {4, 3};
  InferenceMlp a(spec), b(spec);
  const float row[4] = {1, -2, 3, 4};
  a.set_quantized_row(0, 0, row, 0.1f);
  CHECK_THROWS_AS(a.set_weight_row(0, 1, row), std::logic_error);
  b.set_weight_row(0, 0, row);
  CHECK_THROWS_AS(b.set_quantized_row(0, 1, row, 0.1f), std::logic_error);
}

#ifdef GAN_ASSETS_DIR
TEST_CASE("the shipped q8 generator's digits on 8-bit layers are within 4e-3 of the float reference, 1e-4 on average", "[quantized][weights]") {
  // The page runs this file. 64 digits of seed 5 were 1.1e-3 apart at most and 1.7e-5 on average (a grey level is
  // 2/255 = 7.8e-3): the last layer's inputs reach about 20 and round in steps of 20 / 16383.
  const auto bytes = read_file(GAN_ASSETS_DIR "/generator-q8.safetensors");
  InferenceMlp packed = load_packed_generator(bytes.data(), bytes.size());
  Mlp reference = load_generator(bytes.data(), bytes.size());
  const Matrix z = Gan::sample_z(5, 64, 100);
  const Matrix diff = (packed_forward(packed, z) - reference.forward(z, false)).cwiseAbs();
  CHECK(diff.maxCoeff() < 4e-3f);
  CHECK(diff.mean() < 1e-4f);
}
#endif
