// The one place that describes each layer-list GAN: its two networks, their inputs, its initialisation and the name
// its files carry. Their training step (network_gan.cpp) sends real and fake through D in separate passes: with
// BatchNorm in D one stacked batch would normalise both with mixed statistics. (The seed's MLP may stack them, and
// does: without BatchNorm every row is computed alone, so one stacked batch is exactly its two passes.)
#pragma once
#include <string>
#include <vector>

#include "layer.h"

namespace gan {

struct Architecture {
  std::string name;       // the --arch value: "dcgan", "conditional-dcgan"
  std::string file_tag;   // the "architecture" metadata of its files: "dcgan-gan", "conditional-dcgan-gan"
  int z_dim = 100;
  int classes = 0;        // > 0: a one-hot label joins G's z and D's image (as `classes` constant planes)
  Shape image{1, 28, 28};
  std::vector<LayerSpec> generator, discriminator;
  Init init = Init::Dcgan;

  Shape generator_input() const { return Shape{z_dim + classes, 1, 1}; }
  Shape discriminator_input() const { return Shape{image.channels + classes, image.height, image.width}; }
  // The sample grid: 25 digits in rows of 5, or for a conditional model rows of one digit of every class.
  int grid_columns() const { return classes > 0 ? classes : 5; }
  int grid_count() const { return classes > 0 ? 5 * classes : 25; }
};

// The layer-list architectures `gan train --arch` knows, by name; throws std::invalid_argument for another name.
Architecture find_architecture(const std::string& name);
// The same, by the "architecture" metadata of a file; nullptr when no layer-list architecture has that tag.
const Architecture* architecture_for_file_tag(const std::string& tag);
const std::vector<Architecture>& layer_architectures();

}  // namespace gan
