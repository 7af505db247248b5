// `gan directions`: fits the named latent directions of a generator and writes them as its JSON sidecar.
#pragma once
#include <cstdint>
#include <string>

namespace gan {

struct DirectionsOptions {
  std::string weights;
  std::string classifier;
  std::string out;   // the sidecar, .json
  std::string png;   // optional: a strip per direction, -3 to +3
  int count = 5000;  // digits to fit on
  int check_count = 1000;  // held-out latent vectors the effects are measured on
  uint64_t seed = 0;
};

int run_directions(const DirectionsOptions& options);

}  // namespace gan
