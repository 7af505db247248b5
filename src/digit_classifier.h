// The project's own digit classifier, the judge of the quality metric: an MLP trained on the real digits, whose
// class probabilities and penultimate features score generated samples.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mlp.h"
#include "tensor.h"

namespace gan {

struct ClassifierConfig {
  int epochs = 30;
  int batch = 100;
  double lr = 1e-3;    // Adam, betas (0.9, 0.999)
  uint64_t seed = 0;   // initialisation, batch order and dropout
};

// 784 -> 512 -> 128 -> 10 with LeakyReLU(0.2) and dropout 0.25 while training; the 128 features of the last hidden
// layer are what the Fréchet distance compares.
MlpSpec classifier_spec();

class DigitClassifier {
 public:
  explicit DigitClassifier(Mlp net);

  static constexpr int kClasses = 10;
  int feature_size() const { return net_.spec().widths[net_.spec().widths.size() - 2]; }

  // Class probabilities [N, 10] and features [N, feature_size()] of images [N, 784] in [-1, 1] (either may be null).
  void predict(const Matrix& images, Matrix* probabilities, Matrix* features);
  // Share of `images` whose most probable class is their label.
  double accuracy(const Matrix& images, const std::vector<uint8_t>& labels);

  const Mlp& net() const { return net_; }

 private:
  Mlp net_;
};

// Trains a classifier on [N, 784] images and their labels; `on_epoch(epoch, mean loss)` reports progress.
DigitClassifier train_classifier(const Matrix& images, const std::vector<uint8_t>& labels, const ClassifierConfig& config,
                                 const std::function<void(int, double)>& on_epoch = {});

// The classifier file: safetensors with kind "classifier", the widths, and whatever `metadata` adds (its held-out
// accuracy, the data it learned from).
std::vector<uint8_t> save_classifier(const DigitClassifier& c, const std::map<std::string, std::string>& metadata);
DigitClassifier load_classifier(const uint8_t* data, size_t size, std::map<std::string, std::string>* metadata = nullptr);

}  // namespace gan
