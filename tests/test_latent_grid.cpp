// The viewer's model: digits match `gan generate`, edits regenerate only their digit, and one seed gives the same
// digits on every platform (this file also runs compiled to wasm under node).
#include <catch2/catch.hpp>
#include <cmath>

#include "gan.h"
#include "latent_grid.h"

using namespace gan;

namespace {

Mlp seeded_generator(uint64_t seed) {
  Mlp G(generator_spec());
  Rng rng(derive_seed(seed, static_cast<uint64_t>(Stream::InitG)));
  G.reset_parameters(rng);
  return G;
}

}  // namespace

TEST_CASE("a latent grid starts with the digits gan generate draws for the seed", "[viewer]") {
  Mlp G = seeded_generator(3);
  LatentGrid grid(G, 16, 7);
  const Matrix expected = G.forward(Gan::sample_z(7, 16, 100), false);
  REQUIRE((grid.digits() - expected).cwiseAbs().maxCoeff() < 1e-5f);
  REQUIRE(grid.take_changed().size() == 16);
  REQUIRE(grid.take_changed().empty());
}

TEST_CASE("editing one latent value regenerates that digit only", "[viewer]") {
  LatentGrid grid(seeded_generator(3), 16, 7);
  grid.take_changed();
  const Matrix before = grid.digits();
  grid.set_value(5, 42, 2.5f);
  REQUIRE(grid.latent(5)[42] == 2.5f);
  REQUIRE(grid.take_changed() == std::vector<int>{5});
  for (int i = 0; i < 16; ++i) {
    if (i == 5)
      REQUIRE((grid.digits().row(i) - before.row(i)).cwiseAbs().maxCoeff() > 1e-4f);
    else
      REQUIRE(grid.digits().row(i) == before.row(i));
  }
  // The regenerated digit is what the generator makes of the edited vector, alone or in a batch.
  Matrix z = grid.latents().row(5);
  Mlp G = seeded_generator(3);
  REQUIRE((G.forward(z, false) - grid.digits().row(5)).cwiseAbs().maxCoeff() < 1e-5f);
}

TEST_CASE("randomize, reseed and generator swaps", "[viewer]") {
  LatentGrid grid(seeded_generator(3), 4, 7);
  grid.randomize(2, 99);
  REQUIRE(Eigen::Map<const RowVector>(grid.latent(2), 100) == Gan::sample_z(99, 1, 100));
  grid.reseed(7);
  REQUIRE(grid.latents() == Gan::sample_z(7, 4, 100));
  // Same latent size: vectors kept, digits redrawn by the new generator.
  grid.set_value(0, 0, 1.0f);
  const Matrix kept = grid.latents();
  grid.set_generator(seeded_generator(4));
  REQUIRE(grid.latents() == kept);
  REQUIRE((grid.digits() - seeded_generator(4).forward(kept, false)).cwiseAbs().maxCoeff() < 1e-5f);
  // Another latent size: vectors redrawn from the seed.
  Mlp small(generator_spec(8));
  Rng rng(1);
  small.reset_parameters(rng);
  grid.set_generator(small);
  REQUIRE(grid.z_dim() == 8);
  REQUIRE(grid.latents() == Gan::sample_z(7, 4, 8));
}

TEST_CASE("a latent grid refuses bad indices and non-finite values", "[viewer]") {
  LatentGrid grid(seeded_generator(3), 4, 7);
  REQUIRE_THROWS_WITH(grid.set_value(4, 0, 1.0f), Catch::Contains("outside the grid of 4"));
  REQUIRE_THROWS_WITH(grid.set_value(0, 100, 1.0f), Catch::Contains("outside 0..99"));
  REQUIRE_THROWS_WITH(grid.set_value(0, 0, NAN), Catch::Contains("finite"));
  std::vector<float> z(100, 0.0f);
  z[3] = INFINITY;
  REQUIRE_THROWS_WITH(grid.set_latent(0, z.data()), Catch::Contains("finite"));
  REQUIRE_THROWS(LatentGrid(seeded_generator(3), 0, 7));
}

TEST_CASE("slerp runs from a to b along the sphere", "[viewer]") {
  const std::vector<float> a = {3, 0, 0}, b = {0, 3, 0};
  REQUIRE(slerp(a.data(), b.data(), 3, 0.0f) == a);
  const auto end = slerp(a.data(), b.data(), 3, 1.0f);
  REQUIRE(end[0] == Approx(0).margin(1e-6));
  REQUIRE(end[1] == Approx(3));
  const auto mid = slerp(a.data(), b.data(), 3, 0.5f);
  REQUIRE(std::hypot(mid[0], mid[1]) == Approx(3));  // a straight line would pass at 2.12
  const auto same = slerp(a.data(), a.data(), 3, 0.5f);  // parallel vectors: no 0/0
  REQUIRE(same == a);
}

// Pinned on x86-64 (g++ and clang); the wasm build must give the same digits. Pixels are tanh outputs in [-1, 1]
// that went through four matrix products; SIMD widths sum in different orders, hence the tolerance.
TEST_CASE("one seed gives the same digits on every platform (pinned values)", "[viewer][golden]") {
  LatentGrid grid(seeded_generator(3), 4, 7);
  const float tolerance = 2e-5f;
  const double sums[4] = {-2.26912597, -6.22872599, -4.94965007, -9.73063305};
  for (int i = 0; i < 4; ++i) {
    double sum = 0;
    for (int p = 0; p < 784; ++p) sum += grid.digit(i)[p] * (1 + p % 7);
    INFO("digit " << i);
    REQUIRE(std::fabs(sum - sums[i]) < tolerance * 784 * 4);
  }
  const float pixels[4] = {-0.0320711173f, 0.0437517054f, 0.0680758283f, 0.0165958758f};
  const int where[4] = {0, 300, 407, 783};
  for (int k = 0; k < 4; ++k) REQUIRE(std::fabs(grid.digit(k)[where[k]] - pixels[k]) < tolerance);
}

TEST_CASE("resetting one digit brings back its seed's vector and leaves the other edits", "[viewer]") {
  LatentGrid grid(seeded_generator(3), 16, 7);
  const Matrix seeded = grid.latents(), seeded_digits = grid.digits();
  grid.set_value(3, 10, 2.5f);
  grid.randomize(5, 99);
  const Matrix edited5 = grid.latents().row(5);
  grid.take_changed();
  grid.reset(3);
  REQUIRE(grid.latents().row(3) == seeded.row(3));
  REQUIRE((grid.digits().row(3) - seeded_digits.row(3)).cwiseAbs().maxCoeff() < 1e-6f);
  REQUIRE(grid.latents().row(5) == edited5);
  REQUIRE(grid.take_changed() == std::vector<int>{3});
}

TEST_CASE("digits outside the grid are drawn as the grid draws its own, in the class asked for", "[viewer]") {
  LatentGrid grid(seeded_generator(3), 16, 7);
  Matrix z(2, 100);
  z.row(0) = Eigen::Map<const RowVector>(grid.latent(4), 100);
  z.row(1) = Eigen::Map<const RowVector>(grid.latent(9), 100);
  const Matrix drawn = grid.draw(z, 0);
  REQUIRE(drawn.rows() == 2);
  REQUIRE((drawn.row(0) - Eigen::Map<const RowVector>(grid.digit(4), 784)).cwiseAbs().maxCoeff() == 0.0f);
  REQUIRE((drawn.row(1) - Eigen::Map<const RowVector>(grid.digit(9), 784)).cwiseAbs().maxCoeff() == 0.0f);
  CHECK_THROWS_WITH(grid.draw(Matrix::Zero(1, 50), 0), Catch::Contains("100 values"));
  Matrix bad = z;
  bad(1, 3) = NAN;
  CHECK_THROWS_WITH(grid.draw(bad, 0), Catch::Contains("finite"));

  Mlp C(generator_spec(100, 10));
  Rng rng(5);
  C.reset_parameters(rng);
  LatentGrid conditional(C, 20, 7);
  const Matrix as_seven = conditional.draw(Eigen::Map<const Matrix>(conditional.latent(0), 1, 100), 7);
  conditional.set_label(0, 7);
  REQUIRE((as_seven.row(0) - Eigen::Map<const RowVector>(conditional.digit(0), 784)).cwiseAbs().maxCoeff() == 0.0f);
  CHECK_THROWS_WITH(conditional.draw(z, 10), Catch::Contains("outside 0..9"));
}
