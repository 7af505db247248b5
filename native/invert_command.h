// `gan invert`: the latent vectors (and classes) a generator draws closest to pictures of digits.
#pragma once
#include <cstdint>
#include <string>

namespace gan {

struct InvertOptions {
  std::string weights;
  std::string image;    // a picture (PNG, JPEG, ...) of one digit, or a .npy of digits (N, 784) in [-1, 1]
  std::string out;      // .npy of (N, z) float32, or .json with the classes (needed for a conditional generator)
  std::string png;      // optional: each target beside the digit found
  int restarts = 16;
  int steps = 1000;
  double lr = 0.05;     // Adam's learning rate on z (the page's quick search: 4 restarts, 600 steps, 0.2)
  uint64_t seed = 0;
};

int run_invert(const InvertOptions& options);

}  // namespace gan
