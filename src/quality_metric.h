// The digit-quality metric: how a set of images looks to the digit classifier, compared with real digits.
#pragma once
#include <functional>
#include <array>
#include <cstdint>
#include <vector>

#include "digit_classifier.h"
#include "mlp.h"
#include "tensor.h"

namespace gan {

// Mean and covariance of feature rows (double, for the Fréchet distance).
struct FeatureStats {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;  // unbiased (divides by N - 1)
  int64_t count = 0;
};

FeatureStats feature_stats(const Matrix& features);

// ||m1 - m2||^2 + tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2): the Fréchet distance between two Gaussians, 0 for equal
// statistics. The square roots come from symmetric eigendecompositions, with tiny negative eigenvalues clamped to 0.
double frechet_distance(const FeatureStats& a, const FeatureStats& b);

struct QualityScores {
  int64_t count = 0;
  double confident = 0;        // share classified with probability >= 0.9
  double class_entropy = 0;    // entropy in bits of the histogram of predicted classes (all ten equally: 3.32)
  double inception_score = 0;  // exp(E[KL(p(y|x) || p(y))]): 1 (no information) to 10 (confident and all classes)
  double frechet = 0;          // Fréchet distance of the classifier's features to the reference (real) digits
  double label_match = -1;     // share classified as the class asked for (conditional samples only; else -1)
  std::array<double, DigitClassifier::kClasses> class_share{};  // histogram of predicted classes
};

// Scores `images` ([N, 784] in [-1, 1]) against `reference` (the features of real training digits). With
// `requested`, one class per image, label_match says how often the classifier sees the class that was asked for.
QualityScores score_digits(DigitClassifier& classifier, const Matrix& images, const FeatureStats& reference,
                           const std::vector<int>* requested = nullptr);

// `count` digits of generator G for scoring, from latent vectors drawn from `seed`. A class-conditional G is asked for
// every class in turn (digit i is class i % classes), and `labels` receives those classes.
Matrix sample_digits(Mlp& G, int count, uint64_t seed, std::vector<int>* labels);
// The same for a generator of any architecture: `generate` maps latent vectors (and classes) to digits.
using DigitSource = std::function<Matrix(const Matrix& z, const std::vector<int>* labels)>;
Matrix sample_digits(const DigitSource& generate, int z_dim, int classes, int count, uint64_t seed,
                     std::vector<int>* labels);

// `count` images of uniform noise in [-1, 1]: the metric's floor.
Matrix uniform_noise(int count, uint64_t seed);

// The scores from class probabilities alone (everything but the Fréchet distance).
QualityScores score_probabilities(const Matrix& probabilities, const std::vector<int>* requested = nullptr);

}  // namespace gan
