// `gan invert`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "invert_command.h"

namespace gan {

Command add_invert_command(CLI::App& app) {
  auto opt = std::make_shared<InvertOptions>();
  auto* c = app.add_subcommand("invert", "Find the latent vector whose digit is closest to a picture of a digit");
  c->add_option("-w,--weights", opt->weights, "Generator .safetensors (any architecture)")->required()->check(non_empty_path());
  c->add_option("--image", opt->image,
                "A picture of one digit (PNG, JPEG, BMP; any size, colour or polarity), or a .npy of digits (N, 784) "
                "in [-1, 1]")
      ->required()
      ->check(non_empty_path());
  c->add_option("--out", opt->out, "Write the latent vectors here: .npy (N, z) float32, or .json with each digit's class "
                                   "(for `gan generate --z`)")
      ->required()
      ->check(non_empty_path());
  c->add_option("--png", opt->png, "Also write each target beside the digit found (a PNG)")->check(non_empty_path());
  c->add_option("--restarts", opt->restarts, "Starting vectors tried per digit (per class, for a conditional generator)")
      ->capture_default_str()
      ->check(whole_range(1, 1024));
  c->add_option("--steps", opt->steps, "Adam steps on each starting vector")->capture_default_str()->check(whole_range(1, 100000));
  c->add_option("--lr", opt->lr, "Adam's learning rate on z (the page's quick search: --restarts 4 --steps 600 --lr 0.2)")
      ->capture_default_str()
      ->check(learning_rate());
  c->add_option("--seed", opt->seed, "Seed for the starting vectors")->capture_default_str()->check(seed_value());
  return {c, [opt] { return run_invert(*opt); }};
}

}  // namespace gan
