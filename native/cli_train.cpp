// `gan train`'s options.
#include <memory>

#include "cli_checks.h"
#include "commands.h"
#include "devices.h"
#include "gan_models.h"
#include "project_paths.h"
#include "training_run.h"

namespace gan {

Command add_train_command(CLI::App& app) {
  auto opt = std::make_shared<TrainOptions>();
  auto* t = app.add_subcommand("train", "Train a GAN (the seed's, or --arch) on an MNIST-format folder");
  t->add_option("--data", opt->data_dir, "Folder with train-images-idx3-ubyte[.gz] (MNIST or Fashion-MNIST)")
      ->capture_default_str()
      ->check(non_empty_path());
  t->add_option("--out", opt->out_dir, "Output folder (checkpoint, log, sample grids, plot, GIF, generator)")
      ->capture_default_str()
      ->check(non_empty_path());
  t->add_option("--epochs", opt->epochs, "Passes over the data")
      ->capture_default_str()
      ->check(whole_range(1, 1000000));
  t->add_option("--iterations", opt->iterations, "Total training steps (overrides --epochs)")
      ->check(whole_range(int64_t{1}, int64_t{1} << 40));
  t->add_option("--batch", opt->gan.batch, "Batch size")->capture_default_str()->check(whole_range(1, 65536));
  t->add_option("--lr", opt->gan.adam.lr, "Adam learning rate (both networks)")->capture_default_str()
      ->check(learning_rate());
  t->add_option("--beta1", opt->gan.adam.beta1, "Adam beta1")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.999999));
  t->add_option("--beta2", opt->gan.adam.beta2, "Adam beta2")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.999999));
  t->add_option("--z-dim", opt->gan.z_dim, "Latent vector size")->capture_default_str()->check(whole_range(1, 4096));
  t->add_option("--seed", opt->gan.seed, "Random seed (initialisation, batches, z, dropout)")
      ->capture_default_str()
      ->check(seed_value());
  t->add_option("--threads", opt->threads, "Threads for matrix products (0 = the cores other programs leave free)")
      ->capture_default_str()
      ->check(whole_range(0, 1024));
  t->add_option("--device", opt->device, "Where to train: cpu, or cuda (an NVIDIA GPU; the same steps and weights "
                 "format)")->capture_default_str()->check(CLI::IsMember(device_choices()));
  t->add_flag("--tf32", opt->tf32,
              "With --device cuda: matrix products on TF32 tensor cores (as PyTorch's allow_tf32; "
              "faster, results differ from FP32 by about 1e-3)");
  t->add_option("--arch", opt->arch, "seed: the seed's GAN; conditional: a one-hot digit label joins z in G and the "
                 "image in D (needs the label file), for `gan generate --digit`; dcgan and conditional-dcgan: "
                 "the convolutional GAN (sharper digits, about 5x the work of a step)")
      ->capture_default_str()->check(CLI::IsMember(architecture_names()));
  t->add_option("--ema", opt->gan.ema,
                "Keep a moving average of G's weights with this decay (e.g. 0.999) for samples "
                "and export; 0 = off, as in the seed")
      ->capture_default_str()
      ->check(finite_range(0.0, 0.99999));
  t->add_option("--real-label", opt->gan.real_label,
                "D's target for real images; 0.9 = one-sided label smoothing "
                "(the seed: 1)")
      ->capture_default_str()
      ->check(finite_range(0.5, 1.0));
  t->add_option("--resume", opt->resume, "Continue from a checkpoint written by gan train")->check(non_empty_path());
  t->add_flag("--export-f16", opt->export_f16, "Also export generator-f16.safetensors (half the size)");
  t->add_flag("-q,--quiet", opt->quiet, "No progress bar");
  t->add_flag("--force", opt->force, "Start a new run even where --out already holds one (its files are replaced)");
  t->add_option("--eval-every", opt->eval_every,
                "Score the generator every N steps with `gan eval`'s metric "
                "(eval.jsonl, quality.png); 0 = never")
      ->capture_default_str()
      ->check(whole_range(int64_t{0}, int64_t{1} << 40));
  t->add_option("--eval-count", opt->eval_count, "Samples per evaluation")
      ->capture_default_str()
      ->check(whole_range(10, 100000));
  t->add_option("--classifier", opt->classifier, "Classifier for --eval-every")
      ->capture_default_str()
      ->check(non_empty_path());
  t->add_option("--inject-nan-at", opt->inject_nan_at, "Testing: pretend the loss became NaN at this step")
      ->group("");  // hidden from --help
  return {t, [t, opt] {
    if (t->count("--data") == 0) opt->data_dir = locate_default(opt->data_dir);
    if (t->count("--classifier") == 0) opt->classifier = locate_default(opt->classifier);
    for (const char* flag : {"--arch", "--z-dim", "--batch", "--lr", "--beta1", "--beta2", "--seed", "--ema", "--real-label"})
      if (t->count(flag) > 0) opt->given.push_back(flag);
    return run_training(*opt);
  }};
}

}  // namespace gan
