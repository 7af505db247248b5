// Loads the classifier file and measures the real digits' feature statistics once.
#include "quality_judge.h"

#include "file_io.h"
#include "format_error.h"

namespace gan {

DigitClassifier read_classifier(const std::string& path, std::string* accuracy) {
  if (!file_exists(path))
    throw UserError("no digit classifier at " + path + "; run gan from the project folder, pass --classifier, or "
                    "train one with `gan classifier --out " + path + "`");
  const auto bytes = read_file(path, uint64_t{64} << 20);
  std::map<std::string, std::string> meta;
  try {
    DigitClassifier c = load_classifier(bytes.data(), bytes.size(), &meta);
    *accuracy = meta.count("held_out_accuracy") ? meta.at("held_out_accuracy") : "";
    return c;
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), "pass the file `gan classifier` writes");
  }
}

namespace {

// The folder's test digits, else (a folder without a test split) its training digits.
Dataset reference_digits(const std::string& data_dir, bool* is_test) {
  *is_test = has_mnist_split(data_dir, "test");
  return load_mnist_folder(data_dir, *is_test ? "test" : "train");
}

}  // namespace

QualityJudge::QualityJudge(const std::string& classifier_path, const std::string& data_dir)
    : classifier_(read_classifier(classifier_path, &accuracy_)) {
  const Dataset real = reference_digits(data_dir, &reference_is_test_);
  if (real.images.rows() < 2)
    throw UserError(real.images_path + " holds 1 digit; the Frechet distance compares against real digits and needs "
                    "at least 2, so pass --data with a folder of real digits such as MNIST");
  Matrix features;
  classifier_.predict(real.images, nullptr, &features);
  reference_ = feature_stats(features);
  reference_name_ = std::to_string(real.images.rows()) + (reference_is_test_ ? " test" : " training") +
                    " digits of " + real.name;
}

QualityScores QualityJudge::score_generator(Mlp& G, int count, uint64_t seed) {
  std::vector<int> labels;
  const Matrix images = sample_digits(G, count, seed, &labels);
  return score(images, labels.empty() ? nullptr : &labels);
}

QualityScores QualityJudge::score_source(const DigitSource& generate, int z_dim, int classes, int count, uint64_t seed) {
  std::vector<int> labels;
  const Matrix images = sample_digits(generate, z_dim, classes, count, seed, &labels);
  return score(images, labels.empty() ? nullptr : &labels);
}

}  // namespace gan
