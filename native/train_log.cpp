// JSONL log writing (plain fprintf, it runs every step) and reading (nlohmann::json).
#include "train_log.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "file_io.h"
#include "json_number.h"

namespace gan {

namespace {

bool parse_line(const std::string& line, LogEntry& e) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("step")) return false;
  try {
    // A step or epoch that is not a whole number (an edited line) drops the line, as a line that does not parse does.
    constexpr int64_t kMost = int64_t{1} << 53;
    const std::optional<int64_t> step = whole_number_in(j["step"], 0, kMost);
    const std::optional<int64_t> epoch = j.contains("epoch") ? whole_number_in(j["epoch"], 0, kMost) : int64_t{0};
    if (!step || !epoch) return false;
    e.step = *step;
    e.epoch = *epoch;
    auto value = [&](const char* key) {
      return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
    };
    e.stats.d_loss = value("d_loss");
    e.stats.g_loss = value("g_loss");
    e.stats.d_real = value("d_real");
    e.stats.d_fake = value("d_fake");
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

}  // namespace

TrainLog::TrainLog(const std::string& path, int64_t keep_until_step) : path_(path) {
  if (file_exists(path)) {
    std::ifstream in(path);
    std::string line, kept;
    LogEntry e;
    while (std::getline(in, line))
      if (parse_line(line, e) && e.step <= keep_until_step) {
        kept += line + "\n";
        kept_.push_back(e);
      }
    write_file_atomic(path, kept.data(), kept.size());
  }
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) throw UserError("cannot open the training log " + path + ": " + std::strerror(errno));
}

TrainLog::~TrainLog() {
  if (file_) std::fclose(file_);
}

namespace {
// JSON has no NaN or infinity: a diverged value is logged as null.
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

void TrainLog::append(const LogEntry& e) {
  std::fprintf(file_, "{\"step\":%lld,\"epoch\":%lld,\"d_loss\":%s,\"g_loss\":%s,\"d_real\":%s,\"d_fake\":%s}\n",
               static_cast<long long>(e.step), static_cast<long long>(e.epoch), number(e.stats.d_loss).c_str(),
               number(e.stats.g_loss).c_str(), number(e.stats.d_real).c_str(), number(e.stats.d_fake).c_str());
}

void TrainLog::flush() {
  if (std::fflush(file_) != 0) throw UserError("cannot write the training log " + path_ + ": " + std::strerror(errno));
}

std::vector<LossPoint> to_loss_points(const std::vector<LogEntry>& entries) {
  std::vector<LossPoint> points;
  points.reserve(entries.size());
  for (const auto& e : entries)
    points.push_back({static_cast<double>(e.step), e.stats.d_loss, e.stats.g_loss, e.stats.d_real, e.stats.d_fake});
  return points;
}

}  // namespace gan
