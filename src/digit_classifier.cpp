// Training, prediction and the file format of the digit classifier.
#include "digit_classifier.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "adam.h"
#include "format_error.h"
#include "loss.h"
#include "rng.h"
#include "safetensors.h"
#include "weights.h"

namespace gan {

namespace {
constexpr uint64_t kInitStream = 11, kShuffleStream = 12, kDropoutStream = 13;
constexpr int kPredictChunk = 500;  // rows per forward pass, so scoring 10,000 digits needs little memory
}  // namespace

MlpSpec classifier_spec() { return MlpSpec{{784, 512, 128, DigitClassifier::kClasses}, 0.2f, 0.25f, Head::Logit}; }

DigitClassifier::DigitClassifier(Mlp net) : net_(std::move(net)) {
  const auto& w = net_.spec().widths;
  if (w.size() < 3 || w.front() != 784 || w.back() != kClasses)
    throw std::invalid_argument("a digit classifier maps 784 pixels through a hidden layer to 10 classes");
}

void DigitClassifier::predict(const Matrix& images, Matrix* probabilities, Matrix* features) {
  if (images.cols() != 784) throw std::invalid_argument("the classifier takes 784-pixel images");
  const Eigen::Index n = images.rows();
  if (probabilities) probabilities->resize(n, kClasses);
  if (features) features->resize(n, feature_size());
  Matrix chunk;
  for (Eigen::Index at = 0; at < n; at += kPredictChunk) {
    const Eigen::Index rows = std::min<Eigen::Index>(kPredictChunk, n - at);
    chunk = images.middleRows(at, rows);
    Matrix logits = net_.forward(chunk, false);
    if (features) features->middleRows(at, rows) = net_.layer_output(net_.depth() - 2);
    if (probabilities) {
      softmax_rows(logits);
      probabilities->middleRows(at, rows) = logits;
    }
  }
}

double DigitClassifier::accuracy(const Matrix& images, const std::vector<uint8_t>& labels) {
  if (static_cast<Eigen::Index>(labels.size()) != images.rows())
    throw std::invalid_argument("accuracy: one label per image");
  if (labels.empty()) return 0;
  Matrix p;
  predict(images, &p, nullptr);
  int64_t right = 0;
  for (Eigen::Index i = 0; i < p.rows(); ++i) {
    Eigen::Index best = 0;
    p.row(i).maxCoeff(&best);
    right += best == labels[static_cast<size_t>(i)];
  }
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

DigitClassifier train_classifier(const Matrix& images, const std::vector<uint8_t>& labels, const ClassifierConfig& config,
                                 const std::function<void(int, double)>& on_epoch) {
  const Eigen::Index n = images.rows();
  if (static_cast<Eigen::Index>(labels.size()) != n) throw std::invalid_argument("train_classifier: one label per image");
  if (config.batch < 1 || n < config.batch)
    throw std::invalid_argument("the classifier needs at least one batch of " + std::to_string(config.batch) +
                                " training digits, got " + std::to_string(n) + "; train it on more digits");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= DigitClassifier::kClasses)
      throw std::invalid_argument("label " + std::to_string(labels[i]) + " (digit " + std::to_string(i) +
                                  ") is not a digit 0..9; train the classifier on digits labelled 0..9");
  Mlp net(classifier_spec());
  Rng init(derive_seed(config.seed, kInitStream));
  net.reset_parameters(init);
  AdamConfig adam_config;
  adam_config.lr = config.lr;
  adam_config.beta1 = 0.9;
  Adam adam(adam_config, net.param_sizes());

  std::vector<uint32_t> order(static_cast<size_t>(n));
  Matrix batch(config.batch, 784), grad;
  std::vector<int> batch_labels(static_cast<size_t>(config.batch));
  const int64_t per_epoch = n / config.batch;
  for (int epoch = 0; epoch < config.epochs; ++epoch) {
    // Cosine decay from lr towards 0: the last epochs settle instead of hopping around the minimum (97.7% on the
    // MNIST test digits at a constant lr over 15 epochs, 98.16% with the decay, 98.48% over 30).
    constexpr double kPi = 3.14159265358979323846;
    adam.set_lr(config.lr * 0.5 * (1 + std::cos(kPi * epoch / config.epochs)));
    Rng shuffle(derive_seed(derive_seed(config.seed, kShuffleStream), static_cast<uint64_t>(epoch)));
    shuffle_indices(order.data(), order.size(), shuffle);
    double total = 0;
    for (int64_t b = 0; b < per_epoch; ++b) {
      for (int i = 0; i < config.batch; ++i) {
        const uint32_t at = order[static_cast<size_t>(b * config.batch + i)];
        batch.row(i) = images.row(at);
        batch_labels[static_cast<size_t>(i)] = labels[at];
      }
      Rng dropout(derive_seed(derive_seed(config.seed, kDropoutStream), static_cast<uint64_t>(epoch * per_epoch + b)));
      const Matrix& logits = net.forward(batch, true, &dropout);
      total += softmax_cross_entropy(logits, batch_labels, &grad);
      net.backward(grad, nullptr, true);
      adam.step(net.params());
    }
    if (on_epoch) on_epoch(epoch + 1, total / static_cast<double>(per_epoch));
  }
  return DigitClassifier(std::move(net));
}

std::vector<uint8_t> save_classifier(const DigitClassifier& c, const std::map<std::string, std::string>& metadata) {
  SafeTensors file;
  file.metadata = metadata;
  std::string widths;
  for (int w : c.net().spec().widths) widths += (widths.empty() ? "" : ",") + std::to_string(w);
  file.metadata["kind"] = "classifier";
  file.metadata["format_version"] = kFormatVersion;
  file.metadata["widths"] = widths;
  add_network(file, "", c.net());
  return write_safetensors(file, DType::F16);
}

DigitClassifier load_classifier(const uint8_t* data, size_t size, std::map<std::string, std::string>* metadata) {
  const std::string what = "classifier file";
  const SafeTensorsView file = index_safetensors(data, size);
  auto kind = file.metadata.find("kind");
  if (kind == file.metadata.end() || kind->second != "classifier")
    throw FormatError("this is not a digit classifier (its metadata has no kind \"classifier\"); pass the file that "
                      "`gan classifier` writes, e.g. assets/digit-classifier.safetensors");
  Mlp net(classifier_spec());
  check_widths(file.metadata, net.spec().widths, what);
  read_network(file, "", net, what);
  if (metadata) *metadata = file.metadata;
  return DigitClassifier(std::move(net));
}

}  // namespace gan
