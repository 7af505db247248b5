// The quality metric's arithmetic: Fréchet distance, confidence, class entropy, Inception-Score-style score, softmax
// cross-entropy, and the classifier file.
#include <catch2/catch.hpp>
#include <cmath>

#include "digit_classifier.h"
#include "grad_check.h"
#include "loss.h"
#include "quality_metric.h"
#include "weights.h"

using namespace gan;
using Catch::Matchers::Contains;

namespace {

FeatureStats gaussian(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov) {
  FeatureStats s;
  s.mean = mean;
  s.covariance = cov;
  s.count = 1000;
  return s;
}

Matrix one_hot_rows(const std::vector<int>& classes, float top) {
  Matrix p = Matrix::Constant(static_cast<Eigen::Index>(classes.size()), 10, (1.0f - top) / 9.0f);
  for (size_t i = 0; i < classes.size(); ++i) p(static_cast<Eigen::Index>(i), classes[i]) = top;
  return p;
}

}  // namespace

TEST_CASE("Fréchet distance: zero for equal statistics, closed forms for shifted and diagonal Gaussians", "[quality]") {
  Eigen::MatrixXd a = Eigen::MatrixXd::Random(6, 6);
  const Eigen::MatrixXd cov = a * a.transpose() + Eigen::MatrixXd::Identity(6, 6);
  const Eigen::VectorXd mean = Eigen::VectorXd::LinSpaced(6, -1, 1);
  CHECK(std::fabs(frechet_distance(gaussian(mean, cov), gaussian(mean, cov))) < 1e-9);

  Eigen::VectorXd shift = Eigen::VectorXd::Zero(6);
  shift[2] = 3;
  CHECK(frechet_distance(gaussian(mean, cov), gaussian(mean + shift, cov)) == Approx(9.0).margin(1e-9));

  // Diagonal covariances: sum over dimensions of (sqrt(a) - sqrt(b))^2.
  const Eigen::VectorXd da = Eigen::VectorXd::LinSpaced(6, 1, 6), db = Eigen::VectorXd::LinSpaced(6, 4, 0.5);
  double want = 0;
  for (int i = 0; i < 6; ++i) want += std::pow(std::sqrt(da[i]) - std::sqrt(db[i]), 2);
  const double got = frechet_distance(gaussian(mean, da.asDiagonal().toDenseMatrix()),
                                      gaussian(mean, db.asDiagonal().toDenseMatrix()));
  CHECK(got == Approx(want).epsilon(1e-9));
  CHECK(frechet_distance(gaussian(mean, da.asDiagonal().toDenseMatrix()), gaussian(mean, cov)) ==
        Approx(frechet_distance(gaussian(mean, cov), gaussian(mean, da.asDiagonal().toDenseMatrix()))).epsilon(1e-9));

  // Sample statistics: unbiased covariance.
  Matrix f(3, 2);
  f << 1, 0, 2, 2, 3, 4;
  const FeatureStats s = feature_stats(f);
  CHECK(s.mean[0] == Approx(2));
  CHECK(s.covariance(0, 0) == Approx(1));
  CHECK(s.covariance(0, 1) == Approx(2));
  CHECK(s.covariance(1, 1) == Approx(4));
}

TEST_CASE("classifier scores: confident share, class entropy, Inception-Score-style score, label match", "[quality]") {
  std::vector<int> all_classes;
  for (int i = 0; i < 100; ++i) all_classes.push_back(i % 10);
  const QualityScores ideal = score_probabilities(one_hot_rows(all_classes, 1.0f), &all_classes);
  CHECK(ideal.confident == 1.0);
  CHECK(ideal.class_entropy == Approx(std::log2(10.0)));
  CHECK(ideal.inception_score == Approx(10.0));
  CHECK(ideal.label_match == 1.0);
  for (double share : ideal.class_share) CHECK(share == Approx(0.1));

  const QualityScores collapsed = score_probabilities(one_hot_rows(std::vector<int>(100, 7), 1.0f));
  CHECK(collapsed.class_entropy == Approx(0.0).margin(1e-12));
  CHECK(collapsed.inception_score == Approx(1.0));
  CHECK(collapsed.confident == 1.0);
  CHECK(collapsed.label_match == -1);
  CHECK(collapsed.class_share[7] == 1.0);

  const QualityScores unsure = score_probabilities(one_hot_rows(all_classes, 0.5f));
  CHECK(unsure.confident == 0.0);
  CHECK(unsure.inception_score > 1.0);
  CHECK(unsure.inception_score < ideal.inception_score);

  std::vector<int> shifted(all_classes);
  for (int& c : shifted) c = (c + 1) % 10;
  CHECK(score_probabilities(one_hot_rows(all_classes, 0.95f), &shifted).label_match == 0.0);
  CHECK_THROWS(score_probabilities(Matrix(0, 10)));
}

TEST_CASE("softmax cross-entropy: value, gradient, and no overflow", "[quality][loss]") {
  Matrix logits(2, 3);
  logits << 1, 2, 3, 0, 0, 0;
  const std::vector<int> labels{2, 0};
  const double want = ((std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3) + std::log(3.0)) / 2;
  Matrix grad;
  CHECK(softmax_cross_entropy(logits, labels, &grad) == Approx(want).epsilon(1e-6));
  CHECK(gan::testing::check_gradient(logits.data(), grad.data(), 6,
                                     [&] { return softmax_cross_entropy(logits, labels); }, 1e-3f, 1e-2, 1e-5) <= 1.0);
  Matrix huge(1, 3);
  huge << 1000, -1000, 0;
  CHECK(std::isfinite(softmax_cross_entropy(huge, {1})));
  CHECK(softmax_cross_entropy(huge, {1}) == Approx(2000));
  CHECK_THROWS_WITH(softmax_cross_entropy(huge, {3}), Contains("label 3"));
}

TEST_CASE("classifier file round trip, and other files are refused", "[quality][formats]") {
  Mlp net(classifier_spec());
  Rng rng(3);
  net.reset_parameters(rng);
  DigitClassifier c(net);
  const auto bytes = save_classifier(c, {{"held_out_accuracy", "0.9510"}});
  std::map<std::string, std::string> meta;
  DigitClassifier back = load_classifier(bytes.data(), bytes.size(), &meta);
  CHECK(meta.at("held_out_accuracy") == "0.9510");
  CHECK(meta.at("kind") == "classifier");
  Matrix images(7, 784);
  rng.uniform(images.data(), static_cast<size_t>(images.size()), -1.0f, 1.0f);
  Matrix p1, p2, f1;
  c.predict(images, &p1, &f1);
  back.predict(images, &p2, nullptr);
  CHECK((p1 - p2).cwiseAbs().maxCoeff() < 2e-3f);  // stored as F16
  CHECK(f1.cols() == 128);
  CHECK(p1.rowwise().sum().isOnes(1e-5f));

  const auto generator = save_generator(Mlp(generator_spec()), "mnist", 0);
  CHECK_THROWS_WITH(load_classifier(generator.data(), generator.size()), Contains("not a digit classifier"));
}
