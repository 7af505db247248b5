// The seed's MLP GAN (and its conditional variant) as a GanModel.
#pragma once
#include <memory>

#include "gan_model.h"

namespace gan {

class MlpGanModel : public GanModel {
 public:
  explicit MlpGanModel(Gan& gan) : gan_(&gan) {}  // a view: `gan` must outlive the model
  explicit MlpGanModel(Gan&& gan) : owned_(std::make_unique<Gan>(std::move(gan))), gan_(owned_.get()) {}

  std::unique_ptr<GanModel> clone() const override { return std::make_unique<MlpGanModel>(Gan(*gan_)); }
  void assign(const GanModel& other) override;
  const GanConfig& config() const override { return gan_->config(); }
  std::string architecture() const override { return gan_->config().classes > 0 ? "conditional" : "seed"; }
  int64_t steps_taken() const override { return gan_->step; }
  StepStats train_step(const Matrix& real, const std::vector<int>* labels) override {
    return gan_->train_step(real, labels);
  }
  Matrix generate(const Matrix& z, const std::vector<int>* labels) override { return gan_->generate(z, labels); }
  std::vector<uint8_t> checkpoint(const TrainProgress& progress) const override;
  std::vector<uint8_t> generator_file(const std::string& dataset, DType dtype) const override;
  std::vector<uint8_t> discriminator_file(const std::string& dataset) const override;
  Gan* mlp_gan() override { return gan_; }

 private:
  std::unique_ptr<Gan> owned_;
  Gan* gan_;
};

}  // namespace gan
