// Trains the classifier on the training split, reports its accuracy on the held-out split, and saves both.
#include "classifier_command.h"

#include <cstdio>
#include <memory>

#include "atomic_file.h"
#include "file_io.h"
#include "format_error.h"
#include "mnist_files.h"
#include "progress_bar.h"

namespace gan {

namespace {

// A split with its labels, all of them digits 0..9: checked here, before any training, not after it.
Dataset labelled(const std::string& dir, const std::string& split) {
  Dataset d = load_mnist_folder(dir, split);
  if (d.labels.empty())
    throw UserError(dir + " has no " + (split == "train" ? "train" : "t10k") + "-labels-idx1-ubyte[.gz]; the classifier "
                    "learns from labelled digits (run scripts/setup.sh, or pass --data with the MNIST label files)");
  check_label_range(d, DigitClassifier::kClasses,
                    "the classifier learns digits labelled 0..9: download or copy the label file again, or pass --data "
                    "with the standard MNIST files");
  return d;
}

}  // namespace

int run_classifier(const ClassifierOptions& opt) {
  check_output_path(opt.out);
  const Dataset train = labelled(opt.data_dir, "train");
  const Dataset held_out = labelled(opt.data_dir, "test");
  refuse_overwriting(opt.out, "-o", {{"--data", train.images_path}, {"--data", train.labels_path},
                                     {"--data", held_out.images_path}, {"--data", held_out.labels_path}});
  if (train.images.rows() < opt.config.batch)
    throw UserError(train.images_path + " holds " + std::to_string(train.images.rows()) +
                    (train.images.rows() == 1 ? " digit" : " digits") + ", fewer than one batch of " +
                    std::to_string(opt.config.batch) +
                    "; pass --data with a folder holding more training digits (MNIST has 60000)");
  std::fprintf(stderr, "gan classifier: %lld training digits, %lld held out, %d epochs, seed %llu\n",
               static_cast<long long>(train.images.rows()), static_cast<long long>(held_out.images.rows()),
               opt.config.epochs, static_cast<unsigned long long>(opt.config.seed));
  std::unique_ptr<ProgressBar> bar;
  if (!opt.quiet) bar = std::make_unique<ProgressBar>(opt.config.epochs, "classifier");
  DigitClassifier c = train_classifier(train.images, train.labels, opt.config, [&](int epoch, double loss) {
    char extra[48];
    std::snprintf(extra, sizeof extra, "loss %.4f", loss);
    if (bar) bar->update(epoch, extra);
  });
  if (bar) bar->finish();
  const double train_acc = c.accuracy(train.images, train.labels);
  const double acc = c.accuracy(held_out.images, held_out.labels);
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", acc);
  const auto bytes = save_classifier(c, {{"held_out_accuracy", text},
                                         {"held_out_images", std::to_string(held_out.images.rows())},
                                         {"dataset", train.name},
                                         {"train_images", std::to_string(train.images.rows())},
                                         {"epochs", std::to_string(opt.config.epochs)},
                                         {"seed", std::to_string(opt.config.seed)}});
  write_file_atomic(opt.out, bytes.data(), bytes.size());
  std::fprintf(stderr, "gan classifier: accuracy %.2f%% on the %lld held-out digits (%.2f%% on the training digits); "
               "wrote %s\n", 100 * acc, static_cast<long long>(held_out.images.rows()), 100 * train_acc, opt.out.c_str());
  return 0;
}

}  // namespace gan
