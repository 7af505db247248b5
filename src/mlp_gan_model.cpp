// The MLP GAN's files, as weights.cpp writes them.
#include "mlp_gan_model.h"

#include "weights.h"

namespace gan {

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
