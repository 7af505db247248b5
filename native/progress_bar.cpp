// Terminal progress bar: throttled redraws, smoothed rate and ETA, plain lines when not a TTY.
#include "progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gan {
namespace {

constexpr double kTtyInterval = 0.1;  // seconds between redraws on a terminal
constexpr double kLogInterval = 2.0;  // seconds between lines in a log file
constexpr double kRateWindow = 10.0;  // the rate reflects roughly the last this-many seconds
constexpr double kSampleInterval = 0.25;

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string format_rate(double rate) {
  if (!std::isfinite(rate) || rate <= 0) return "-- it/s";
  char buf[48];
  if (rate >= 100)
    std::snprintf(buf, sizeof buf, "%.0f it/s", rate);
  else if (rate >= 1)
    std::snprintf(buf, sizeof buf, "%.1f it/s", rate);
  else
    std::snprintf(buf, sizeof buf, "%.3f it/s", rate);
  return buf;
}

// Lines longer than the terminal wrap, and '\r' then only rewinds the last row.
size_t terminal_columns() {
  winsize ws{};
  if (ioctl(fileno(stderr), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 0;
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  long total = std::lround(seconds);
  long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[48];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", h, m, s);
  else
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", m, s);
  return buf;
}

std::string format_progress_line(long done, long total, double rate, double eta_seconds, const std::string& label,
                                 const std::string& extra, int bar_width) {
  std::string line = label;
  if (!line.empty()) line += "  ";
  char buf[96];
  if (total > 0) {
    done = std::clamp(done, 0L, total);
    bar_width = std::max(bar_width, 1);
    long filled = static_cast<long>(static_cast<double>(done) / total * bar_width);
    std::string bar(static_cast<size_t>(filled), '#');
    if (filled < bar_width) bar += '>';
    bar.resize(static_cast<size_t>(bar_width), ' ');
    int percent = static_cast<int>(static_cast<double>(done) * 100 / total);
    std::snprintf(buf, sizeof buf, "[%s] %3d%% %ld/%ld", bar.c_str(), percent, done, total);
    line += buf;
  } else {
    line += std::to_string(done);
  }
  line += "  " + format_rate(rate);
  if (total > 0) line += "  ETA " + format_duration(eta_seconds);
  if (!extra.empty()) line += "  " + extra;
  return line;
}

ProgressBar::ProgressBar(long total, std::string label, long already_done)
    : total_(total),
      label_(std::move(label)),
      tty_(isatty(fileno(stderr)) != 0),
      first_done_(already_done),
      done_(already_done),
      start_(Clock::now()) {
  samples_.emplace_back(start_, already_done);
  last_draw_ = start_;
}

ProgressBar::~ProgressBar() {
  // If we are unwinding mid-progress, end the '\r' line so the error message gets its own line.
  if (!finished_ && drawn_ && tty_) std::fputc('\n', stderr);
}

double ProgressBar::recent_rate(Clock::time_point now) {
  if (seconds_between(samples_.back().first, now) >= kSampleInterval) samples_.emplace_back(now, done_);
  while (samples_.size() > 2 && seconds_between(samples_[1].first, now) >= kRateWindow) samples_.pop_front();
  const auto& oldest = samples_.front();
  double dt = seconds_between(oldest.first, now);
  return dt > 0 ? (done_ - oldest.second) / dt : 0.0;
}

void ProgressBar::update(long done, const std::string& extra) {
  if (finished_) return;
  done_ = done;
  extra_ = extra;
  Clock::time_point now = Clock::now();
  double since = seconds_between(last_draw_, now);
  if (since < (tty_ ? kTtyInterval : kLogInterval)) return;
  draw(now, false);
}

void ProgressBar::finish() {
  if (finished_) return;
  draw(Clock::now(), true);
  finished_ = true;
}

void ProgressBar::draw(Clock::time_point now, bool final_line) {
  double rate = recent_rate(now);
  std::string line;
  if (final_line) {
    // Total time and whole-run average are the more useful numbers to leave on screen.
    double elapsed = seconds_between(start_, now);
    rate = elapsed > 0 ? (done_ - first_done_) / elapsed : 0.0;
    line = format_progress_line(done_, total_, rate, -1.0, label_, "", 20);
    const std::string unknown_eta = "  ETA --:--";
    size_t cut = line.size() >= unknown_eta.size() ? line.size() - unknown_eta.size() : 0;
    if (line.compare(cut, std::string::npos, unknown_eta) == 0) line.resize(cut);
    line += "  took " + format_duration(elapsed);
    if (!extra_.empty()) line += "  " + extra_;
  } else {
    double eta = rate > 0 ? std::max(0L, total_ - done_) / rate : -1.0;
    line = format_progress_line(done_, total_, rate, eta, label_, extra_, 20);
  }
  last_draw_ = now;
  drawn_ = true;
  if (!tty_) {
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
    return;
  }
  size_t cols = terminal_columns();
  if (cols > 1 && line.size() >= cols) line.resize(cols - 1);
  size_t len = line.size();
  if (len < last_len_) line.append(last_len_ - len, ' ');  // erase leftovers of a longer previous line
  last_len_ = len;
  std::fprintf(stderr, "\r%s%s", line.c_str(), final_line ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace gan
