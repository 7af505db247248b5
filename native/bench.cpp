// Times train_step on real batches and a square SGEMM by each library built in, in the same process and thread
// setting.
#include "bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "devices.h"
#include "file_io.h"
#include "gemm_engine.h"
#include "gan.h"
#include "gan_models.h"
#include "network_gan.h"
#include "mnist_files.h"
#include "threads.h"

namespace gan {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double layer_flops(const std::vector<int>& widths, int rows) {
  double f = 0;
  for (size_t i = 0; i + 1 < widths.size(); ++i) f += 2.0 * rows * widths[i] * widths[i + 1];
  return f;
}

}  // namespace

double network_flops_per_step(int batch, const Network& G, const Network& D) {
  double g = 0, d = 0;
  for (double f : G.product_flops()) g += f;
  for (double f : D.product_flops()) d += f;
  const double g_first = G.product_flops().front(), d_first = D.product_flops().front();
  // G forward; D forward on real, fake, fake; D's parameter gradients twice and input gradients (but the first
  // layer's) twice in the D step, all input gradients once in the G step; G's parameter and input gradients.
  return batch * ((g + 3 * d) + (2 * d + 2 * (d - d_first) + d) + (g + g - g_first));
}

double flops_per_step(int batch, int z_dim) {
  const std::vector<int> g = generator_spec(z_dim).widths, d = discriminator_spec().widths;
  const int n = batch;
  // D step: G forward (n), D forward (2n), D weight gradients (2n), D input gradients except the first layer (2n).
  const double d_step = layer_flops(g, n) + 3 * layer_flops(d, 2 * n) - layer_flops({d[0], d[1]}, 2 * n);
  // G step: G forward, D forward, D input gradients (all layers), G weight gradients, G input gradients but the first.
  const double g_step = layer_flops(g, n) + 2 * layer_flops(d, n) + 2 * layer_flops(g, n) -
                        layer_flops({g[0], g[1]}, n);
  return d_step + g_step;
}

int run_bench(const BenchOptions& opt) {
  if (opt.iterations < 1 || opt.warmup < 0 || opt.batch < 1) throw UserError("bench: iterations and batch must be positive");
  const int threads = set_threads(opt.threads);
  GanConfig config;
  config.batch = opt.batch;
  const std::unique_ptr<GanModel> model = make_gan_model(opt.arch, config);
  check_train_device(opt.device, *model, opt.tf32);  // a refusal does not wait for the data to load
  Dataset data = load_mnist_folder(opt.data_dir, "train");
  if (data.images.rows() < opt.batch)
    throw UserError(opt.data_dir + " has " + std::to_string(data.images.rows()) + " images, fewer than one batch of " +
                    std::to_string(opt.batch) + "; lower --batch, or pass --data with more images");
  if (model->config().classes > 0 && data.labels.empty())
    throw UserError(opt.data_dir + " has no label file, which --arch " + opt.arch + " needs");
  const auto backend = make_train_backend(opt.device, *model, data.images, &data.labels, threads, opt.tf32);
  backend->run(opt.warmup);
  const auto t0 = Clock::now();
  backend->run(opt.iterations);  // returns once the device has finished every step
  const double secs = seconds_since(t0);
  const double its = opt.iterations / secs;
  const auto* layers = dynamic_cast<const NetworkGan*>(model.get());
  const double flops = layers ? network_flops_per_step(opt.batch, layers->G, layers->D) : flops_per_step(opt.batch, config.z_dim);
  const double train_gflops = its * flops * 1e-9;
  if (opt.device != "cpu") {
    if (opt.json) {
      std::printf(
          "{\"framework\":\"gan\",\"device\":\"%s\",\"backend\":\"%s\",\"tf32\":%s,\"batch\":%d,"
          "\"iters\":%d,\"seconds\":%.3f,\"its_per_s\":%.3f,\"gflop_per_iter\":%.4f,\"train_gflops\":%.1f}\n",
          opt.device.c_str(), backend->describe().c_str(), opt.tf32 ? "true" : "false", opt.batch, opt.iterations, secs,
          its, flops * 1e-9, train_gflops);
    } else {
      std::printf("gan bench: batch %d on %s, %d iterations in %.2f s\n", opt.batch, backend->describe().c_str(),
                  opt.iterations, secs);
      std::printf("  %.1f iterations/s (%.3f ms each), %.2f GFLOP per iteration -> %.1f GFLOP/s\n", its, 1e3 / its,
                  flops * 1e-9, train_gflops);
    }
    return 0;
  }
  const std::vector<SgemmPeak> peaks = sgemm_peaks(1024);
  const SgemmPeak best = *std::max_element(peaks.begin(), peaks.end(), [](const SgemmPeak& x, const SgemmPeak& y) {
    return x.gflops < y.gflops;
  });
  if (opt.json) {
    std::printf("{\"framework\":\"gan\",\"arch\":\"%s\",\"threads\":%d,\"batch\":%d,\"iters\":%d,\"its_per_s\":%.3f,\"gflop_per_iter\":%.4f,"
                "\"train_gflops\":%.1f,\"gemm_engine\":\"%s\",\"sgemm1024_gflops\":%.1f,\"sgemm1024_library\":\"%s\"}\n",
                opt.arch.c_str(), threads, opt.batch, opt.iterations, its, flops * 1e-9, train_gflops,
                gemm_engine_name(), best.gflops, best.library);
  } else {
    std::printf("gan bench: %s, batch %d, %d threads, %d iterations in %.2f s, products by %s\n", opt.arch.c_str(),
                opt.batch, threads, opt.iterations, secs, gemm_engine_name());
    std::printf("  %.1f iterations/s (%.2f ms each)\n", its, 1e3 / its);
    std::printf("  %.2f GFLOP per iteration -> %.1f GFLOP/s, %.0f%% of this machine's best SGEMM (%s, %.1f GFLOP/s at "
                "1024^3, %d threads", flops * 1e-9, train_gflops, 100.0 * train_gflops / best.gflops, best.library,
                best.gflops, threads);
    for (const SgemmPeak& peak : peaks)
      if (peak.library != best.library) std::printf("; %s %.1f", peak.library, peak.gflops);
    std::printf(")\n");
  }
  return 0;
}

}  // namespace gan
