// Where the page's generate time goes: each layer of a layer-list generator timed alone, in the wasm core under node.
// Usage: node build/wasm/tests/wasm/wasm_layer_times.js GENERATOR.safetensors [DIGITS]
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "best_time.h"
#include "matrix_product.h"
#include "network_files.h"
#include "parallel.h"
#include "rng.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: node wasm_layer_times.js GENERATOR.safetensors [DIGITS]\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gan::NetworkGenerator g = gan::load_network_generator(bytes.data(), bytes.size());
    const int digits = argc == 3 ? std::stoi(argv[2]) : 64;
    gan::Matrix z(digits, g.net.input_shape().size());
    gan::Rng rng(1);
    rng.normal(z.data(), static_cast<size_t>(z.size()));
    g.net.forward(z, false);  // the pool's helpers start here
    std::printf("%s, %d digits, %zu threads, %s\n", argv[1], digits, gan::pool_threads(), gan::gemm_engine_name());
    double total = 0;
    const gan::Matrix* x = &z;
    for (size_t i = 0; i < g.net.size(); ++i) {
      gan::Matrix y;
      const double s = best_seconds_per_call([&] { g.net.layer(i).forward(*x, y, false, nullptr); });
      total += s;
      std::printf("  layer %zu  %8.3f ms\n", i, s * 1e3);
      x = &g.net.layer_output(i);
    }
    const double whole = best_seconds_per_call([&] { g.net.forward(z, false); });
    std::printf("  sum of layers %.3f ms, whole forward %.3f ms\n", total * 1e3, whole * 1e3);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wasm_layer_times: %s\n", e.what());
    return 1;
  }
  return 0;
}
