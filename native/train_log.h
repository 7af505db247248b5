// The training log: one JSON object per step in a .jsonl file, appended as training goes.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "gan.h"
#include "loss_plot.h"

namespace gan {

struct LogEntry {
  int64_t step = 0;
  int64_t epoch = 0;  // the epoch the step belongs to, counting from 1 (as the progress bar shows)
  StepStats stats;
};

class TrainLog {
 public:
  // Opens `path` for appending; entries after `keep_until_step` (left by a run killed after its last checkpoint)
  // are dropped first, so a resumed log has each step exactly once.
  TrainLog(const std::string& path, int64_t keep_until_step);
  ~TrainLog();
  TrainLog(const TrainLog&) = delete;
  TrainLog& operator=(const TrainLog&) = delete;

  // The entries of earlier runs that the log kept (those up to keep_until_step).
  const std::vector<LogEntry>& kept() const { return kept_; }

  void append(const LogEntry& e);
  void flush();

 private:
  std::string path_;
  FILE* file_ = nullptr;
  std::vector<LogEntry> kept_;
};

std::vector<LossPoint> to_loss_points(const std::vector<LogEntry>& entries);

}  // namespace gan
