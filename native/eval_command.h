// `gan eval`: scores a generator's digits with the project's classifier, next to real digits and noise.
#pragma once
#include <cstdint>
#include <string>

#include "quality_judge.h"

namespace gan {

struct EvalOptions {
  std::string weights;
  std::string classifier = kDefaultClassifier;
  std::string data_dir = "data/mnist";
  int count = 10000;  // fewer samples make the Frechet distance noisier and biased upwards
  uint64_t seed = 0;
  bool json = false;  // one JSON object per row on stdout instead of the table
};

int run_eval(const EvalOptions& options);

}  // namespace gan
