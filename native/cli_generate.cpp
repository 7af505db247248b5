// `gan generate`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "devices.h"
#include "generate.h"

namespace gan {

Command add_generate_command(CLI::App& app) {
  auto opt = std::make_shared<GenerateOptions>();
  auto* g = app.add_subcommand("generate", "Generate digits with a trained generator");
  g->add_option("-w,--weights", opt->weights, "Generator .safetensors (ours, or a PyTorch state_dict)")
      ->required()
      ->check(non_empty_path());
  g->add_option("-n,--count", opt->count, "Number of digits")->capture_default_str()->check(whole_range(1, 100000));
  g->add_option("--seed", opt->seed, "Seed for the latent vectors")->capture_default_str()->check(seed_value());
  g->add_option("--digit", opt->digit,
                "Class-conditional generator: draw this digit (default: rows of 0-9, one latent "
                "vector per row)")
      ->check(whole_range(0, 999));
  g->add_option("--z", opt->z_file, "Latent vectors from a .npy of shape (N, z) float32, or the page's latent JSON (overrides -n/--seed)")
      ->check(non_empty_path());
  g->add_option("--png", opt->png, "Write a PNG grid here (default generated.png when no --npy is given)")
      ->check(non_empty_path());
  g->add_option("--npy", opt->npy, "Write the digits as a (N, 784) float32 .npy in [-1, 1]")->check(non_empty_path());
  g->add_option("--cols", opt->cols, "Digits per grid row (default: square)")->check(whole_range(0, 1000));
  g->add_option("--scale", opt->scale, "Pixel upscaling of the grid")->capture_default_str()->check(whole_range(1, 16));
  g->add_option("--device", opt->device, "Where to run the generator: cpu or cuda")->capture_default_str()
      ->check(CLI::IsMember(device_choices()));
  return {g, [opt] { return run_generate(*opt); }};
}

}  // namespace gan
