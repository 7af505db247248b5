// `gan classifier`: trains the digit classifier that `gan eval` judges generated digits with.
#pragma once
#include <string>

#include "digit_classifier.h"
#include "quality_judge.h"

namespace gan {

struct ClassifierOptions {
  std::string data_dir = "data/mnist";
  std::string out = kDefaultClassifier;
  ClassifierConfig config;
  bool quiet = false;
};

int run_classifier(const ClassifierOptions& options);

}  // namespace gan
