// The architecture names and the one switch from a name or a file to a model.
#include "gan_models.h"

#include <stdexcept>

#include "mlp_gan_model.h"
#include "network_files.h"
#include "weights.h"

namespace gan {

const std::vector<std::string>& architecture_names() {
  static const std::vector<std::string> names{"seed", "conditional", "dcgan", "conditional-dcgan"};
  return names;
}

bool is_conditional_architecture(const std::string& name) { return name == "conditional" || name == "conditional-dcgan"; }

std::unique_ptr<GanModel> make_gan_model(const std::string& arch, GanConfig config) {
  if (arch == "seed" || arch == "conditional") {
    config.classes = arch == "conditional" ? 10 : 0;
    return std::make_unique<MlpGanModel>(Gan(config));
  }
  return std::make_unique<NetworkGan>(find_architecture(arch), config);
}

std::unique_ptr<GanModel> load_gan_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress) {
  if (is_layer_list_file(index_safetensors(data, size)))
    return std::make_unique<NetworkGan>(load_network_checkpoint(data, size, progress));
  return std::make_unique<MlpGanModel>(load_checkpoint(data, size, progress));
}

}  // namespace gan
