// Every architecture `gan train --arch` knows, made fresh or from a checkpoint, behind the one GanModel interface.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "gan_model.h"

namespace gan {

// "seed", "conditional" (the MLPs), "dcgan", "conditional-dcgan" (layer lists).
const std::vector<std::string>& architecture_names();
// A fresh model; throws std::invalid_argument for an unknown name or settings it cannot take.
std::unique_ptr<GanModel> make_gan_model(const std::string& arch, GanConfig config);
// A checkpoint of any architecture (FormatError when it is not one).
std::unique_ptr<GanModel> load_gan_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress);

}  // namespace gan
