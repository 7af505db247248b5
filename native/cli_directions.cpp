// `gan directions`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "directions_command.h"
#include "project_paths.h"
#include "quality_judge.h"

namespace gan {

Command add_directions_command(CLI::App& app) {
  auto opt = std::make_shared<DirectionsOptions>();
  opt->classifier = kDefaultClassifier;
  auto* c = app.add_subcommand("directions",
                               "Find named directions in a generator's latent space (ink, slant, width, height)");
  c->add_option("-w,--weights", opt->weights, "Generator .safetensors (any architecture)")->required()->check(non_empty_path());
  c->add_option("--out", opt->out, "Write the directions here (.json; the page loads <generator>.directions.json)")
      ->required()
      ->check(non_empty_path());
  c->add_option("--png", opt->png, "Also draw what each direction does, -3 to +3 (a PNG)")->check(non_empty_path());
  c->add_option("--count", opt->count, "Digits to fit the directions on")->capture_default_str()->check(whole_range(200, 100000));
  c->add_option("--check-count", opt->check_count, "Other digits each direction's effect is measured on")
      ->capture_default_str()
      ->check(whole_range(10, 100000));
  c->add_option("--seed", opt->seed, "Seed for the latent vectors")->capture_default_str()->check(seed_value());
  c->add_option("--classifier", opt->classifier, "The digit classifier that says which class a digit is")
      ->capture_default_str()
      ->check(non_empty_path());
  return {c, [opt, c] {
    if (c->count("--classifier") == 0) opt->classifier = locate_default(opt->classifier);
    return run_directions(*opt);
  }};
}

}  // namespace gan
