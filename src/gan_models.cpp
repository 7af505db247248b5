// The architecture names and the one switch from a name or a file to a model.
#include "gan_models.h"

#include <stdexcept>

#include "architectures.h"
#include "mlp_gan_model.h"
#include "network_files.h"
#include "weights.h"

namespace gan {

const std::vector<std::string>& architecture_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Architecture& a : architectures()) out.push_back(a.name);
    return out;
  }();
  return names;
}

std::unique_ptr<GanModel> make_gan_model(const std::string& arch, GanConfig config) {
  const Architecture a = find_architecture(arch);
  if (a.engine == Architecture::Engine::LayerList) return std::make_unique<NetworkGan>(a, config);
  config.classes = a.classes;
  return std::make_unique<MlpGanModel>(Gan(config));
}

std::unique_ptr<GanModel> load_gan_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress) {
  if (is_layer_list_file(index_safetensors(data, size)))
    return std::make_unique<NetworkGan>(load_network_checkpoint(data, size, progress));
  return std::make_unique<MlpGanModel>(load_checkpoint(data, size, progress));
}

}  // namespace gan
