// Digit attributes measure what they name, and the named directions of the shipped generator do it: moving along
// "slant" slants, along "ink" inks, and so on, while the digit mostly keeps its class.
#include <catch2/catch.hpp>

#include "file_io.h"
#include "gan.h"
#include "directions_file.h"
#include "format_error.h"
#include "latent_directions.h"
#include "weights.h"

using namespace gan;

namespace {

// A 28x28 digit with ink where inside(x, y) holds.
template <class F>
RowVector drawn(F inside) {
  RowVector d(784);
  for (int p = 0; p < 784; ++p) d[p] = inside(p % 28, p / 28) ? 1.0f : -1.0f;
  return d;
}

float measured(const RowVector& d, Attribute a) { return measure_attributes(Matrix(d))(0, int(a)); }

}  // namespace

TEST_CASE("the attributes measure ink, slant, width and height", "[directions]") {
  const RowVector upright = drawn([](int x, int y) { return y >= 4 && y < 24 && x >= 13 && x < 15; });
  const RowVector leaning = drawn([](int x, int y) { return y >= 4 && y < 24 && std::abs(x - (14 + (14 - y) / 3.0)) <= 0.5; });
  const RowVector thick = drawn([](int x, int y) { return y >= 4 && y < 24 && x >= 11 && x < 17; });
  CHECK(measured(upright, Attribute::Slant) == Approx(0).margin(1e-3));
  CHECK(measured(leaning, Attribute::Slant) == Approx(18.4).margin(2.0));  // atan(1/3): the top leans right
  CHECK(measured(thick, Attribute::Ink) > 2.5f * measured(upright, Attribute::Ink));
  CHECK(measured(thick, Attribute::Width) > 2.5f * measured(upright, Attribute::Width));
  CHECK(measured(upright, Attribute::Height) == Approx(4 * std::sqrt((20.0 * 20.0 - 1) / 12)).epsilon(1e-3));
  CHECK(measure_attributes(Matrix::Constant(1, 784, -1.0f)).isZero());
}

TEST_CASE("fit_directions recovers a planted direction and keeps clear of the class directions", "[directions]") {
  const Matrix z = Gan::sample_z(1, 2000, 20);
  RowVector u = RowVector::Zero(20), c = RowVector::Zero(20);
  u[3] = 1, c[5] = 1;
  Matrix attributes(2000, kAttributes), scores(2000, 1);
  for (Eigen::Index r = 0; r < 2000; ++r) {
    for (int a = 0; a < kAttributes; ++a) attributes(r, a) = z.row(r).dot(u) + 0.5f * z(r, 5) + 0.1f * a * z(r, 7);
    scores(r, 0) = z.row(r).dot(c);
  }
  const auto d = fit_directions(z, attributes, scores);
  REQUIRE(d.size() == size_t(kAttributes));
  CHECK(d[0].direction.norm() == Approx(1.0f));
  CHECK(d[0].direction[3] > 0.99f);             // the attribute's own direction
  CHECK(std::abs(d[0].direction[5]) < 1e-3f);  // the class's projected out
  CHECK(d[3].direction[7] > 0.2f);
}

TEST_CASE("the shipped generator's named directions do what they are named for", "[directions][slow]") {
  const auto bytes = read_file(GAN_ASSETS_DIR "/generator-f16.safetensors");
  Mlp G = load_generator(bytes.data(), bytes.size());
  const auto judge_bytes = read_file(GAN_ASSETS_DIR "/digit-classifier.safetensors");
  DigitClassifier judge = load_classifier(judge_bytes.data(), judge_bytes.size());
  const DigitSource draw = [&](const Matrix& z, const std::vector<int>*) { return G.forward(z, false); };
  const Matrix z = Gan::sample_z(0, 2000, 100);
  const Matrix digits = draw(z, nullptr);
  const Matrix scores = class_scores(judge, digits);
  const auto directions = fit_directions(z, measure_attributes(digits), scores);
  CHECK(fit_directions(z, measure_attributes(digits), scores)[1].direction == directions[1].direction);
  const Matrix held_out = Gan::sample_z(1, 500, 100);
  const auto ups = measure_direction_effects(draw, judge, held_out, nullptr, directions, 2.0f);
  const auto downs = measure_direction_effects(draw, judge, held_out, nullptr, directions, -2.0f);
  for (size_t i = 0; i < directions.size(); ++i) {
    const LatentDirection& d = directions[i];
    const DirectionEffect up = ups[i], down = downs[i];
    INFO(attribute_name(d.attribute) << ": +2 changes it by " << up.change << " " << attribute_unit(d.attribute)
                                     << " (class kept " << up.class_kept << "), -2 by " << down.change);
    CHECK(up.change > 0);
    CHECK(down.change < 0);
    CHECK(up.class_kept > 0.5);
  }
}

TEST_CASE("a directions file reads back, and one of another generator or damaged is refused", "[directions]") {
  DirectionsFile file;
  file.owner = {"seed", 3, 0, "mnist", "100000"};
  file.fitted_on = 500;
  RowVector v(3);
  v << 0.6f, 0.8f, 0.0f;
  file.directions.push_back({{Attribute::Slant, v}, {12.5, 0.75}});
  const std::string text = write_directions_json(file);
  const DirectionsFile back = parse_directions_json(text, file.owner);
  REQUIRE(back.directions.size() == 1);
  CHECK(back.directions[0].direction.attribute == Attribute::Slant);
  CHECK(back.directions[0].direction.direction == v);
  CHECK(back.directions[0].at_plus_2.change == 12.5);
  CHECK(parse_directions_json(text, {"seed", 3, 0, "", ""}).fitted_on == 500);  // a file without metadata matches
  CHECK_THROWS_WITH(parse_directions_json(text, {"seed", 3, 0, "mnist", "90000"}), Catch::Contains("another generator"));
  CHECK_THROWS_WITH(parse_directions_json(text, {"dcgan", 3, 0, "mnist", "100000"}), Catch::Contains("another generator"));
  CHECK_THROWS_AS(parse_directions_json(text, {"seed", 4, 0, "mnist", "100000"}), FormatError);
  CHECK_THROWS_WITH(parse_directions_json("{\"z\": [1, 2]}", file.owner), Catch::Contains("not a directions file"));
  CHECK_THROWS_WITH(parse_directions_json("not json", file.owner), Catch::Contains("not a directions file"));
  std::string damaged = text;
  damaged.replace(damaged.find("\"slant\""), 7, "\"weight\"");
  CHECK_THROWS_WITH(parse_directions_json(damaged, file.owner), Catch::Contains("does not know"));
  std::string missing = text;
  missing.replace(missing.find("\"fitted_on\""), 11, "\"fitted\"");
  CHECK_THROWS_WITH(parse_directions_json(missing, file.owner), Catch::Contains("lacks a field"));
  // Counts that are not whole numbers in range are refused, not converted (1e300 to int is undefined behaviour;
  // the fuzzer found it).
  for (const char* bad : {"1e300", "3.5", "-1", "4294967299", "\"3\""}) {
    std::string odd = text;
    odd.replace(odd.find("\"fitted_on\": 500"), 16, std::string("\"fitted_on\": ") + bad);
    CHECK_THROWS_WITH(parse_directions_json(odd, file.owner), Catch::Contains("\"fitted_on\" is not a whole number"));
  }
  std::string huge_z = text;
  huge_z.replace(huge_z.find("\"z_dim\": 3"), 10, "\"z_dim\": 3e300");
  CHECK_THROWS_WITH(parse_directions_json(huge_z, file.owner), Catch::Contains("\"z_dim\" is not a whole number"));
}
