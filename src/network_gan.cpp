// The layer-list GAN's training step, after PyTorch's DCGAN example.
#include "network_gan.h"

#include <algorithm>
#include <stdexcept>

#include "labels.h"
#include "loss.h"
#include "moving_average.h"
#include "network_files.h"

namespace gan {

namespace {

// The architecture with the run's z size, and the config with the architecture's classes.
Architecture with_z(Architecture arch, int z_dim) {
  arch.z_dim = z_dim;
  return arch;
}

double mean_sigmoid(const Matrix& logits) {
  double sum = 0;
  for (Eigen::Index i = 0; i < logits.rows(); ++i) sum += sigmoid(logits(i, 0));
  return sum / static_cast<double>(logits.rows());
}

}  // namespace

void NetworkGan::assign(const GanModel& other) {
  const auto* from = dynamic_cast<const NetworkGan*>(&other);
  if (!from || from->architecture() != architecture() || from->config().z_dim != config().z_dim)
    throw std::invalid_argument("NetworkGan::assign: " + other.architecture() + " is not this model's architecture");
  *this = *from;
}

NetworkGan::NetworkGan(Architecture arch, GanConfig config)
    : G(arch.generator, with_z(arch, config.z_dim).generator_input()),
      D(arch.discriminator, arch.discriminator_input()),
      arch_(with_z(std::move(arch), config.z_dim)),
      config_(config) {
  config_.classes = arch_.classes;
  if (arch_.engine != Architecture::Engine::LayerList)
    throw std::invalid_argument(arch_.name + " takes the seed's step (gan.cpp), not the DCGAN's");
  if (!(config.real_label > 0 && config.real_label <= 1)) throw std::invalid_argument("real_label must be in (0, 1]");
  if (!(config.ema >= 0 && config.ema < 1)) throw std::invalid_argument("ema must be in [0, 1)");
  if (G.output_shape().size() != arch_.image.size() || D.output_shape().size() != 1)
    throw std::invalid_argument(arch_.name + ": G must make " + arch_.image.str() + " images and D one logit");
  Rng init_g(derive_seed(config.seed, static_cast<uint64_t>(Stream::InitG)));
  G.reset_parameters(init_g, arch_.init);
  Rng init_d(derive_seed(config.seed, static_cast<uint64_t>(Stream::InitD)));
  D.reset_parameters(init_d, arch_.init);
  opt_g = Adam(config.adam, G.param_sizes());
  opt_d = Adam(config.adam, D.param_sizes());
  if (config.ema > 0) G_ema = G;
}

Rng NetworkGan::step_rng(int64_t s) const {
  return Rng(derive_seed(derive_seed(config_.seed, static_cast<uint64_t>(Stream::Noise)), static_cast<uint64_t>(s)));
}

const Matrix& generator_input(const Architecture& arch, const Matrix& z, const std::vector<int>* labels, Matrix& scratch) {
  if (arch.classes == 0) return z;
  if (!labels) throw std::invalid_argument(arch.name + " needs a class for every latent vector");
  append_one_hot(z, *labels, arch.classes, scratch);
  return scratch;
}

const Matrix& discriminator_input(const Architecture& arch, const Matrix& images, const std::vector<int>* labels,
                                  Matrix& scratch) {
  if (arch.classes == 0) return images;
  if (!labels || static_cast<Eigen::Index>(labels->size()) != images.rows())
    throw std::invalid_argument(arch.name + " needs a class for every image");
  const int pixels = arch.image.size();
  scratch.setZero(images.rows(), static_cast<Eigen::Index>(pixels) * (1 + arch.classes));
  scratch.leftCols(images.cols()) = images;
  for (Eigen::Index i = 0; i < images.rows(); ++i) {
    const int c = (*labels)[static_cast<size_t>(i)];
    if (c < 0 || c >= arch.classes) throw std::invalid_argument("a label is outside 0.." + std::to_string(arch.classes - 1));
    scratch.row(i).segment(static_cast<Eigen::Index>(pixels) * (1 + c), pixels).setOnes();
  }
  return scratch;
}

StepStats NetworkGan::train_step(const Matrix& real, const std::vector<int>* labels) {
  const Eigen::Index n = real.rows();
  if (real.cols() != arch_.image.size() || n <= 1)
    throw std::invalid_argument("train_step: a batch of at least two " + arch_.image.str() + " images is needed");
  if (arch_.classes > 0 && (!labels || static_cast<Eigen::Index>(labels->size()) != n))
    throw std::invalid_argument("train_step: the conditional GAN needs one label per real image");
  Rng rng = step_rng(step);
  StepStats stats;
  z_.resize(n, config_.z_dim);
  rng.normal(z_.data(), static_cast<size_t>(z_.size()));
  fake_labels_.resize(arch_.classes > 0 ? static_cast<size_t>(n) : 0);
  for (int& label : fake_labels_) label = static_cast<int>(rng.below(static_cast<uint32_t>(arch_.classes)));
  const std::vector<int>* fake_labels = arch_.classes > 0 ? &fake_labels_ : nullptr;
  const Matrix& fake = G.forward(generator_input(arch_, z_, fake_labels, g_in_), true);

  // D step. BatchNorm in D normalises each pass with that pass's own statistics, so real and fake go separately
  // (one stacked batch would mix them); the gradients of the two losses add up as two backward() calls do in PyTorch.
  const Matrix& real_logits = D.forward(discriminator_input(arch_, real, labels, d_in_), true, &rng);
  stats.d_loss = bce_with_logits(real_logits, config_.real_label, &grad_logits_);
  stats.d_real = mean_sigmoid(real_logits);
  D.backward(grad_logits_, nullptr, true);
  const Matrix& fake_logits = D.forward(discriminator_input(arch_, fake, fake_labels, d_in_), true, &rng);
  stats.d_loss += bce_with_logits(fake_logits, 0.0f, &grad_logits_);
  stats.d_fake = mean_sigmoid(fake_logits);
  D.backward(grad_logits_, nullptr, true, /*accumulate=*/true);
  opt_d.step(D.params());

  // G step: the same fakes through the updated D.
  const Matrix& logits = D.forward(discriminator_input(arch_, fake, fake_labels, d_in_), true, &rng);
  stats.g_loss = bce_with_logits(logits, 1.0f, &grad_logits_);
  D.backward(grad_logits_, &grad_image_, false);
  if (arch_.classes > 0) grad_image_ = grad_image_.leftCols(arch_.image.size()).eval();  // not the label planes
  G.backward(grad_image_, nullptr, true);
  opt_g.step(G.params());
  if (config_.ema > 0) update_average();
  ++step;
  return stats;
}

void NetworkGan::update_average() {
  // The MLP's schedule (moving_average.h). BatchNorm's running statistics are copied, not averaged: they describe
  // the live G's activations.
  update_moving_average(G.params(), G_ema.params(), config_.ema, step);
  auto from = G.buffers(), to = G_ema.buffers();
  for (size_t b = 0; b < from.size(); ++b)
    std::copy(from[b].tensor.value, from[b].tensor.value + from[b].tensor.size, to[b].tensor.value);
}

Matrix NetworkGan::generate(const Matrix& z, const std::vector<int>* labels) {
  return sampling_generator().forward(generator_input(arch_, z, labels, g_in_), false);
}

std::vector<uint8_t> NetworkGan::checkpoint(const TrainProgress& progress) const {
  return save_network_checkpoint(*this, progress);
}

std::vector<uint8_t> NetworkGan::generator_file(const std::string& dataset, DType dtype) const {
  return save_network_generator(sampling_generator(), arch_, dataset, step, dtype);
}

std::vector<uint8_t> NetworkGan::discriminator_file(const std::string& dataset) const {
  return save_network_discriminator(D, arch_, dataset, step);
}

}  // namespace gan
