// Where the page's generate time goes: each layer of a layer-list generator's drawing form (8-bit layers marked)
// timed alone, in the wasm core under node.
// Usage: node build/wasm/tests/wasm/wasm_layer_times.js GENERATOR.safetensors [DIGITS]
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "best_time.h"
#include "matrix_product.h"
#include "inference_network.h"
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
    gan::InferenceNetwork g = gan::load_inference_network(bytes.data(), bytes.size());
    const gan::Network& net = g.network();
    const int digits = argc == 3 ? std::stoi(argv[2]) : 64;
    gan::Matrix z(digits, net.input_shape().size());
    gan::Rng rng(1);
    rng.normal(z.data(), static_cast<size_t>(z.size()));
    std::vector<gan::Matrix> outputs(net.size());
    const gan::Matrix* x = &z;
    for (size_t i = 0; i < net.size(); ++i) {  // the pool's helpers start here
      g.layer_forward(i, *x, outputs[i]);
      x = &outputs[i];
    }
    std::printf("%s, %d digits, %zu threads, %s\n", argv[1], digits, gan::pool_threads(), gan::gemm_engine_name());
    double total = 0;
    x = &z;
    for (size_t i = 0; i < net.size(); ++i) {
      gan::Matrix y;
      const double s = best_seconds_per_call([&] { g.layer_forward(i, *x, y); });
      total += s;
      std::printf("  layer %zu  %8.3f ms%s\n", i, s * 1e3, g.quantized(i) ? "  (8-bit)" : "");
      x = &outputs[i];
    }
    gan::Matrix digits_out(digits, 784);
    const double whole = best_seconds_per_call([&] { g.forward(z.data(), digits, digits_out.data()); });
    std::printf("  sum of layers %.3f ms, whole forward %.3f ms\n", total * 1e3, whole * 1e3);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wasm_layer_times: %s\n", e.what());
    return 1;
  }
  return 0;
}
