// The quality log of `gan train --eval-every`: eval.jsonl (one JSON object per evaluation) and its plot.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quality_metric.h"

namespace gan {

// The scores as one JSON object (count, confident, class_entropy_bits, inception_score, frechet, and label_match when
// there is one), the form eval.jsonl and `gan eval --json` share; and back, with NaN for missing scores.
nlohmann::json scores_to_json(const QualityScores& s);
QualityScores scores_from_json(const nlohmann::json& j);

struct EvalEntry {
  int64_t step = 0;
  QualityScores scores;
};

class EvalLog {
 public:
  // Reads `path` when it exists, keeping the entries up to `keep_until_step` (a resumed run's checkpoint step).
  EvalLog(std::string path, int64_t keep_until_step);

  const std::vector<EvalEntry>& entries() const { return entries_; }
  // Adds an entry and rewrites the file atomically (it is small), so a kill never leaves half a line.
  void append(const EvalEntry& e);

 private:
  std::string path_;
  std::vector<EvalEntry> entries_;
};

// Two panels against step: the Fréchet distance (top); confident share, class entropy / log2(10), IS / 10 and, for a
// conditional GAN, label match, all on [0, 1] (bottom). RGB bytes for write_png(..., 3).
std::vector<unsigned char> render_quality_plot(const std::vector<EvalEntry>& entries, int width = 960, int height = 540);

}  // namespace gan
