// `gan bench`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "devices.h"
#include "gan_models.h"
#include "project_paths.h"
#include "bench.h"

namespace gan {

Command add_bench_command(CLI::App& app) {
  auto opt = std::make_shared<BenchOptions>();
  auto* b = app.add_subcommand("bench", "Time training iterations/s (the seed configuration, or --arch)");
  b->add_option("--data", opt->data_dir, "MNIST-format folder")->capture_default_str()->check(non_empty_path());
  b->add_option("--iterations", opt->iterations, "Timed iterations")
      ->capture_default_str()
      ->check(whole_range(1, 1000000));
  b->add_option("--warmup", opt->warmup, "Untimed iterations first")
      ->capture_default_str()
      ->check(whole_range(0, 100000));
  b->add_option("--batch", opt->batch, "Batch size")->capture_default_str()->check(whole_range(1, 65536));
  b->add_option("--threads", opt->threads, "Threads (0 = the cores other programs leave free)")
      ->capture_default_str()
      ->check(whole_range(0, 1024));
  b->add_option("--device", opt->device, "Where to train: cpu or cuda")->capture_default_str()
      ->check(CLI::IsMember(device_choices()));
  b->add_flag("--tf32", opt->tf32, "With --device cuda: matrix products on TF32 tensor cores");
  b->add_flag("--json", opt->json, "Print one JSON line");
  b->add_option("--arch", opt->arch, "Which GAN to time: seed, conditional, dcgan, conditional-dcgan")
      ->capture_default_str()->check(CLI::IsMember(architecture_names()));
  return {b, [b, opt] {
    if (b->count("--data") == 0) opt->data_dir = locate_default(opt->data_dir);
    return run_bench(*opt);
  }};
}

}  // namespace gan
