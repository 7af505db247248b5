// The page's generation path (LatentGrid, packed SIMD kernels; any architecture) as a node command: weights file, seed and count in,
// an .npy of digits out.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "digit_generator.h"
#include "gan.h"
#include "latent_grid.h"
#include "npy.h"
#include "weights.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: node wasm_generate.js WEIGHTS SEED COUNT OUT.npy\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw std::runtime_error(std::string("cannot read ") + argv[1]);
    const gan::LatentGrid grid(gan::load_digit_generator(bytes.data(), bytes.size()), std::stoi(argv[3]),
                               std::stoull(argv[2]));
    const auto npy = gan::write_npy(grid.digits());
    std::ofstream(argv[4], std::ios::binary).write(reinterpret_cast<const char*>(npy.data()), npy.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wasm_generate: %s\n", e.what());
    return 1;
  }
  return 0;
}
