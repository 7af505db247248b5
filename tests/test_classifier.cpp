// The digit classifier on the real digits, and the metric it drives: real digits must score clearly better than noise
// and than an untrained generator.
#include <catch2/catch.hpp>

#include "digit_classifier.h"
#include "file_io.h"
#include "gan.h"
#include "mnist_files.h"
#include "quality_metric.h"
#include "safetensors.h"

using namespace gan;

TEST_CASE("a classifier trained for 3 epochs separates real digits from noise and an untrained generator", "[quality][slow]") {
  // The first 9,000 of the 60,000 training digits: enough to learn the digits, and quick under the sanitizers.
  const Dataset all = load_mnist_folder(GAN_DATA_DIR, "train");
  const Matrix images = all.images.topRows(9000);
  const std::vector<uint8_t> labels(all.labels.begin(), all.labels.begin() + 9000);
  const Dataset held_out = load_mnist_folder(GAN_DATA_DIR, "test");
  ClassifierConfig config;
  config.epochs = 3;
  std::vector<double> losses;
  DigitClassifier c = train_classifier(images, labels, config, [&](int, double loss) { losses.push_back(loss); });
  REQUIRE(losses.size() == 3);
  CHECK(losses.back() < losses.front());
  const double accuracy = c.accuracy(held_out.images, held_out.labels);
  INFO("held-out accuracy " << accuracy);
  CHECK(accuracy > 0.90);

  Matrix features;
  c.predict(images, nullptr, &features);
  const FeatureStats reference = feature_stats(features);
  const QualityScores real = score_digits(c, held_out.images, reference);
  const QualityScores noise = score_digits(c, uniform_noise(1000, 1), reference);
  Gan untrained(GanConfig{});
  const QualityScores blank = score_digits(c, sample_digits(untrained.G, 1000, 0, nullptr), reference);
  INFO("real: confident " << real.confident << " IS " << real.inception_score << " FD " << real.frechet);
  INFO("noise: confident " << noise.confident << " IS " << noise.inception_score << " FD " << noise.frechet);
  INFO("untrained: confident " << blank.confident << " IS " << blank.inception_score << " FD " << blank.frechet);
  // Thresholds: real digits are confidently classified, spread over all ten classes, and close to the training
  // digits' features; noise and an untrained generator fail by wide margins on at least the IS and the distance.
  CHECK(real.confident > 0.6);
  CHECK(real.class_entropy > 3.2);
  CHECK(real.inception_score > 7.0);
  for (const QualityScores* bad : {&noise, &blank}) {
    CHECK(bad->inception_score < real.inception_score / 2);
    CHECK(bad->frechet > 20 * real.frechet);
    CHECK(bad->confident < real.confident);
  }
}

TEST_CASE("the shipped classifier reads and classifies the held-out digits as it recorded", "[quality]") {
  const auto bytes = read_file(GAN_ASSETS_DIR "/digit-classifier.safetensors");
  std::map<std::string, std::string> meta;
  DigitClassifier c = load_classifier(bytes.data(), bytes.size(), &meta);
  const Dataset held_out = load_mnist_folder(GAN_DATA_DIR, "test");
  const double recorded = std::stod(meta.at("held_out_accuracy"));
  REQUIRE(held_out.images.rows() == 10000);  // MNIST's own test digits, which the 98% is measured on
  CHECK(meta.at("held_out_images") == "10000");
  CHECK(recorded >= 0.98);
  // Stored as F16, so a digit or two on the boundary may move.
  CHECK(c.accuracy(held_out.images, held_out.labels) == Approx(recorded).margin(0.003));
}

TEST_CASE("a classifier file whose widths metadata disagrees with its tensors is refused", "[quality]") {
  const auto bytes = save_classifier(DigitClassifier(Mlp(classifier_spec())), {{"dataset", "mnist"}});
  REQUIRE_NOTHROW(load_classifier(bytes.data(), bytes.size()));
  for (const char* widths : {"784,256,10", "garbage", "", "-784,512,128,10"}) {
    INFO("widths " << widths);
    SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
    f.metadata["widths"] = widths;
    const auto bad = write_safetensors(f);
    REQUIRE_THROWS_WITH(load_classifier(bad.data(), bad.size()),
                        Catch::Contains("metadata \"widths\" is") && Catch::Contains("784,512,128,10") &&
                            Catch::Contains("train a new one with `gan classifier`"));
  }
}

TEST_CASE("train_classifier names a bad label and a too-small set, with what to do", "[quality]") {
  const Matrix images = Matrix::Zero(4, 784);
  ClassifierConfig config;
  config.batch = 2;
  config.epochs = 1;
  REQUIRE_THROWS_WITH(train_classifier(images, {0, 1, 255, 3}, config),
                      Catch::Contains("label 255 (digit 2) is not a digit 0..9") && Catch::Contains("; "));
  config.batch = 5;
  REQUIRE_THROWS_WITH(train_classifier(images, {0, 1, 2, 3}, config),
                      Catch::Contains("at least one batch of 5 training digits, got 4") && Catch::Contains("; "));
  REQUIRE_THROWS_WITH(feature_stats(Matrix::Zero(1, 128)), Catch::Contains("at least 2 images, got 1; "));
}
