// The native GEMM engines (native/gemm_engine.h) against Eigen's product: every product shape of the seed's MLP and
// of the DCGAN, every transposition, odd sizes, accumulation and strided operands; and training through an
// installed engine is deterministic, does not depend on the thread count, and is close to the Eigen reference
// (tolerance: gemm_check.h).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "architectures.h"
#include "batches.h"
#include "gan.h"
#include "gemm_check.h"
#include "gemm_engine.h"
#include "network_gan.h"
#include "quality_metric.h"
#include "same_params.h"

using namespace gan;

namespace {

struct Product {
  int m, n, k;
  bool ta, tb;
};

void check_kernel(GemmKernel kernel, const Product& p, bool accumulate) {
  check_gemm(kernel, p.m, p.n, p.k, p.ta, p.tb, accumulate);
}

// The products Linear makes for a layer of `in` -> `out` features at `rows` rows: y = x W^T, dW = dY^T x, dX = dY W.
void add_linear_products(std::vector<Product>& out, int rows, int in, int features) {
  out.push_back({rows, features, in, false, true});
  out.push_back({features, in, rows, true, false});
  out.push_back({rows, in, features, false, false});
}

// Every product of a training step of the seed's MLP (G at 120 and 60 rows, D at 120 and 60) and of the DCGAN's
// convolutions (per sample: forward, weight gradient, input gradient), with its Linear layers at batch 60.
std::vector<Product> training_products() {
  std::vector<Product> all;
  const std::vector<int> g{100, 256, 512, 1024, 784}, d{784, 1024, 512, 256, 1};
  for (int rows : {60, 120}) {
    for (size_t i = 0; i + 1 < g.size(); ++i) add_linear_products(all, rows, g[i], g[i + 1]);
    for (size_t i = 0; i + 1 < d.size(); ++i) add_linear_products(all, rows, d[i], d[i + 1]);
  }
  add_linear_products(all, 60, 100, 256);          // DCGAN G's Linear(100, 256)
  add_linear_products(all, 60, 256, 128 * 7 * 7);  // its Linear(256, 6272)
  add_linear_products(all, 60, 110, 128 * 7 * 7);  // the conditional DCGAN G's Linear(110, 6272)
  add_linear_products(all, 60, 128 * 7 * 7, 1);    // the conditional DCGAN D's Linear(6272, 1)
  add_linear_products(all, 60, 128 * 7 * 7, 1024); // DCGAN D's Linear(6272, 1024)
  add_linear_products(all, 60, 1024, 1);           // and its Linear(1024, 1)
  // Conv2d (channels c -> o, patch c*16, positions pos): forward W[o, patch] cols[patch, pos], weight gradient
  // dY[o, pos] cols^T, input gradient W^T dY. ConvTranspose2d the other way round.
  struct Conv {
    int out, patch, pos;
  };
  for (const Conv& c : {Conv{64, 16, 196}, Conv{128, 1024, 49}}) {
    all.push_back({c.out, c.pos, c.patch, false, false});
    all.push_back({c.out, c.patch, c.pos, false, true});
    all.push_back({c.patch, c.pos, c.out, true, false});
  }
  for (const Conv& c : {Conv{128, 1024, 49}, Conv{64, 16, 196}}) {  // ConvTranspose2d: in channels, patch, positions
    all.push_back({c.patch, c.pos, c.out, true, false});
    all.push_back({c.out, c.patch, c.pos, false, true});
    all.push_back({c.out, c.pos, c.patch, false, false});
  }
  return all;
}

// The engines this build has besides Eigen.
std::vector<std::pair<std::string, GemmKernel>> native_kernels() {
  std::vector<std::pair<std::string, GemmKernel>> kernels;
  if (GemmKernel k = onednn_gemm_kernel()) kernels.push_back({"oneDNN", k});
  return kernels;
}

// Installs a kernel for one scope, and Eigen again after it.
struct InstalledKernel {
  InstalledKernel(const char* name, GemmKernel kernel) { install_gemm_kernel(name, kernel); }
  ~InstalledKernel() { install_gemm_kernel(nullptr, nullptr); }
};

GanConfig seed_3(int batch = 60) {
  GanConfig config;
  config.seed = 3;
  config.batch = batch;
  return config;
}

// `gan` after `steps` steps on batches of `data` (the seed's MLP or a layer-list GAN such as the DCGAN).
template <class Model>
Model trained(Model gan, int steps, const Matrix& data) {
  BatchSampler sampler(data, gan.config().batch, gan.config().seed);
  Matrix batch;
  for (int s = 0; s < steps; ++s) {
    sampler.fill_for_step(gan.step, batch);
    gan.train_step(batch, nullptr);
  }
  return gan;
}

Gan train_steps(int steps, const Matrix& data) { return trained(Gan(seed_3()), steps, data); }

}  // namespace

TEST_CASE("each native GEMM engine matches Eigen on every product of a training step", "[gemm][engine]") {
  for (const auto& [name, kernel] : native_kernels()) {
    INFO("engine " << name);
    // The weight gradients of the convolutions accumulate over the samples; every other product overwrites.
    for (const Product& p : training_products()) check_kernel(kernel, p, false);
    for (const Product& p : training_products()) check_kernel(kernel, p, true);
  }
}

TEST_CASE("each native GEMM engine matches Eigen for every transposition and odd sizes", "[gemm][engine]") {
  for (const auto& [name, kernel] : native_kernels()) {
    INFO("engine " << name);
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        for (bool accumulate : {false, true})
          for (const Product& p : {Product{1, 1, 1, ta, tb}, Product{5, 13, 7, ta, tb}, Product{7, 9, 257, ta, tb},
                                   Product{61, 101, 785, ta, tb}})
            check_kernel(kernel, p, accumulate);
  }
}

TEST_CASE("a native GEMM engine with no depth gives zeros, or leaves C alone when accumulating", "[gemm][engine]") {
  for (const auto& [name, kernel] : native_kernels()) {
    INFO("engine " << name);
    check_gemm_empty_sum(kernel);
  }
}

TEST_CASE("training through a native GEMM engine repeats bit for bit and stays close to Eigen", "[gemm][engine]") {
  const Matrix data = uniform_noise(300, 5);
  Gan reference = train_steps(20, data);
  for (const auto& [name, kernel] : native_kernels()) {
    INFO("engine " << name);
    InstalledKernel installed(name.c_str(), kernel);
    REQUIRE(std::string(gemm_engine_name()) == name);
    Gan a = train_steps(20, data), b = train_steps(20, data);
    CHECK(same_params(a.G, b.G));
    CHECK(same_params(a.D, b.D));
    // 20 Adam steps of lr 2e-4 move a weight by up to 4e-3; the engines' rounding moves it by far less.
    for (size_t i = 0; i < a.G.params().size(); ++i) {
      const ParamRef x = a.G.params()[i], y = reference.G.params()[i];
      for (size_t j = 0; j < x.size; ++j) REQUIRE(std::abs(x.value[j] - y.value[j]) < 2e-4f);
    }
  }
  REQUIRE(std::string(gemm_engine_name()) == "Eigen");
}

#ifdef _OPENMP
// The layers split each product across the threads by features (the convolutions by samples). An engine that
// computes each output the same way whatever its share makes the thread count invisible in the weights, so a run
// resumed on another --threads continues exactly (README, "Training"); Eigen's products round differently per share.
TEST_CASE("training through a native GEMM engine gives the same bits on one thread and on two", "[gemm][engine]") {
  const Matrix data = uniform_noise(300, 5);
  const int threads = omp_get_max_threads();
  auto train_dcgan = [&] { return trained(NetworkGan(find_architecture("dcgan"), seed_3(16)), 2, data); };
  for (const auto& [name, kernel] : native_kernels()) {
    INFO("engine " << name);
    InstalledKernel installed(name.c_str(), kernel);
    omp_set_num_threads(1);
    Gan one = train_steps(20, data);
    NetworkGan dcgan_one = train_dcgan();
    omp_set_num_threads(2);
    Gan two = train_steps(20, data);
    NetworkGan dcgan_two = train_dcgan();
    omp_set_num_threads(threads);
    CHECK(same_params(one.G, two.G));
    CHECK(same_params(one.D, two.D));
    CHECK(same_state(dcgan_one.G, dcgan_two.G));
    CHECK(same_state(dcgan_one.D, dcgan_two.D));
  }
}
#endif
