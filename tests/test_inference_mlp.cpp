// The packed evaluation path against the reference Mlp::forward: every batch-size remainder, odd widths, both heads,
// saturated tanh. Tolerance: 1e-5 absolute on outputs of order 1 (the kernels sum in another order than Eigen).
#include <catch2/catch.hpp>

#include "gan.h"
#include "inference_mlp.h"

using namespace gan;

namespace {

float max_difference(Mlp& mlp, const Matrix& x) {
  InferenceMlp fast(mlp);
  Matrix out(x.rows(), fast.out_features());
  fast.forward(x.data(), static_cast<int>(x.rows()), out.data());
  const Matrix ref = mlp.forward(x, false);
  return (out - ref).cwiseAbs().maxCoeff();
}

Mlp seeded(MlpSpec spec, uint64_t seed) {
  Mlp m(std::move(spec));
  Rng rng(seed);
  m.reset_parameters(rng);
  return m;
}

}  // namespace

TEST_CASE("the packed generator matches Mlp::forward for every batch size remainder", "[inference]") {
  Mlp G = seeded(generator_spec(), 11);
  for (int rows : {1, 2, 3, 4, 5, 7, 64}) {
    INFO("rows " << rows);
    REQUIRE(max_difference(G, Gan::sample_z(rows, rows, 100)) < 1e-5f);
  }
}

TEST_CASE("the packed path handles widths that are not multiples of 8, a logit head and saturated tanh", "[inference]") {
  MlpSpec odd;
  odd.widths = {5, 13, 9, 3};
  Mlp small = seeded(odd, 2);
  Matrix x = Gan::sample_z(4, 6, 5);
  REQUIRE(max_difference(small, x) < 1e-5f);
  // Large inputs drive tanh into saturation (the clamp) and past the tiny-input shortcut.
  x *= 40.0f;
  REQUIRE(max_difference(small, x) < 1e-5f);
  x.setZero();
  REQUIRE(max_difference(small, x) < 1e-6f);

  Mlp D = seeded(discriminator_spec(), 3);  // dropout is off in evaluation; the head is a raw logit
  REQUIRE(max_difference(D, Gan::sample_z(5, 9, 784)) < 1e-4f);
}

TEST_CASE("a broken kernel would be caught: perturbed weights change the output", "[inference]") {
  Mlp G = seeded(generator_spec(), 11);
  InferenceMlp fast(G);
  G.linear(2).weight(17, 100) += 0.5f;  // after packing: the packed copy keeps the old value
  const Matrix z = Gan::sample_z(1, 4, 100);
  Matrix out(4, 784);
  fast.forward(z.data(), 4, out.data());
  REQUIRE((out - G.forward(z, false)).cwiseAbs().maxCoeff() > 1e-4f);
}

TEST_CASE("a digit generated alone is the same bits as in a batch", "[inference]") {
  // A slider move generates one digit, the grid all of them: each output must be summed in the same order either
  // way, so the digit a slider shows is the grid's. Widths with a partial panel too.
  MlpSpec odd;
  odd.widths = {100, 44, 40, 1024, 784};
  for (const MlpSpec& spec : {generator_spec(), odd}) {
    Mlp mlp = seeded(spec, 5);
    InferenceMlp fast(mlp);
    const Matrix z = Gan::sample_z(9, 6, 100);
    Matrix batch(z.rows(), fast.out_features());
    fast.forward(z.data(), static_cast<int>(z.rows()), batch.data());
    for (Eigen::Index r = 0; r < z.rows(); ++r) {
      const Matrix one_z = z.row(r);
      Matrix one(1, fast.out_features());
      fast.forward(one_z.data(), 1, one.data());
      INFO("row " << r);
      REQUIRE(one == batch.row(r));
    }
  }
}
