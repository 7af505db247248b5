// `gan eval`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "project_paths.h"
#include "eval_command.h"

namespace gan {

Command add_eval_command(CLI::App& app) {
  auto opt = std::make_shared<EvalOptions>();
  auto* e = app.add_subcommand("eval", "Score a generator's digits with the project's digit classifier (with real digits "
                               "and noise as reference rows)");
  e->add_option("-w,--weights", opt->weights, "Generator .safetensors")->required()->check(non_empty_path());
  e->add_option("--classifier", opt->classifier, "Classifier written by `gan classifier`")
      ->capture_default_str()
      ->check(non_empty_path());
  e->add_option("--data", opt->data_dir,
                "MNIST folder: its t10k digits are the Frechet reference, 10,000 of its "
                "training digits the real-digits row")
      ->capture_default_str()
      ->check(non_empty_path());
  e->add_option("-n,--count", opt->count, "Samples to score")->capture_default_str()->check(whole_range(10, 100000));
  e->add_option("--seed", opt->seed, "Seed for the samples' latent vectors and the noise row")
      ->capture_default_str()
      ->check(seed_value());
  e->add_flag("--json", opt->json, "One JSON object per row instead of the table");
  return {e, [e, opt] {
    if (e->count("--data") == 0) opt->data_dir = locate_default(opt->data_dir);
    if (e->count("--classifier") == 0) opt->classifier = locate_default(opt->classifier);
    return run_eval(*opt);
  }};
}

}  // namespace gan
