// The seed's MLP GAN and its conditional variant, and the DCGAN and its conditional variant, sized for 28x28 digits
// (about 16 MFLOP a generated DCGAN digit, 15 for the conditional one).
#include "architectures.h"

#include <stdexcept>

namespace gan {

namespace {

// The seed's G: Linear(z, 256), LeakyReLU(0.2), Linear(256, 512), LeakyReLU(0.2), Linear(512, 1024), LeakyReLU(0.2),
// Linear(1024, 784), Tanh.
std::vector<LayerSpec> seed_generator() {
  return {linear(256), leaky_relu(0.2f), linear(512), leaky_relu(0.2f), linear(1024), leaky_relu(0.2f), linear(784),
          tanh_layer()};
}

// The seed's D: Linear(784, 1024), LeakyReLU(0.2), Dropout(0.5), Linear(1024, 512), LeakyReLU(0.2), Dropout(0.5),
// Linear(512, 256), LeakyReLU(0.2), Dropout(0.5), Linear(256, 1): a logit (the seed's Sigmoid lives in the loss).
std::vector<LayerSpec> seed_discriminator() {
  return {linear(1024), leaky_relu(0.2f), dropout(0.5f), linear(512), leaky_relu(0.2f), dropout(0.5f), linear(256),
          leaky_relu(0.2f), dropout(0.5f), linear(1)};
}

Architecture seed_mlp(int classes) {
  Architecture a;
  a.name = classes > 0 ? "conditional" : "seed";
  a.file_tag = classes > 0 ? kConditionalMlpTag : kSeedMlpTag;
  a.engine = Architecture::Engine::Mlp;
  a.classes = classes;
  a.d_labels = Architecture::DLabels::OneHot;
  a.generator = seed_generator();
  a.discriminator = seed_discriminator();
  a.init = Init::PyTorchDefault;
  return a;
}

// G: Linear(z, 128*7*7), BatchNorm1d, ReLU, Unflatten to 128x7x7, ConvTranspose2d(128, 64, 4, 2, 1) to 64x14x14,
// BatchNorm2d, ReLU, ConvTranspose2d(64, 1, 4, 2, 1) to 1x28x28, Tanh. Layers followed by BatchNorm have no bias
// (BatchNorm's own shift replaces it), as in PyTorch's DCGAN example.
//
// The unconditional G first maps z through Linear(z, 256), BatchNorm1d, ReLU. Without the class as an input, G itself
// must choose which digit to draw, and one linear map from z to the 7x7 layout learned shapes slowly: Fréchet
// distance 249 at 10,000 steps and 145 at 30,000, against 138 at 6,000 with this layer (docs/quality.md). It adds
// 1.0 M of the digit's 8.3 M multiply-adds. The conditional G, given the class, keeps the single map.
std::vector<LayerSpec> dcgan_generator(bool choose_digit) {
  std::vector<LayerSpec> layers;
  if (choose_digit) layers = {linear(256, false), batch_norm(), relu()};
  const std::vector<LayerSpec> drawing{linear(128 * 7 * 7, false), batch_norm(), relu(), reshape({128, 7, 7}),
                                       conv_transpose2d(64, 4, 2, 1, false), batch_norm(), relu(),
                                       conv_transpose2d(1, 4, 2, 1), tanh_layer()};
  layers.insert(layers.end(), drawing.begin(), drawing.end());
  return layers;
}

// D: Conv2d(in, 64, 4, 2, 1) to 64x14x14, LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1) to 128x7x7, BatchNorm2d,
// LeakyReLU(0.2), Flatten, Linear(128*7*7, 1): a logit (the sigmoid lives in the loss).
//
// The unconditional D judges through a hidden layer first, Linear(128*7*7, 1024), BatchNorm1d, LeakyReLU(0.2), as
// InfoGAN's MNIST D does. With the single linear map, G's confident share stalled at 0.85-0.87 up to 41,000 steps
// (Fréchet distance 49-60); with the hidden layer it was 0.91 from 12,000 steps on, and the G shipped after 50,000
// steps scores 0.913 and 17.2 (docs/quality.md). It doubles D's multiply-adds a digit (6.4 M added to 6.6 M). The
// conditional D, told the class, met its goals without it.
std::vector<LayerSpec> dcgan_discriminator(bool choose_digit) {
  std::vector<LayerSpec> layers{conv2d(64, 4, 2, 1), leaky_relu(0.2f), conv2d(128, 4, 2, 1, false), batch_norm(),
                                leaky_relu(0.2f), flatten()};
  if (choose_digit) layers.insert(layers.end(), {linear(1024, false), batch_norm(), leaky_relu(0.2f)});
  layers.push_back(linear(1));
  return layers;
}

Architecture dcgan(int classes) {
  Architecture a;
  a.name = classes > 0 ? "conditional-dcgan" : "dcgan";
  a.file_tag = a.name + "-gan";
  a.classes = classes;
  a.generator = dcgan_generator(classes == 0);
  a.discriminator = dcgan_discriminator(classes == 0);
  return a;
}

}  // namespace

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> all{seed_mlp(0), seed_mlp(10), dcgan(0), dcgan(10)};
  return all;
}

const std::vector<Architecture>& layer_architectures() {
  static const std::vector<Architecture> lists = [] {
    std::vector<Architecture> out;
    for (const Architecture& a : architectures())
      if (a.engine == Architecture::Engine::LayerList) out.push_back(a);
    return out;
  }();
  return lists;
}

Architecture find_architecture(const std::string& name) {
  for (const Architecture& a : architectures())
    if (a.name == name) return a;
  throw std::invalid_argument("no architecture is called \"" + name + "\"");
}

const Architecture* architecture_for_file_tag(const std::string& tag) {
  for (const Architecture& a : layer_architectures())
    if (a.file_tag == tag) return &a;
  return nullptr;
}

}  // namespace gan
