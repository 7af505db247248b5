// The quality metric as the command line uses it: the classifier file plus the real digits it compares against.
#pragma once
#include <string>

#include "mnist_files.h"
#include "quality_metric.h"

namespace gan {

// Where `gan eval` and `gan train --eval-every` look for the classifier unless told otherwise.
inline constexpr const char* kDefaultClassifier = "assets/digit-classifier.safetensors";

// The classifier file at `path` (a UserError saying what to do when it is missing or not a classifier); `accuracy`
// receives the held-out accuracy it records ("" when none).
DigitClassifier read_classifier(const std::string& path, std::string* accuracy);

class QualityJudge {
 public:
  // Loads the classifier (a clear UserError when it is missing or not a classifier) and the features of the real
  // digits that every Fréchet distance is measured against: the test digits of `data_dir` (10,000 for MNIST, never
  // trained on), or its training digits when the folder has no test split.
  QualityJudge(const std::string& classifier_path, const std::string& data_dir);

  QualityScores score(const Matrix& images, const std::vector<int>* requested = nullptr) {
    return score_digits(classifier_, images, reference_, requested);
  }
  // `count` digits of G from `seed`, scored (conditional generators are asked for every class in turn).
  QualityScores score_generator(Mlp& G, int count, uint64_t seed);
  // The same for a generator of any architecture.
  QualityScores score_source(const DigitSource& generate, int z_dim, int classes, int count, uint64_t seed);

  // The held-out accuracy recorded in the classifier file ("" when it records none).
  const std::string& recorded_accuracy() const { return accuracy_; }
  // The digits the Fréchet distance compares against, e.g. "10000 test digits of mnist".
  const std::string& reference_name() const { return reference_name_; }
  // Whether those are the folder's test split (so its training digits are a fair real-digits row).
  bool reference_is_test() const { return reference_is_test_; }

 private:
  std::string accuracy_;  // before classifier_: the constructor fills it while loading the classifier
  DigitClassifier classifier_;
  FeatureStats reference_;
  std::string reference_name_;
  bool reference_is_test_ = false;
};

}  // namespace gan
