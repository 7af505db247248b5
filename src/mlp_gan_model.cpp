// The MLP GAN's files, as weights.cpp writes them.
#include "mlp_gan_model.h"

#include <stdexcept>

#include "weights.h"

namespace gan {

void MlpGanModel::assign(const GanModel& other) {
  const auto* from = dynamic_cast<const MlpGanModel*>(&other);
  if (!from || from->architecture() != architecture() || from->config().z_dim != config().z_dim)
    throw std::invalid_argument("MlpGanModel::assign: " + other.architecture() + " is not this model's architecture");
  *gan_ = *from->gan_;
}

std::vector<uint8_t> MlpGanModel::checkpoint(const TrainProgress& progress) const {
  return save_checkpoint(*gan_, progress);
}

std::vector<uint8_t> MlpGanModel::generator_file(const std::string& dataset, DType dtype) const {
  return save_generator(gan_->sampling_generator(), dataset, gan_->step, dtype);
}

std::vector<uint8_t> MlpGanModel::discriminator_file(const std::string& dataset) const {
  return save_discriminator(gan_->D, gan_->config().z_dim, dataset, gan_->step);
}

}  // namespace gan
