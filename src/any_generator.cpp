// A generator file read by the loader its architecture needs: a layer-list file or the seed's MLP layout.
#include "any_generator.h"

#include "labels.h"

namespace gan {

AnyGenerator::AnyGenerator(const uint8_t* data, size_t size) {
  if (is_layer_list_file(index_safetensors(data, size))) {
    network_ = std::make_unique<NetworkGenerator>(load_network_generator(data, size, &info_));
    architecture_ = network_->arch.name;
  } else {
    mlp_ = std::make_unique<Mlp>(load_generator(data, size, &info_));
    architecture_ = info_.classes > 0 ? "conditional" : "seed";
  }
}

std::vector<uint8_t> AnyGenerator::file(const std::string& dataset, int64_t step, DType dtype) const {
  if (mlp_) return save_generator(*mlp_, dataset, step, dtype);
  return save_network_generator(network_->net, network_->arch, dataset, step, dtype);
}

Matrix AnyGenerator::generate(const Matrix& z, const std::vector<int>* labels) {
  if (network_) return network_->generate(z, labels);
  if (info_.classes == 0) return mlp_->forward(z, false);
  Matrix input;
  append_one_hot(z, *labels, info_.classes, input);
  return mlp_->forward(input, false);
}

}  // namespace gan
