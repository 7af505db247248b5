// `gan classifier`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "project_paths.h"
#include "classifier_command.h"

namespace gan {

Command add_classifier_command(CLI::App& app) {
  auto opt = std::make_shared<ClassifierOptions>();
  auto* k = app.add_subcommand("classifier", "Train the digit classifier that `gan eval` scores with");
  k->add_option("--data", opt->data_dir, "MNIST folder with train and t10k images and labels")
      ->capture_default_str()
      ->check(non_empty_path());
  k->add_option("-o,--out", opt->out, "Classifier file to write")->capture_default_str()->check(non_empty_path());
  k->add_option("--epochs", opt->config.epochs, "Passes over the training digits")
      ->capture_default_str()
      ->check(whole_range(1, 1000));
  k->add_option("--seed", opt->config.seed, "Seed (initialisation, batch order, dropout)")
      ->capture_default_str()
      ->check(seed_value());
  k->add_flag("-q,--quiet", opt->quiet, "No progress bar");
  return {k, [k, opt] {
    if (k->count("--data") == 0) opt->data_dir = locate_default(opt->data_dir);
    return run_classifier(*opt);
  }};
}

}  // namespace gan
