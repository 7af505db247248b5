// Confidence, class coverage, Inception-Score-style and Fréchet scores from the digit classifier's outputs.
#include "quality_metric.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <stdexcept>

#include "gan.h"
#include "labels.h"
#include "rng.h"

namespace gan {

namespace {

// The symmetric square root of a symmetric positive semi-definite matrix.
Eigen::MatrixXd sqrt_psd(const Eigen::MatrixXd& m) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(m);
  const Eigen::VectorXd roots = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return eig.eigenvectors() * roots.asDiagonal() * eig.eigenvectors().transpose();
}

}  // namespace

FeatureStats feature_stats(const Matrix& features) {
  if (features.rows() < 2)
    throw std::invalid_argument("the Frechet distance needs the features of at least 2 images, got " +
                                std::to_string(features.rows()) + "; score more images");
  const Eigen::MatrixXd f = features.cast<double>();
  FeatureStats s;
  s.count = features.rows();
  s.mean = f.colwise().mean().transpose();
  const Eigen::MatrixXd centred = f.rowwise() - s.mean.transpose();
  s.covariance = centred.transpose() * centred / static_cast<double>(s.count - 1);
  return s;
}

double frechet_distance(const FeatureStats& a, const FeatureStats& b) {
  if (a.mean.size() != b.mean.size()) throw std::invalid_argument("frechet_distance: feature sizes differ");
  const Eigen::MatrixXd root_a = sqrt_psd(a.covariance);
  const Eigen::MatrixXd middle = root_a * b.covariance * root_a;
  const double cross = sqrt_psd(0.5 * (middle + middle.transpose())).trace();
  return (a.mean - b.mean).squaredNorm() + a.covariance.trace() + b.covariance.trace() - 2.0 * cross;
}

QualityScores score_probabilities(const Matrix& p, const std::vector<int>* requested) {
  const Eigen::Index n = p.rows();
  if (n == 0 || p.cols() != DigitClassifier::kClasses) throw std::invalid_argument("score: needs [N, 10] probabilities");
  if (requested && static_cast<Eigen::Index>(requested->size()) != n)
    throw std::invalid_argument("score: one requested class per image");
  QualityScores s;
  s.count = n;
  Eigen::VectorXd marginal = Eigen::VectorXd::Zero(p.cols());
  int64_t confident = 0, matched = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best = 0;
    const float top = p.row(i).maxCoeff(&best);
    confident += top >= 0.9f;
    s.class_share[static_cast<size_t>(best)] += 1;
    if (requested) matched += best == (*requested)[static_cast<size_t>(i)];
    marginal += p.row(i).cast<double>().transpose();
  }
  marginal /= static_cast<double>(n);
  double kl = 0;  // mean over images of KL(p(y|x) || p(y))
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < p.cols(); ++c) {
      const double q = p(i, c);
      if (q > 0) kl += q * (std::log(q) - std::log(marginal[c]));
    }
  s.inception_score = std::exp(kl / static_cast<double>(n));
  s.confident = static_cast<double>(confident) / static_cast<double>(n);
  for (double& share : s.class_share) {
    share /= static_cast<double>(n);
    if (share > 0) s.class_entropy -= share * std::log2(share);
  }
  if (requested) s.label_match = static_cast<double>(matched) / static_cast<double>(n);
  return s;
}

QualityScores score_digits(DigitClassifier& classifier, const Matrix& images, const FeatureStats& reference,
                           const std::vector<int>* requested) {
  Matrix p, features;
  classifier.predict(images, &p, &features);
  QualityScores s = score_probabilities(p, requested);
  s.frechet = frechet_distance(feature_stats(features), reference);
  return s;
}

Matrix sample_digits(const DigitSource& generate, int z_dim, int classes, int count, uint64_t seed,
                     std::vector<int>* labels) {
  const Matrix z = Gan::sample_z(seed, count, z_dim);
  const std::vector<int> wanted = classes > 0 ? class_grid_labels(count, classes) : std::vector<int>();
  if (labels) *labels = wanted;
  return generate(z, classes > 0 ? &wanted : nullptr);
}

Matrix sample_digits(Mlp& G, int count, uint64_t seed, std::vector<int>* labels) {
  const int classes = G.spec().classes;
  return sample_digits(
      [&](const Matrix& z, const std::vector<int>* wanted) {
        if (!wanted) return Matrix(G.forward(z, false));
        Matrix input;
        append_one_hot(z, *wanted, classes, input);
        return Matrix(G.forward(input, false));
      },
      G.spec().data_inputs(), classes, count, seed, labels);
}

Matrix uniform_noise(int count, uint64_t seed) {
  Matrix noise(count, 784);
  Rng rng(seed);
  rng.uniform(noise.data(), static_cast<size_t>(noise.size()), -1.0f, 1.0f);
  return noise;
}

}  // namespace gan
