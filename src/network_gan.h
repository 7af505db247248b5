// A GAN whose two networks are layer lists (the DCGAN and its conditional variant), trained as PyTorch's DCGAN
// example trains: D on a real batch and on a fake batch in separate passes, then G through the updated D.
#pragma once
#include <vector>

#include "architectures.h"
#include "gan_model.h"
#include "network.h"

namespace gan {

class NetworkGan : public GanModel {
 public:
  // `config.classes` is taken from the architecture; its z size from the config.
  NetworkGan(Architecture arch, GanConfig config);

  const Architecture& arch() const { return arch_; }
  Network G, D;
  Network G_ema;  // the moving average of G when config().ema > 0
  Adam opt_g, opt_d;
  int64_t step = 0;

  std::unique_ptr<GanModel> clone() const override { return std::make_unique<NetworkGan>(*this); }
  void assign(const GanModel& other) override;
  const GanConfig& config() const override { return config_; }
  std::string architecture() const override { return arch_.name; }
  int64_t steps_taken() const override { return step; }
  // One step (randomness from step_rng(step): z, then the fakes' labels, then nothing else: no dropout here):
  //   D: BCE(D(x), real_label) backward, then BCE(D(G(z).detach()), 0) backward, gradients summed; Adam on D.
  //   G: BCE(D(G(z)), 1) through the updated D (still in training mode, as in the example); Adam on G.
  StepStats train_step(const Matrix& real, const std::vector<int>* labels) override;
  Matrix generate(const Matrix& z, const std::vector<int>* labels) override;
  std::vector<uint8_t> checkpoint(const TrainProgress& progress) const override;
  std::vector<uint8_t> generator_file(const std::string& dataset, DType dtype) const override;
  std::vector<uint8_t> discriminator_file(const std::string& dataset) const override;

  Network& sampling_generator() { return config_.ema > 0 ? G_ema : G; }
  const Network& sampling_generator() const { return config_.ema > 0 ? G_ema : G; }
  Rng step_rng(int64_t s) const;

 private:
  void update_average();

  Architecture arch_;
  GanConfig config_;
  Matrix z_, g_in_, d_in_, grad_logits_, grad_image_;
  std::vector<int> fake_labels_;
};

// G's input: z, with the one-hot labels appended for a conditional architecture.
const Matrix& generator_input(const Architecture& arch, const Matrix& z, const std::vector<int>* labels, Matrix& scratch);
// D's input: the images, with `classes` constant label planes after them (1 on the plane of the image's class).
const Matrix& discriminator_input(const Architecture& arch, const Matrix& images, const std::vector<int>* labels,
                                  Matrix& scratch);

}  // namespace gan
