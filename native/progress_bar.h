// Terminal progress bar for long loops (training, data loading), written to stderr.
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <utility>

namespace gan {

// "1:02:03" when at least an hour, else "01:28"; "--:--" when unknown (negative, NaN, inf).
std::string format_duration(double seconds);

// One progress line, e.g.
// "train  [#########>          ]  45% 4500/10000  62.3 it/s  ETA 01:28  D 1.234 G 0.876".
// total <= 0 means unknown total (no bar, percent or ETA); rate <= 0 or non-finite prints "-- it/s".
std::string format_progress_line(long done, long total, double rate, double eta_seconds, const std::string& label,
                                 const std::string& extra, int bar_width);

// Redraws in place with '\r' at most ~10 times per second when stderr is a terminal;
// otherwise (logs, pipes) prints a plain line at most every ~2 seconds.
class ProgressBar {
 public:
  // `already_done` counts work finished before this bar (a resumed run): the rates count only what this bar sees.
  ProgressBar(long total, std::string label, long already_done = 0);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Cheap to call every iteration; `extra` is appended to the line (e.g. current losses).
  void update(long done, const std::string& extra = "");
  // Prints the final line with the last `done`/`extra` and a newline. Idempotent.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  double recent_rate(Clock::time_point now);
  void draw(Clock::time_point now, bool final_line);

  long total_;
  std::string label_;
  bool tty_;
  bool finished_ = false;
  long first_done_;
  long done_;
  std::string extra_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
  size_t last_len_ = 0;
  std::deque<std::pair<Clock::time_point, long>> samples_;  // (time, done) over the last few seconds
};

}  // namespace gan
