// Files of the layer-list GANs: generators and discriminators as PyTorch state_dicts (running statistics included),
// and checkpoints, in the same safetensors format and with the same checks as the MLP's.
#pragma once
#include <cstdint>
#include <vector>

#include "network_gan.h"
#include "weights.h"

namespace gan {

std::vector<uint8_t> save_network_generator(const Network& G, const Architecture& arch, const std::string& dataset,
                                            int64_t step, DType dtype = DType::F32);
std::vector<uint8_t> save_network_discriminator(const Network& D, const Architecture& arch, const std::string& dataset,
                                                int64_t step);
std::vector<uint8_t> save_network_checkpoint(const NetworkGan& gan, const TrainProgress& progress);

// Whether a file holds a layer-list network: its metadata names such an architecture, or (a state_dict PyTorch
// wrote, without metadata) it has BatchNorm statistics where the DCGAN generator keeps them.
bool is_layer_list_file(const SafeTensorsView& file);

struct NetworkGenerator {
  Architecture arch;
  Network net;
  // Digits in [-1, 1], one per row of z (and label, for a conditional architecture), in evaluation mode.
  Matrix generate(const Matrix& z, const std::vector<int>* labels);
};
// A generator file of a layer-list architecture: every tensor by name and shape, finite, BatchNorm variances not
// negative; the metadata, when present, agreeing with the tensors. FormatError otherwise.
NetworkGenerator load_network_generator(const uint8_t* data, size_t size, GeneratorInfo* info = nullptr);
NetworkGan load_network_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress);

}  // namespace gan
