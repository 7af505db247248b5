// Loads the classifier file and measures the real digits' feature statistics once.
#include "quality_judge.h"

#include "file_io.h"
#include "format_error.h"

namespace gan {

namespace {

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

}  // namespace

QualityJudge::QualityJudge(const std::string& classifier_path, const Matrix& real_images)
    : classifier_(read_classifier(classifier_path, &accuracy_)) {
  Matrix features;
  classifier_.predict(real_images, nullptr, &features);
  reference_ = feature_stats(features);
}

QualityScores QualityJudge::score_generator(Mlp& G, int count, uint64_t seed) {
  std::vector<int> labels;
  const Matrix images = sample_digits(G, count, seed, &labels);
  return score(images, labels.empty() ? nullptr : &labels);
}

}  // namespace gan
