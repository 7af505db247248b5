// The training loop of `gan train`. Every file it writes is replaced atomically, so a kill at any moment leaves
// the previous checkpoint, grid and export whole.
#include "training_run.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "atomic_file.h"
#include "devices.h"
#include "eval_log.h"
#include "file_io.h"
#include "format_error.h"
#include "gan_models.h"
#include "gif_writer.h"
#include "image_grid.h"
#include "loss_plot.h"
#include "mnist_files.h"
#include "png_writer.h"
#include "progress_bar.h"
#include "quality_judge.h"
#include "stop_signals.h"
#include "threads.h"
#include "training_session.h"
#include "train_log.h"
#include "weights.h"

#include <stb/stb_image.h>

namespace gan {

namespace {

// A checkpoint is written at the end of every epoch and at least every this many steps, so a kill loses at most
// 1,000 steps (about 25 s on one core) whatever the data set's size; SIGINT and SIGTERM save at once.
constexpr int64_t kCheckpointSteps = 1000;

// The files a run writes into --out (besides checkpoint.safetensors and samples/).
constexpr const char* kRunFiles[] = {"generator.safetensors",
                                     "generator-f16.safetensors",
                                     "discriminator.safetensors",
                                     "log.jsonl",
                                     "samples.png",
                                     "loss.png",
                                     "progress.gif",
                                     "eval.jsonl",
                                     "quality.png"};

struct OutputPaths {
  std::string dir;
  std::string checkpoint() const { return dir + "/checkpoint.safetensors"; }
  std::string log() const { return dir + "/log.jsonl"; }
  std::string grid(int64_t epoch) const {
    char name[64];
    std::snprintf(name, sizeof name, "/samples/epoch_%04lld.png", static_cast<long long>(epoch));
    return dir + name;
  }
};

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  write_file_atomic(path, bytes.data(), bytes.size());
}

void write_grid(const std::string& path, const Matrix& samples, int cols) {
  const GrayImage img = render_grid(samples, cols, 2);
  write_png(path, img.pixels.data(), img.width, img.height, 1);
}

// The animated GIF is rebuilt from the epoch PNGs on disk, so it covers the epochs of earlier, resumed runs too.
// Returns false when there is no epoch grid yet (a run shorter than an epoch), so no GIF.
bool write_progress_gif(const OutputPaths& out, int64_t epochs) {
  std::vector<std::vector<unsigned char>> frames;
  int w = 0, h = 0;
  for (int64_t e = 1; e <= epochs; ++e) {
    int fw = 0, fh = 0, channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> px(stbi_load(out.grid(e).c_str(), &fw, &fh, &channels, 1),
                                                      &stbi_image_free);
    if (!px || (w && (fw != w || fh != h))) continue;
    w = fw;
    h = fh;
    frames.emplace_back(px.get(), px.get() + static_cast<size_t>(w) * h);
  }
  if (frames.empty()) return false;
  write_animated_gif(out.dir + "/progress.gif", frames, w, h, frames.size() > 50 ? 10 : 25);
  return true;
}

// The conditional GAN learns from the labels: there must be one per image, each a class the model has.
void check_labels(const Dataset& data, int classes, const std::string& dir, const std::string& arch) {
  if (data.labels.empty())
    throw UserError(dir + " has no train-labels-idx1-ubyte[.gz]; --arch " + arch + " needs the labels (run "
                    "scripts/setup.sh, or add the label file), or train --arch seed");
  check_label_range(data, classes,
                    "check that the label file belongs to these images, or train --arch seed, which "
                    "needs no labels");
}

// A resumed run keeps its checkpoint's settings: a different value given on the command line is an error, not
// silently ignored (the same value, as when a command is repeated with --resume added, is fine).
void check_resume_settings(const TrainOptions& opt, const GanModel& model) {
  const GanConfig& asked = opt.gan;
  const GanConfig& saved = model.config();
  auto close = [](double a, double b) { return std::abs(a - b) <= 1e-6 * std::max(std::abs(a), std::abs(b)); };
  auto num = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  for (const std::string& flag : opt.given) {
    std::string want, have;  // set when they differ
    if (flag == "--arch" && opt.arch != model.architecture())
      want = opt.arch, have = model.architecture();
    else if (flag == "--z-dim" && asked.z_dim != saved.z_dim)
      want = std::to_string(asked.z_dim), have = std::to_string(saved.z_dim);
    else if (flag == "--batch" && asked.batch != saved.batch)
      want = std::to_string(asked.batch), have = std::to_string(saved.batch);
    else if (flag == "--seed" && asked.seed != saved.seed)
      want = std::to_string(asked.seed), have = std::to_string(saved.seed);
    else if (flag == "--lr" && !close(asked.adam.lr, saved.adam.lr))
      want = num(asked.adam.lr), have = num(saved.adam.lr);
    else if (flag == "--beta1" && !close(asked.adam.beta1, saved.adam.beta1))
      want = num(asked.adam.beta1), have = num(saved.adam.beta1);
    else if (flag == "--beta2" && !close(asked.adam.beta2, saved.adam.beta2))
      want = num(asked.adam.beta2), have = num(saved.adam.beta2);
    else if (flag == "--ema" && !close(asked.ema, saved.ema))
      want = num(asked.ema), have = num(saved.ema);
    else if (flag == "--real-label" && !close(asked.real_label, saved.real_label))
      want = num(asked.real_label), have = num(saved.real_label);
    if (!want.empty())
      throw UserError(flag + " " + want + " differs from " + opt.resume + "'s " + have +
                      ", and a resumed run keeps the settings it was trained with; leave out " + flag +
                      ", or start a new run without --resume");
  }
}

std::string format_stats(const StepStats& s, int64_t epoch, int64_t epochs) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "ep %lld/%lld  D %.3f  G %.3f  D(x) %.2f  D(G(z)) %.2f", static_cast<long long>(epoch + 1),
                static_cast<long long>(epochs), s.d_loss, s.g_loss, s.d_real, s.d_fake);
  return buf;
}

// The model to train: the checkpoint's when resuming (with the settings given; `resumed` gets its progress),
// else a fresh one.
std::unique_ptr<GanModel> open_model(const TrainOptions& opt, TrainProgress* resumed) {
  if (!opt.resume.empty()) {
    const auto bytes = read_file(opt.resume);
    std::unique_ptr<GanModel> model;
    try {
      model = load_gan_checkpoint(bytes.data(), bytes.size(), resumed);
    } catch (const FormatError& e) {
      throw file_error(opt.resume, e.what(), "pass the checkpoint.safetensors written by `gan train`");
    }
    check_resume_settings(opt, *model);
    return model;
  }
  return make_gan_model(opt.arch, opt.gan);
}

// A new run's --out must hold no earlier run, and none of the files a run writes, unless --force.
void check_out_is_free(const TrainOptions& opt) {
  const std::string previous = opt.out_dir + "/checkpoint.safetensors";
  if (!opt.force && file_exists(previous))
    throw UserError(opt.out_dir + " already holds a training run; continue it with --resume " + previous +
                    ", pick another --out, or pass --force to start over in it");
  // Without a checkpoint, the folder may still hold an earlier run's exports or the user's own files of these names.
  if (!opt.force) {
    std::string found;
    for (const char* name : kRunFiles)
      if (file_exists(opt.out_dir + "/" + name)) found += std::string(found.empty() ? "" : ", ") + name;
    if (!found.empty())
      throw UserError(opt.out_dir + " already holds " + found +
                      ", which a new run would replace; pick another --out, or pass --force to replace them");
  }
}

// A resumed run must train on a data set of the size its checkpoint was trained on.
void check_same_data(const TrainOptions& opt, const TrainProgress& resumed, const Dataset& data) {
  if (resumed.dataset_size == data.images.rows()) return;
  throw UserError(opt.resume + " was trained on " + std::to_string(resumed.dataset_size) + " images of \"" +
                  resumed.dataset + "\", but " + opt.data_dir + " holds " + std::to_string(data.images.rows()) +
                  "; resume with the same --data folder");
}

// A step whose loss is NaN or infinite stops the run, pointing at the last good checkpoint.
void stop_if_diverged(const StepStats& stats, int64_t step, const std::string& good_checkpoint) {
  if (std::isfinite(stats.d_loss) && std::isfinite(stats.g_loss)) return;
  char what[160];
  std::snprintf(what, sizeof what, "training diverged at step %lld (D loss %g, G loss %g)", static_cast<long long>(step),
                stats.d_loss, stats.g_loss);
  if (good_checkpoint.empty())
    throw UserError(std::string(what) + " before its first checkpoint; start again with a lower --lr");
  throw UserError(std::string(what) + ". The last good checkpoint is " + good_checkpoint +
                  "; resume from it with --resume, perhaps with a lower --lr");
}

// The exports of a finished run, and the line that lists them.
void write_exports(const OutputPaths& out, GanModel& model, const std::string& dataset, const TrainOptions& opt,
                   bool gif, bool judged) {
  write_bytes(out.dir + "/generator.safetensors", model.generator_file(dataset, DType::F32));
  write_bytes(out.dir + "/discriminator.safetensors", model.discriminator_file(dataset));
  if (opt.export_f16) write_bytes(out.dir + "/generator-f16.safetensors", model.generator_file(dataset, DType::F16));
  std::fprintf(stderr,
               "gan train: done. Wrote %s/{generator.safetensors%s, discriminator.safetensors, samples.png, "
               "loss.png%s, log.jsonl, checkpoint.safetensors%s}\n",
               out.dir.c_str(), opt.export_f16 ? ", generator-f16.safetensors" : "", gif ? ", progress.gif" : "",
               judged ? ", eval.jsonl, quality.png" : "");
}

void print_quality(const QualityScores& q, int64_t step) {
  std::fprintf(stderr, "gan train: quality at step %lld: confident %.3f, class entropy %.3f bits, IS %.3f, "
               "Frechet %.2f%s\n", static_cast<long long>(step), q.confident, q.class_entropy, q.inception_score,
               q.frechet, q.label_match >= 0 ? (", label match " + std::to_string(q.label_match).substr(0, 5)).c_str() : "");
}

std::string describe_model(const GanModel& model) {
  const std::string arch = model.architecture();
  if (arch == "seed") return "";
  if (arch == "conditional") return "class-conditional GAN, ";
  return arch + " (layer list), ";
}

// The in-memory fall-back state is kept this often. `gan train` does not go back to it (a diverged run stops,
// pointing at its last checkpoint file), so rarely: a copy of the whole state costs about a step.
constexpr int64_t kSnapshotSteps = kCheckpointSteps;

// One `gan train` run: the training session on its device and everything the run writes, stepped chunk by chunk.
class TrainingRun {
 public:
  TrainingRun(const TrainOptions& opt, TrainingData data, std::unique_ptr<GanModel> model, int threads,
              const StopSignals& signals)
      : opt_(opt),
        signals_(signals),
        config_(model->config()),
        // The device and the classifier start before anything is written, so a missing GPU or classifier stops
        // the run with nothing changed.
        session_(std::move(data), std::move(model), kSnapshotSteps,
                 [&](GanModel& m, const TrainingData& d) {
                   return make_train_backend(opt.device, m, *d.images, d.labels.get(), threads, opt.tf32);
                 }),
        per_epoch_(session_.batches_per_epoch()),
        total_(opt.iterations > 0 ? opt.iterations : opt.epochs * per_epoch_),
        step_(session_.step_count()),
        judge_(opt.eval_every > 0 ? std::make_unique<QualityJudge>(opt.classifier, opt.data_dir) : nullptr),
        out_{opt.out_dir},
        busy_machine_(threads) {
    if (opt.inject_nan_at > 0) session_.inject_nan_at(opt.inject_nan_at);
  }

  int64_t total() const { return total_; }
  int64_t epochs() const { return (total_ + per_epoch_ - 1) / per_epoch_; }

  // Steps to the end of the schedule; 130 when a signal stopped it (its state saved), else 0.
  int run() {
    open_outputs();
    announce();
    if (!opt_.quiet) bar_ = std::make_unique<ProgressBar>(static_cast<long>(total_), "train", static_cast<long>(step_));
    while (step_ < total_) {
      busy_machine_.check();
      const StepStats last = take_chunk();
      after_chunk(last);
      if (signals_.stop_signal()) return stop_on_signal();
    }
    finish();
    return 0;
  }

 private:
  void open_outputs() {
    make_dirs(out_.dir + "/samples");
    log_ = std::make_unique<TrainLog>(out_.log(), step_);
    eval_log_ = std::make_unique<EvalLog>(out_.dir + "/eval.jsonl", step_);
    history_ = to_loss_points(log_->kept());
  }

  void announce() {
    std::fprintf(stderr, "gan train: %s%lld images from %s, batch %d, %lld steps (%lld epochs of %lld), %s, seed %llu%s\n",
                 describe_model(session_.model()).c_str(), static_cast<long long>(session_.progress().dataset_size),
                 opt_.data_dir.c_str(), config_.batch, static_cast<long long>(total_), static_cast<long long>(epochs()),
                 static_cast<long long>(per_epoch_), session_.backend().describe().c_str(),
                 static_cast<unsigned long long>(config_.seed),
                 step_ > 0 ? (", resuming at step " + std::to_string(step_)).c_str() : "");
  }

  // Runs the steps up to the next epoch end, checkpoint or evaluation (one step at a time on the CPU), logging
  // each; a diverged step stops the run. Returns the last step's stats.
  StepStats take_chunk() {
    int64_t until = std::min({total_, (step_ / per_epoch_ + 1) * per_epoch_,
                              (step_ / kCheckpointSteps + 1) * kCheckpointSteps,
                              step_ + session_.backend().steps_per_call()});
    if (judge_) until = std::min(until, (step_ / opt_.eval_every + 1) * opt_.eval_every);
    StepStats stats;
    for (const SessionStep& taken : session_.run(until - step_)) {
      stats = taken.stats;
      step_ = taken.step;
      log_->append({step_, (step_ - 1) / per_epoch_ + 1, stats});  // epochs count from 1, as on the progress bar
      history_.push_back({static_cast<double>(step_), stats.d_loss, stats.g_loss, stats.d_real, stats.d_fake});
      if (taken.diverged) {
        if (bar_) bar_->finish();
        log_->flush();
        stop_if_diverged(stats, step_, saved_checkpoint_ ? out_.checkpoint() : opt_.resume);
      }
    }
    return stats;
  }

  // Evaluation, progress, and at an epoch's end the sample grid, the checkpoint and the loss plot.
  void after_chunk(const StepStats& last) {
    if (judge_ && (step_ % opt_.eval_every == 0 || step_ == total_)) evaluate();
    if (bar_) bar_->update(static_cast<long>(step_), format_stats(last, (step_ - 1) / per_epoch_, epochs()));
    const bool epoch_done = step_ % per_epoch_ == 0;
    if (epoch_done || step_ == total_) {
      const Matrix samples = session_.samples();
      const int columns = session_.sample_grid().columns;
      if (epoch_done) write_grid(out_.grid(step_ / per_epoch_), samples, columns);
      write_grid(out_.dir + "/samples.png", samples, columns);
      save_checkpoint();
      const auto plot = render_loss_plot(history_);
      write_png(out_.dir + "/loss.png", plot.data(), 800, 480, 3);
    } else if (step_ % kCheckpointSteps == 0) {
      save_checkpoint();
    }
  }

  void evaluate() {
    GanModel& m = session_.model();
    auto draw = [&](const Matrix& z, const std::vector<int>* labels) { return m.generate(z, labels); };
    eval_log_->append({step_, judge_->score_source(draw, config_.z_dim, config_.classes, opt_.eval_count, 0)});
    const auto plot = render_quality_plot(eval_log_->entries());
    write_png(out_.dir + "/quality.png", plot.data(), 960, 540, 3);
  }

  void save_checkpoint() {
    log_->flush();
    write_bytes(out_.checkpoint(), session_.checkpoint());
    saved_checkpoint_ = true;
  }

  int stop_on_signal() {
    save_checkpoint();
    if (bar_) bar_->finish();
    std::fprintf(stderr, "gan train: interrupted at step %lld; saved %s (continue with --resume %s)\n",
                 static_cast<long long>(step_), out_.checkpoint().c_str(), out_.checkpoint().c_str());
    return 130;
  }

  void finish() {
    if (bar_) bar_->finish();
    const bool gif = write_progress_gif(out_, step_ / per_epoch_);
    write_exports(out_, session_.model(), session_.progress().dataset, opt_, gif, judge_ != nullptr);
    if (judge_) print_quality(eval_log_->entries().back().scores, step_);
  }

  const TrainOptions& opt_;
  const StopSignals& signals_;
  const GanConfig config_;
  TrainingSession session_;
  const int64_t per_epoch_, total_;
  int64_t step_;  // the session's step count; its model (session_.model()) is read only when needed
  std::unique_ptr<QualityJudge> judge_;
  OutputPaths out_;
  BusyMachineWarning busy_machine_;
  std::unique_ptr<TrainLog> log_;
  std::unique_ptr<EvalLog> eval_log_;
  std::vector<LossPoint> history_;
  std::unique_ptr<ProgressBar> bar_;
  bool saved_checkpoint_ = false;  // whether out_.checkpoint() holds this run's state (not an earlier run's)
};

}  // namespace

int run_training(const TrainOptions& opt) {
  if (opt.out_dir.empty()) throw UserError("--out is empty; pass the folder to write the run into");
  const StopSignals signals;  // before the run starts any thread; a signal while it sets up is answered after a step
  const int threads = set_threads(opt.threads);
  std::unique_ptr<GanModel> model;
  TrainProgress resumed;
  try {
    model = open_model(opt, &resumed);
  } catch (const std::invalid_argument& e) {
    throw UserError(std::string("gan train: ") + e.what());
  }
  check_train_device(opt.device, *model, opt.tf32);  // a refusal does not wait for the data to load
  Dataset data = load_mnist_folder(opt.data_dir, "train");
  if (opt.resume.empty())
    check_out_is_free(opt);
  else
    check_same_data(opt, resumed, data);
  const GanConfig& config = model->config();
  if (config.classes > 0) check_labels(data, config.classes, opt.data_dir, model->architecture());
  if (data.images.rows() < config.batch)
    throw UserError(opt.data_dir + " has " + std::to_string(data.images.rows()) + " images, fewer than one batch of " +
                    std::to_string(config.batch) + "; lower --batch");
  const int64_t per_epoch = data.images.rows() / config.batch;
  const int64_t total = opt.iterations > 0 ? opt.iterations : opt.epochs * per_epoch;
  if (model->steps_taken() >= total) {
    std::fprintf(stderr, "gan train: the checkpoint is already at step %lld of %lld; raise --epochs or --iterations to "
                 "train further\n", static_cast<long long>(model->steps_taken()), static_cast<long long>(total));
    return 0;
  }
  TrainingData training{std::make_shared<const Matrix>(std::move(data.images)),
                        std::make_shared<const std::vector<uint8_t>>(std::move(data.labels)), data.name};
  TrainingRun run(opt, std::move(training), std::move(model), threads, signals);
  return run.run();
}

}  // namespace gan
