// eval.jsonl reading and writing, and the quality plot.
#include "eval_log.h"

#include <cmath>
#include <fstream>

#include "atomic_file.h"
#include "file_io.h"
#include "loss_plot.h"

namespace gan {

nlohmann::json scores_to_json(const QualityScores& s) {
  nlohmann::json j{{"count", s.count},
                   {"confident", s.confident},
                   {"class_entropy_bits", s.class_entropy},
                   {"inception_score", s.inception_score},
                   {"frechet", s.frechet}};
  if (s.label_match >= 0) j["label_match"] = s.label_match;
  return j;
}

QualityScores scores_from_json(const nlohmann::json& j) {
  QualityScores s;
  s.count = j.value("count", int64_t{0});
  s.confident = j.value("confident", NAN);
  s.class_entropy = j.value("class_entropy_bits", NAN);
  s.inception_score = j.value("inception_score", NAN);
  s.frechet = j.value("frechet", NAN);
  s.label_match = j.value("label_match", -1.0);
  return s;
}

EvalLog::EvalLog(std::string path, int64_t keep_until_step) : path_(std::move(path)) {
  if (keep_until_step <= 0 || !file_exists(path_)) return;
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    // Lines that do not parse (an edited or foreign file) are dropped rather than stopping a resumed run.
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("step") || !j["step"].is_number_integer()) continue;
    const int64_t step = j["step"].get<int64_t>();
    if (step <= keep_until_step) entries_.push_back({step, scores_from_json(j)});
  }
}

void EvalLog::append(const EvalEntry& e) {
  entries_.push_back(e);
  std::string text;
  for (const EvalEntry& x : entries_) {
    nlohmann::json j = scores_to_json(x.scores);
    j["step"] = x.step;
    text += j.dump() + "\n";
  }
  write_file_atomic(path_, text.data(), text.size());
}

std::vector<unsigned char> render_quality_plot(const std::vector<EvalEntry>& entries, int width, int height) {
  PlotSeries frechet{"Frechet", kDLossColour, {}, {}};
  PlotSeries confident{"confident", kDRealColour, {}, {}}, entropy{"entropy/3.32", kDLossColour, {}, {}},
      inception{"IS/10", kGLossColour, {}, {}}, match{"label match", kDFakeColour, {}, {}};
  bool conditional = false;
  for (const EvalEntry& e : entries) {
    const double step = static_cast<double>(e.step);
    for (PlotSeries* s : {&frechet, &confident, &entropy, &inception, &match}) s->x.push_back(step);
    frechet.y.push_back(e.scores.frechet);
    confident.y.push_back(e.scores.confident);
    entropy.y.push_back(e.scores.class_entropy / std::log2(10.0));
    inception.y.push_back(e.scores.inception_score / 10.0);
    match.y.push_back(e.scores.label_match >= 0 ? e.scores.label_match : NAN);
    conditional = conditional || e.scores.label_match >= 0;
  }
  std::vector<PlotSeries> scores{confident, entropy, inception};
  if (conditional) scores.push_back(match);
  PlotPanel distance{"Frechet distance to real digits (log scale)", "distance", {frechet}};
  distance.log_y = true;  // it falls from about 1,000 to 20-30 over a run: the later evaluations stay readable
  return render_panels({distance, {"Scores", "score", scores, true}},
                       width, height);
}

}  // namespace gan
