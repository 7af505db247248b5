// Ridge regressions on z, a projection away from the class directions, and the measured effect of a move.
#include "latent_directions.h"

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <stdexcept>

namespace gan {

namespace {

// Columns of W [z_dim, k]: the ridge regression of each column of y on z (both centred).
Eigen::MatrixXd ridge(const Eigen::MatrixXd& zc, const Eigen::MatrixXd& yc) {
  const double lambda = 1e-3 * double(zc.rows());
  Eigen::MatrixXd a = zc.transpose() * zc;
  a.diagonal().array() += lambda;
  return a.ldlt().solve(zc.transpose() * yc);
}

Eigen::MatrixXd centred(const Matrix& m) {
  Eigen::MatrixXd d = m.cast<double>();
  return d.rowwise() - d.colwise().mean();
}

std::vector<int> classes_of(DigitClassifier& judge, const Matrix& digits) {
  Matrix p;
  judge.predict(digits, &p, nullptr);
  std::vector<int> c(size_t(p.rows()));
  for (Eigen::Index r = 0; r < p.rows(); ++r) p.row(r).maxCoeff(&c[size_t(r)]);
  return c;
}

}  // namespace

Matrix class_scores(DigitClassifier& judge, const Matrix& digits) {
  Matrix p;
  judge.predict(digits, &p, nullptr);
  return p.array().max(1e-6f).log().matrix();
}

std::vector<LatentDirection> fit_directions(const Matrix& z, const Matrix& attributes, const Matrix& class_scores) {
  if (attributes.rows() != z.rows() || attributes.cols() != kAttributes ||
      (class_scores.cols() > 0 && class_scores.rows() != z.rows()))
    throw std::invalid_argument("fit_directions: one row of attributes (and class scores) per latent vector");
  if (z.rows() <= z.cols()) throw std::invalid_argument("fit_directions: needs more digits than latent dimensions");
  const Eigen::MatrixXd zc = centred(z);
  const Eigen::MatrixXd w = ridge(zc, centred(attributes));
  Eigen::MatrixXd q(z.cols(), 0);
  if (class_scores.cols() > 0) {
    const Eigen::MatrixXd c = ridge(zc, centred(class_scores));
    q = c.householderQr().householderQ() * Eigen::MatrixXd::Identity(c.rows(), c.cols());  // orthonormal span
  }
  std::vector<LatentDirection> out;
  for (int a = 0; a < kAttributes; ++a) {
    Eigen::VectorXd d = w.col(a);
    d -= q * (q.transpose() * d);
    d /= d.norm();
    out.push_back({kAllAttributes[size_t(a)], d.transpose().cast<float>()});
  }
  return out;
}

std::vector<DirectionEffect> measure_direction_effects(const DigitSource& draw, DigitClassifier& judge, const Matrix& z,
                                                       const std::vector<int>* labels,
                                                       const std::vector<LatentDirection>& directions, float step) {
  const Matrix before = draw(z, labels);
  const Matrix attributes_before = measure_attributes(before);
  const std::vector<int> classes_before = classes_of(judge, before);
  std::vector<DirectionEffect> effects;
  for (const LatentDirection& d : directions) {
    const Matrix after = draw(z.rowwise() + step * d.direction, labels);
    const int column = static_cast<int>(d.attribute);
    DirectionEffect e;
    e.change = (measure_attributes(after).col(column) - attributes_before.col(column)).cast<double>().mean();
    const std::vector<int> classes_after = classes_of(judge, after);
    for (size_t i = 0; i < classes_after.size(); ++i) e.class_kept += classes_before[i] == classes_after[i];
    e.class_kept /= double(classes_after.size());
    effects.push_back(e);
  }
  return effects;
}

}  // namespace gan
