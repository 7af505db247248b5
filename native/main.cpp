// The `gan` command: train, generate and bench, with every error reported as one clear line and a non-zero exit.
#include <CLI/CLI.hpp>
#include <tuple>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "bench.h"
#include "classifier_command.h"
#include "convert.h"
#include "devices.h"
#include "gan_models.h"
#include "eval_command.h"
#include "file_io.h"
#include "format_error.h"
#include "generate.h"
#include "option_suggestion.h"
#include "project_paths.h"
#include "threads.h"
#include "training_run.h"
#ifdef GAN_HAVE_VIEW
#include "view_command.h"
#endif

// CLI::Range(1e-9, 1.0) would print its bounds as 0.000000 and 1.000000, rejecting 0 as "not in range 0 to 1".
const CLI::Validator learning_rate(
    [](std::string& text) {
      double v = 0;
      if (!CLI::detail::lexical_cast(text, v) || !(v > 0 && v <= 1))
        return "Value " + text + " is not a learning rate; pass a number greater than 0 and at most 1";
      return std::string();
    },
    "FLOAT in (0, 1]");

// CLI::Range lets NaN through (every comparison with it is false): a closed range of finite numbers.
CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !(v >= lo && v <= hi))
          return "Value " + text + " is not a number from " + CLI::detail::to_string(lo) + " to " +
                 CLI::detail::to_string(hi);
        return std::string();
      },
      "FLOAT in [" + CLI::detail::to_string(lo) + ", " + CLI::detail::to_string(hi) + "]");
}

// CLI::Range calls "1e3" and "abc" for a whole-number option "not in range 1 to 100000": say what it takes.
CLI::Validator whole_range(int64_t lo, int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) {
        int64_t v = 0;
        if (!CLI::detail::lexical_cast(text, v) || v < lo || v > hi)
          return "Value " + text + " is not a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
        return std::string();
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

// A seed is a whole number that fits 64 bits; CLI11 alone would wrap -1 to 2^64 - 1 and saturate larger numbers.
const CLI::Validator seed_value(
    [](std::string& text) {
      errno = 0;
      char* end = nullptr;
      std::strtoull(text.c_str(), &end, 10);
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || errno == ERANGE)
        return "Value " + text + " is not a seed; pass a whole number from 0 to 18446744073709551615";
      return std::string();
    },
    "UINT64");

// File and folder arguments: an empty one would silently mean the current folder or a default name.
const CLI::Validator non_empty_path(
    [](std::string& text) { return text.empty() ? std::string("the path is empty; pass a file or folder name") : ""; },
    "PATH");

int main(int argc, char** argv) {
  CLI::App app{"gan: a GAN for handwritten digits (the seed's PyTorch tutorial model, in portable C++)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "gan 0.1 (weights format 1)");

  gan::TrainOptions train;
  auto* t = app.add_subcommand("train", "Train the seed's GAN on an MNIST-format folder");
  t->add_option("--data", train.data_dir, "Folder with train-images-idx3-ubyte[.gz] (MNIST or Fashion-MNIST)")
      ->capture_default_str()
      ->check(non_empty_path);
  t->add_option("--out", train.out_dir, "Output folder (checkpoint, log, sample grids, plot, GIF, generator)")
      ->capture_default_str()
      ->check(non_empty_path);
  t->add_option("--epochs", train.epochs, "Passes over the data")
      ->capture_default_str()
      ->check(whole_range(1, 1000000));
  t->add_option("--iterations", train.iterations, "Total training steps (overrides --epochs)")
      ->check(whole_range(int64_t{1}, int64_t{1} << 40));
  t->add_option("--batch", train.gan.batch, "Batch size")->capture_default_str()->check(whole_range(1, 65536));
  t->add_option("--lr", train.gan.adam.lr, "Adam learning rate (both networks)")->capture_default_str()
      ->check(learning_rate);
  t->add_option("--beta1", train.gan.adam.beta1, "Adam beta1")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.999999));
  t->add_option("--beta2", train.gan.adam.beta2, "Adam beta2")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.999999));
  t->add_option("--z-dim", train.gan.z_dim, "Latent vector size")->capture_default_str()->check(whole_range(1, 4096));
  t->add_option("--seed", train.gan.seed, "Random seed (initialisation, batches, z, dropout)")
      ->capture_default_str()
      ->check(seed_value);
  t->add_option("--threads", train.threads, "Threads for matrix products (0 = the cores other programs leave free)")
      ->capture_default_str()
      ->check(whole_range(0, 1024));
  t->add_option("--device", train.device, "Where to train: cpu, or cuda (an NVIDIA GPU; the same steps and weights "
                 "format)")->capture_default_str()->check(CLI::IsMember(gan::device_choices()));
  t->add_flag("--tf32", train.tf32,
              "With --device cuda: matrix products on TF32 tensor cores (as PyTorch's allow_tf32; "
              "faster, results differ from FP32 by about 1e-3)");
  t->add_option("--arch", train.arch, "seed: the seed's GAN; conditional: a one-hot digit label joins z in G and the "
                 "image in D (needs the label file), for `gan generate --digit`; dcgan and conditional-dcgan: "
                 "the convolutional GAN (sharper digits, about 5x the work of a step)")
      ->capture_default_str()->check(CLI::IsMember(gan::architecture_names()));
  t->add_option("--ema", train.gan.ema,
                "Keep a moving average of G's weights with this decay (e.g. 0.999) for samples "
                "and export; 0 = off, as in the seed")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.99999));
  t->add_option("--real-label", train.gan.real_label,
                "D's target for real images; 0.9 = one-sided label smoothing "
                "(the seed: 1)")
      ->capture_default_str()
      ->check(finite_range(0.5, 1.0));
  t->add_option("--resume", train.resume, "Continue from a checkpoint written by gan train")->check(non_empty_path);
  t->add_flag("--export-f16", train.export_f16, "Also export generator-f16.safetensors (half the size)");
  t->add_flag("-q,--quiet", train.quiet, "No progress bar");
  t->add_flag("--force", train.force, "Start a new run even where --out already holds one (its files are replaced)");
  t->add_option("--eval-every", train.eval_every,
                "Score the generator every N steps with `gan eval`'s metric "
                "(eval.jsonl, quality.png); 0 = never")
      ->capture_default_str()
      ->check(whole_range(int64_t{0}, int64_t{1} << 40));
  t->add_option("--eval-count", train.eval_count, "Samples per evaluation")
      ->capture_default_str()
      ->check(whole_range(10, 100000));
  t->add_option("--classifier", train.classifier, "Classifier for --eval-every")
      ->capture_default_str()
      ->check(non_empty_path);
  t->add_option("--inject-nan-at", train.inject_nan_at, "Testing: pretend the loss became NaN at this step")
      ->group("");  // hidden from --help

  gan::GenerateOptions gen;
  auto* g = app.add_subcommand("generate", "Generate digits with a trained generator");
  g->add_option("-w,--weights", gen.weights, "Generator .safetensors (ours, or a PyTorch state_dict)")
      ->required()
      ->check(non_empty_path);
  g->add_option("-n,--count", gen.count, "Number of digits")->capture_default_str()->check(whole_range(1, 100000));
  g->add_option("--seed", gen.seed, "Seed for the latent vectors")->capture_default_str()->check(seed_value);
  g->add_option("--digit", gen.digit,
                "Class-conditional generator: draw this digit (default: rows of 0-9, one latent "
                "vector per row)")
      ->check(whole_range(0, 999));
  g->add_option("--z", gen.z_file, "Latent vectors from a .npy of shape (N, z) float32, or the page's latent JSON (overrides -n/--seed)")
      ->check(non_empty_path);
  g->add_option("--png", gen.png, "Write a PNG grid here (default generated.png when no --npy is given)")
      ->check(non_empty_path);
  g->add_option("--npy", gen.npy, "Write the digits as a (N, 784) float32 .npy in [-1, 1]")->check(non_empty_path);
  g->add_option("--cols", gen.cols, "Digits per grid row (default: square)")->check(whole_range(0, 1000));
  g->add_option("--scale", gen.scale, "Pixel upscaling of the grid")->capture_default_str()->check(whole_range(1, 16));
  g->add_option("--device", gen.device, "Where to run the generator: cpu or cuda")->capture_default_str()
      ->check(CLI::IsMember(gan::device_choices()));

  gan::ConvertOptions conv;
  auto* c = app.add_subcommand("convert", "Rewrite a generator file as F32, F16 or 8-bit weights (q8: half of F16's bytes)");
  c->add_option("-w,--weights", conv.weights, "Generator .safetensors to read")->required()->check(non_empty_path);
  c->add_option("--to", conv.to, "Storage type: f32, f16, or q8 (int8 with a scale per row)")->capture_default_str()
      ->check(CLI::IsMember({"f32", "f16", "q8"}));
  c->add_option("-o,--out", conv.out, "File to write")->required()->check(non_empty_path);

  gan::EvalOptions eval;
  auto* e = app.add_subcommand("eval", "Score a generator's digits with the project's digit classifier (with real digits "
                               "and noise as reference rows)");
  e->add_option("-w,--weights", eval.weights, "Generator .safetensors")->required()->check(non_empty_path);
  e->add_option("--classifier", eval.classifier, "Classifier written by `gan classifier`")
      ->capture_default_str()
      ->check(non_empty_path);
  e->add_option("--data", eval.data_dir,
                "MNIST folder: its t10k digits are the Frechet reference, 10,000 of its "
                "training digits the real-digits row")
      ->capture_default_str()
      ->check(non_empty_path);
  e->add_option("-n,--count", eval.count, "Samples to score")->capture_default_str()->check(whole_range(10, 100000));
  e->add_option("--seed", eval.seed, "Seed for the samples' latent vectors and the noise row")
      ->capture_default_str()
      ->check(seed_value);
  e->add_flag("--json", eval.json, "One JSON object per row instead of the table");

  gan::ClassifierOptions cls;
  auto* k = app.add_subcommand("classifier", "Train the digit classifier that `gan eval` scores with");
  k->add_option("--data", cls.data_dir, "MNIST folder with train and t10k images and labels")
      ->capture_default_str()
      ->check(non_empty_path);
  k->add_option("-o,--out", cls.out, "Classifier file to write")->capture_default_str()->check(non_empty_path);
  k->add_option("--epochs", cls.config.epochs, "Passes over the training digits")
      ->capture_default_str()
      ->check(whole_range(1, 1000));
  k->add_option("--seed", cls.config.seed, "Seed (initialisation, batch order, dropout)")
      ->capture_default_str()
      ->check(seed_value);
  k->add_flag("-q,--quiet", cls.quiet, "No progress bar");

  gan::BenchOptions bench;
  auto* b = app.add_subcommand("bench", "Time training iterations/s (the seed configuration, or --arch)");
  b->add_option("--data", bench.data_dir, "MNIST-format folder")->capture_default_str()->check(non_empty_path);
  b->add_option("--iterations", bench.iterations, "Timed iterations")
      ->capture_default_str()
      ->check(whole_range(1, 1000000));
  b->add_option("--warmup", bench.warmup, "Untimed iterations first")
      ->capture_default_str()
      ->check(whole_range(0, 100000));
  b->add_option("--batch", bench.batch, "Batch size")->capture_default_str()->check(whole_range(1, 65536));
  b->add_option("--threads", bench.threads, "Threads (0 = the cores other programs leave free)")
      ->capture_default_str()
      ->check(whole_range(0, 1024));
  b->add_option("--device", bench.device, "Where to train: cpu or cuda")->capture_default_str()
      ->check(CLI::IsMember(gan::device_choices()));
  b->add_flag("--tf32", bench.tf32, "With --device cuda: matrix products on TF32 tensor cores");
  b->add_flag("--json", bench.json, "Print one JSON line");
  b->add_option("--arch", bench.arch, "Which GAN to time: seed, conditional, dcgan, conditional-dcgan")
      ->capture_default_str()->check(CLI::IsMember(gan::architecture_names()));

#ifdef GAN_HAVE_VIEW
  gan::ViewOptions view;
  auto* v = app.add_subcommand("view", "Browse generated digits in a window: select, drag latent sliders, animate, save");
  v->add_option("-w,--weights", view.weights, "Generator .safetensors")->required()->check(non_empty_path);
  v->add_option("--seed", view.seed, "Seed for the grid's latent vectors")->capture_default_str()->check(seed_value);
  v->add_option("--grid", view.grid, "Digits per side")->capture_default_str()->check(whole_range(1, 16));
  v->add_option("--scale", view.scale, "Screen pixels per digit pixel")
      ->capture_default_str()
      ->check(whole_range(1, 8));
  v->add_option("--select", view.select, "Digit selected at start")->capture_default_str();
  v->add_option("--screenshot", view.screenshot,
                "Draw one frame into this PNG and exit (headless: SDL_VIDEODRIVER=offscreen)")
      ->check(non_empty_path);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 says only "A subcommand is required" for a mistyped command.
    if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
      std::string names;
      for (const CLI::App* sub : app.get_subcommands({})) names += (names.empty() ? "" : ", ") + sub->get_name();
      std::fprintf(stderr, "gan: unknown command '%s'; the commands are %s (gan --help says more)\n", argv[1],
                   names.c_str());
      return e.get_exit_code();
    }
    if (gan::print_option_suggestion(app)) return e.get_exit_code();  // --epoch: "did you mean --epochs?"
    return app.exit(e);
  }
  // Defaults that name the project's files are found from anywhere, not only from the project's folder.
  using DefaultPath = std::tuple<CLI::App*, const char*, std::string*>;
  for (const auto& [command, flag, value] :
       {DefaultPath{t, "--data", &train.data_dir}, DefaultPath{t, "--classifier", &train.classifier},
        DefaultPath{e, "--data", &eval.data_dir}, DefaultPath{e, "--classifier", &eval.classifier},
        DefaultPath{k, "--data", &cls.data_dir}, DefaultPath{b, "--data", &bench.data_dir}})
    if (command->count(flag) == 0) *value = gan::locate_default(*value);
  for (const char* flag :
       {"--arch", "--z-dim", "--batch", "--lr", "--beta1", "--beta2", "--seed", "--ema", "--real-label"})
    if (t->count(flag) > 0) train.given.push_back(flag);
  try {
    if (*t) return gan::run_training(train);
    if (*g) return gan::run_generate(gen);
    if (*b) return gan::run_bench(bench);
    if (*c) return gan::run_convert(conv);
    if (*e) return gan::run_eval(eval);
    if (*k) return gan::run_classifier(cls);
#ifdef GAN_HAVE_VIEW
    if (*v) return gan::run_view(view);
#endif
  } catch (const gan::UserError& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  } catch (const gan::FormatError& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gan: error: out of memory; try a smaller --batch or --count\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gan: error: %s\n", e.what());
  }
  return 1;
}
