// The training step: real and fake go through D as one stacked batch, which is the seed's two forward passes
// with the same per-element dropout, summed losses and all (D has no BatchNorm, so each row is computed alone; the
// DCGAN's D has, and network_gan.cpp keeps its passes apart).
#include "gan.h"

#include <algorithm>
#include <stdexcept>

#include "labels.h"
#include "loss.h"
#include "moving_average.h"

namespace gan {

Gan::Gan(GanConfig config)
    : G(generator_spec(config.z_dim, config.classes)), D(discriminator_spec(config.classes)), config_(config) {
  if (config.classes < 0 || config.classes > 1000) throw std::invalid_argument("Gan: classes must be in 0..1000");
  Rng init_g(derive_seed(config.seed, static_cast<uint64_t>(Stream::InitG)));
  G.reset_parameters(init_g);
  Rng init_d(derive_seed(config.seed, static_cast<uint64_t>(Stream::InitD)));
  D.reset_parameters(init_d);
  opt_g = Adam(config.adam, G.param_sizes());
  opt_d = Adam(config.adam, D.param_sizes());
  if (!(config.real_label > 0 && config.real_label <= 1)) throw std::invalid_argument("Gan: real_label must be in (0, 1]");
  if (!(config.ema >= 0 && config.ema < 1)) throw std::invalid_argument("Gan: ema must be in [0, 1)");
  if (!(config.d_label_scale > 0 && config.d_label_scale <= 1000))
    throw std::invalid_argument("Gan: d_label_scale must be in (0, 1000]");
  if (config.ema > 0) G_ema = G;
}

Rng Gan::step_rng(int64_t s) const {
  return Rng(derive_seed(derive_seed(config_.seed, static_cast<uint64_t>(Stream::Noise)), static_cast<uint64_t>(s)));
}

Matrix Gan::sample_z(uint64_t seed, int n, int z_dim) {
  Matrix z(n, z_dim);
  Rng rng(seed);
  rng.normal(z.data(), static_cast<size_t>(z.size()));
  return z;
}

const Matrix& Gan::with_labels(const Matrix& x, const std::vector<int>& labels, Matrix& scratch, float hot) const {
  if (config_.classes == 0) return x;
  append_one_hot(x, labels, config_.classes, scratch);
  if (hot != 1.0f) scratch.rightCols(config_.classes) *= hot;
  return scratch;
}

Matrix Gan::generate(const Matrix& z, const std::vector<int>* labels) {
  if (config_.classes > 0 && !labels) throw std::invalid_argument("generate: the conditional GAN needs labels");
  return sampling_generator().forward(config_.classes > 0 ? with_labels(z, *labels, g_in_) : z, false);
}

StepStats Gan::train_step(const Matrix& real, const std::vector<int>* labels) {
  const Eigen::Index n = real.rows();
  if (real.cols() != 784) throw std::invalid_argument("train_step: real images must have 784 pixels");
  if (n <= 0) throw std::invalid_argument("train_step: empty batch");
  const int classes = config_.classes;
  if (classes > 0 && (!labels || static_cast<Eigen::Index>(labels->size()) != n))
    throw std::invalid_argument("train_step: the conditional GAN needs one label per real image");
  Rng rng = step_rng(step);
  StepStats stats;

  // G does not change between the D step and the G step, so both steps' fakes come from one forward pass over
  // [z_D; z_G]: rows 0..n-1 feed the D step, rows n..2n-1 the G step.
  z_.resize(2 * n, config_.z_dim);
  rng.normal(z_.data(), static_cast<size_t>(z_.size()));
  if (classes > 0) {
    fake_labels_.resize(static_cast<size_t>(2 * n));
    for (int& label : fake_labels_) label = static_cast<int>(rng.below(static_cast<uint32_t>(classes)));
    stacked_labels_.assign(labels->begin(), labels->end());
    stacked_labels_.insert(stacked_labels_.end(), fake_labels_.begin(), fake_labels_.begin() + n);
    g_labels_.assign(fake_labels_.begin() + n, fake_labels_.end());
  }
  const Matrix& fakes = G.forward(with_labels(z_, fake_labels_, g_in_), true);

  // D step: BCE(D(x), 1) + BCE(D(G(z_D)), 0), real and fake stacked into one batch.
  stacked_.resize(2 * n, 784);
  stacked_.topRows(n) = real;
  stacked_.bottomRows(n) = fakes.topRows(n);
  const Matrix& logits = D.forward(with_labels(stacked_, stacked_labels_, d_in_, config_.d_label_scale), true, &rng);
  Matrix grad_real, grad_fake;
  stats.d_loss = bce_with_logits(logits.topRows(n), config_.real_label, &grad_real) +
                 bce_with_logits(logits.bottomRows(n), 0.0f, &grad_fake);
  for (Eigen::Index i = 0; i < n; ++i) {
    stats.d_real += sigmoid(logits(i, 0));
    stats.d_fake += sigmoid(logits(n + i, 0));
  }
  stats.d_real /= static_cast<double>(n);
  stats.d_fake /= static_cast<double>(n);
  grad_logits_.resize(2 * n, 1);
  grad_logits_.topRows(n) = grad_real;
  grad_logits_.bottomRows(n) = grad_fake;
  D.backward(grad_logits_, nullptr, true);
  opt_d.step(D.params());

  // G step: BCE(D(G(z_G)), 1) through the updated D, still in training mode (dropout on) as in the seed.
  fake_g_ = fakes.bottomRows(n);
  const Matrix& logits2 = D.forward(with_labels(fake_g_, g_labels_, d_in_, config_.d_label_scale), true, &rng);
  stats.g_loss = bce_with_logits(logits2, 1.0f, &grad_logits_);
  D.backward(grad_logits_, &grad_image_, false);
  if (classes > 0) grad_image_ = grad_image_.leftCols(784).eval();  // the label columns are not G's output
  G.backward(grad_image_, nullptr, true, n);
  opt_g.step(G.params());
  if (config_.ema > 0) update_moving_average(G.params(), G_ema.params(), config_.ema, step);
  ++step;
  return stats;
}

}  // namespace gan
