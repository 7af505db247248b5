// `gan view`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "view_command.h"

namespace gan {

Command add_view_command(CLI::App& app) {
  auto opt = std::make_shared<ViewOptions>();
  auto* v = app.add_subcommand("view", "Browse generated digits in a window: select, drag latent sliders, animate, save");
  v->add_option("-w,--weights", opt->weights, "Generator .safetensors")->required()->check(non_empty_path());
  v->add_option("--seed", opt->seed, "Seed for the grid's latent vectors")->capture_default_str()->check(seed_value());
  v->add_option("--grid", opt->grid, "Digits per side")->capture_default_str()->check(whole_range(1, 16));
  v->add_option("--scale", opt->scale, "Screen pixels per digit pixel")
      ->capture_default_str()
      ->check(whole_range(1, 8));
  v->add_option("--select", opt->select, "Digit selected at start")->capture_default_str();
  v->add_option("--screenshot", opt->screenshot,
                "Draw one frame into this PNG and exit (headless: SDL_VIDEODRIVER=offscreen)")
      ->check(non_empty_path());
  return {v, [opt] { return run_view(*opt); }};
}

}  // namespace gan
