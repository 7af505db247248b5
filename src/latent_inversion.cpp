// Inversion by gradient descent on z: many starts as one batch through the generator's own backward pass.
#include "latent_inversion.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "adam.h"
#include "rng.h"

namespace gan {

namespace {

constexpr int kPixels = 784;

void check_inputs(const Network& G, int z_dim, int classes, const Matrix& targets, const InversionOptions& opt) {
  if (z_dim < 1 || classes < 0) throw std::invalid_argument("invert: z_dim must be positive and classes not negative");
  if (G.input_shape().size() != z_dim + classes || G.output_shape().size() != kPixels)
    throw std::invalid_argument("invert: the generator reads " + std::to_string(G.input_shape().size()) +
                                " values and draws " + std::to_string(G.output_shape().size()) + ", expected " +
                                std::to_string(z_dim + classes) + " and 784");
  if (targets.cols() != kPixels) throw std::invalid_argument("invert: each target digit must have 784 pixels");
  if (!targets.allFinite()) throw std::invalid_argument("invert: a target digit has a NaN or infinite pixel");
  if (opt.restarts < 1 || opt.steps < 0) throw std::invalid_argument("invert: restarts must be at least 1, steps at least 0");
  if (!(opt.lr > 0) || !(opt.prior >= 0)) throw std::invalid_argument("invert: lr must be positive and prior not negative");
}

// The batch of starts: row r works on target r / starts; within a target, start s tries class s / restarts.
struct Starts {
  Eigen::Index per_target = 0;
  Matrix z, input, goal;  // [rows, z_dim], [rows, z_dim + classes], [rows, 784]
  std::vector<int> label;

  Starts(int z_dim, int classes, const Matrix& targets, const InversionOptions& opt)
      : per_target(Eigen::Index(opt.restarts) * std::max(1, classes)) {
    const Eigen::Index rows = targets.rows() * per_target;
    z.resize(rows, z_dim);
    Rng rng(opt.seed);
    rng.normal(z.data(), static_cast<size_t>(z.size()));
    input = Matrix::Zero(rows, z_dim + classes);
    input.leftCols(z_dim) = z;
    goal.resize(rows, kPixels);
    label.assign(static_cast<size_t>(rows), -1);
    for (Eigen::Index r = 0; r < rows; ++r) {
      goal.row(r) = targets.row(r / per_target);
      if (classes == 0) continue;
      label[size_t(r)] = static_cast<int>((r % per_target) / opt.restarts);
      input(r, z_dim + label[size_t(r)]) = 1.0f;
    }
  }
};

// d/dz of prior * (|z|^2 / z_dim - 1)^2, added to grad.
void add_prior_gradient(const Matrix& z, float prior, Matrix& grad) {
  if (prior == 0) return;
  const float d = static_cast<float>(z.cols());
  for (Eigen::Index r = 0; r < z.rows(); ++r) {
    const float excess = z.row(r).squaredNorm() / d - 1.0f;
    grad.row(r) += (prior * 4.0f * excess / d) * z.row(r);
  }
}

// The lowest error each start reached, and its z then.
struct BestSoFar {
  Eigen::VectorXf error;
  Matrix z;

  explicit BestSoFar(const Matrix& start) : error(Eigen::VectorXf::Constant(start.rows(), INFINITY)), z(start) {}
  void update(const Eigen::VectorXf& now, const Matrix& z_now) {
    for (Eigen::Index r = 0; r < now.size(); ++r) {
      if (!(now[r] < error[r])) continue;
      error[r] = now[r];
      z.row(r) = z_now.row(r);
    }
  }
  // Per target, the best of its starts.
  std::vector<Inversion> per_target(const Starts& starts, Eigen::Index targets) const {
    std::vector<Inversion> found;
    for (Eigen::Index t = 0; t < targets; ++t) {
      Eigen::Index best = t * starts.per_target;
      for (Eigen::Index r = best + 1; r < (t + 1) * starts.per_target; ++r)
        if (error[r] < error[best]) best = r;
      found.push_back(Inversion{z.row(best), starts.label[size_t(best)], error[best]});
    }
    return found;
  }
};

}  // namespace

std::vector<Inversion> invert_digits(Network& G, int z_dim, int classes, const Matrix& targets,
                                     const InversionOptions& opt, const InversionProgress& progress) {
  check_inputs(G, z_dim, classes, targets, opt);
  Starts starts(z_dim, classes, targets, opt);
  BestSoFar best(starts.z);
  Adam adam(AdamConfig{opt.lr, 0.9, 0.999, 1e-8}, {static_cast<size_t>(starts.z.size())});
  Matrix diff, grad_input, grad_z;
  bool stopped = false;
  for (int step = 0;; ++step) {
    // Each step's forward pass also scores the last update.
    diff = G.forward(starts.input, false) - starts.goal;
    best.update(diff.rowwise().squaredNorm() / float(kPixels), starts.z);
    if (step == opt.steps || stopped) break;
    diff *= 2.0f / float(kPixels);  // d mean((G(z) - target)^2) / dG(z)
    G.backward(diff, &grad_input, false);
    grad_z = grad_input.leftCols(z_dim);
    add_prior_gradient(starts.z, opt.prior, grad_z);
    adam.step({{starts.z.data(), grad_z.data(), static_cast<size_t>(starts.z.size())}});
    starts.input.leftCols(z_dim) = starts.z;
    stopped = progress && !progress(step + 1, opt.steps);
  }
  return best.per_target(starts, targets.rows());
}

}  // namespace gan
