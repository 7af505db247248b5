// `gan generate`: digits from a generator file, from a seed or from latent vectors in a .npy file.
#pragma once
#include <cstdint>
#include <string>

namespace gan {

struct GenerateOptions {
  std::string weights;
  int count = 25;
  uint64_t seed = 0;
  int digit = -1;         // class-conditional generators: this class for every digit (-1: rows of all classes)
  std::string z_file;     // .npy of [N, z] float32; overrides count and seed
  std::string png;        // grid output
  std::string npy;        // [N, 784] float32 in [-1, 1]
  int cols = 0;           // 0 = square-ish
  int scale = 2;
  std::string device = "cpu";  // where the generator runs: cpu or cuda
};

int run_generate(const GenerateOptions& options);

}  // namespace gan
