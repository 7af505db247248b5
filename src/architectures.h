// The one place that describes each GAN architecture: its two networks as layer lists, their inputs, its
// initialisation and the name its files carry. Every network runs as a layer list (network.h); two training steps
// drive them. The seed's MLPs (Engine::Mlp) take gan.cpp's step, bit for bit the seed, which stacks real and fake
// into one batch for D: without BatchNorm every row is computed alone, so that is exactly the seed's two passes. The
// DCGANs (Engine::LayerList) take network_gan.cpp's step, which sends real and fake through D in separate passes:
// with BatchNorm in D one stacked batch would normalise both with mixed statistics.
#pragma once
#include <string>
#include <vector>

#include "layer.h"

namespace gan {

// The "architecture" metadata of the MLPs' files (weights.cpp writes and checks them).
constexpr const char* kSeedMlpTag = "seed-mlp-gan";
constexpr const char* kConditionalMlpTag = "conditional-mlp-gan";

struct Architecture {
  enum class Engine { Mlp, LayerList };
  // How a conditional D reads the class: a one-hot vector after the flattened image (the MLP; its hot entry is
  // GanConfig::d_label_scale), or `classes` constant planes after the image's channels (the DCGAN).
  enum class DLabels { OneHot, Planes };

  std::string name;       // the --arch value: "seed", "conditional", "dcgan", "conditional-dcgan"
  std::string file_tag;   // the "architecture" metadata of its files: "seed-mlp-gan", ..., "conditional-dcgan-gan"
  Engine engine = Engine::LayerList;
  int z_dim = 100;
  int classes = 0;        // > 0: a one-hot label joins G's z, and D reads the class as `d_labels` says
  DLabels d_labels = DLabels::Planes;
  Shape image{1, 28, 28};
  std::vector<LayerSpec> generator, discriminator;
  Init init = Init::Dcgan;

  Shape generator_input() const { return Shape{z_dim + classes, 1, 1}; }
  Shape discriminator_input() const {
    if (d_labels == DLabels::OneHot) return Shape{image.size() + classes, 1, 1};
    return Shape{image.channels + classes, image.height, image.width};
  }
};

// Every architecture `gan train --arch` knows, the MLPs first.
const std::vector<Architecture>& architectures();
// By name; throws std::invalid_argument for another name.
Architecture find_architecture(const std::string& name);
// The layer-list ones (Engine::LayerList): the files network_files.cpp reads.
const std::vector<Architecture>& layer_architectures();
// A layer-list architecture by the "architecture" metadata of a file; nullptr when none has that tag.
const Architecture* architecture_for_file_tag(const std::string& tag);

}  // namespace gan
