// `gan train`: the training loop with its outputs (progress, log, sample grids, checkpoints, plot, GIF, export).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gan.h"
#include "quality_judge.h"

namespace gan {

struct TrainOptions {
  std::string data_dir = "data/mnist";
  std::string out_dir = "runs/mnist";
  std::string arch = "seed";  // one of architecture_names() (ignored when resuming: the checkpoint says)
  std::string resume;          // checkpoint to continue from ("" = start fresh)
  int64_t epochs = 100;
  int64_t iterations = 0;      // total steps; overrides epochs when > 0
  int threads = 0;             // 0 = all cores
  std::string device = "cpu";  // "cpu" or "cuda" (native/devices.h)
  bool tf32 = false;           // --device cuda: products on TF32 tensor cores
  bool export_f16 = false;     // also write generator-f16.safetensors
  bool quiet = false;          // no progress bar
  bool force = false;          // start afresh even where out_dir already holds a run
  int64_t eval_every = 0;      // score the generator every this many steps (0 = never): eval.jsonl and quality.png
  int eval_count = 10000;      // samples per evaluation, from seed 0 as `gan eval` draws them
  std::string classifier = kDefaultClassifier;
  int64_t inject_nan_at = 0;   // tests only: report a NaN loss at this step, to exercise the divergence stop
  GanConfig gan;
  // The run settings (--arch, --z-dim, --batch, --lr, --beta1, --beta2, --seed, --ema, --real-label) given on the
  // command line: with --resume each must agree with the checkpoint's, which the resumed run keeps.
  std::vector<std::string> given;
};

// Returns the process exit code: 0 when training finished, 1 when it diverged or failed, 130 when interrupted
// (each after saving what can be saved).
int run_training(const TrainOptions& options);

}  // namespace gan
