// Prints the quality table: the generator's samples, then real held-out digits and uniform noise as reference rows.
#include "eval_command.h"

#include <algorithm>
#include <cstdio>

#include "eval_log.h"
#include "file_io.h"
#include "format_error.h"
#include "generator_file.h"
#include "mnist_files.h"
#include "weights.h"

namespace gan {

namespace {

// The real-digits row scores this many training digits, like the default sample count.
constexpr Eigen::Index kRealRowDigits = 10000;

struct Row {
  std::string name;
  QualityScores s;
};

void print_table(const std::vector<Row>& rows, const std::string& reference) {
  std::printf("%-26s %9s %14s %7s %9s %12s\n", "", "confident", "class entropy", "IS", "Frechet", "label match");
  for (const Row& r : rows) {
    char match[16] = "-";
    if (r.s.label_match >= 0) std::snprintf(match, sizeof match, "%.3f", r.s.label_match);
    std::printf("%-26s %9.3f %9.3f bits %7.3f %9.2f %12s\n", r.name.c_str(), r.s.confident, r.s.class_entropy,
                r.s.inception_score, r.s.frechet, match);
  }
  std::printf("confident: share classified with p >= 0.9 (higher is better). class entropy: of the predicted classes, "
              "3.32 bits when all ten digits appear equally. IS: Inception-Score-style, 1 to 10 (higher is better). "
              "Frechet: distance of the classifier's features to the %s (lower is better).%s\n",
              reference.c_str(), rows.front().s.label_match >= 0 ? " label match: share classified as the digit asked for." : "");
}

nlohmann::json to_json(const Row& r) {
  nlohmann::json j = scores_to_json(r.s);
  j["set"] = r.name;
  j["class_share"] = r.s.class_share;
  return j;
}

}  // namespace

int run_eval(const EvalOptions& opt) {
  AnyGenerator G = read_any_generator(opt.weights);
  const GeneratorInfo& info = G.info();
  auto dataset = info.metadata.find("dataset");
  if (dataset != info.metadata.end() && dataset->second != "mnist")
    std::fprintf(stderr, "gan eval: note: %s was trained on \"%s\"; the classifier knows handwritten digits, so the "
                 "scores say how digit-like its images are\n", opt.weights.c_str(), dataset->second.c_str());
  QualityJudge judge(opt.classifier, opt.data_dir);

  std::vector<Row> rows;
  rows.push_back({"generator", judge.score_source(G.source(), info.z_dim, info.classes, opt.count, opt.seed)});
  if (judge.reference_is_test()) {
    // Real digits the classifier and the generators learned from, as many as the samples (at most 10,000): the
    // floor a generator's scores can reach.
    const Dataset train = load_mnist_folder(opt.data_dir, "train");
    const Eigen::Index n = std::min<Eigen::Index>(train.images.rows(), kRealRowDigits);
    rows.push_back({"real digits (" + std::to_string(n) + " train)", judge.score(train.images.topRows(n))});
  } else {
    std::fprintf(stderr, "gan eval: %s has no t10k-images-idx3-ubyte[.gz]: the Frechet distance is measured against "
                 "its training digits, and the real-digits row is left out\n", opt.data_dir.c_str());
  }
  rows.push_back({"uniform noise", judge.score(uniform_noise(opt.count, opt.seed))});

  if (opt.json) {
    for (const Row& r : rows) std::printf("%s\n", to_json(r).dump().c_str());
    return 0;
  }
  std::printf("gan eval: %s (%s%s), %d samples from seed %llu; classifier %s%s\n", opt.weights.c_str(),
              (G.is_mlp() ? std::string(info.classes > 0 ? "class-conditional, " : "") : G.architecture() + ", ").c_str(),
              info.metadata.count("step") ? ("step " + info.metadata.at("step")).c_str() : "no step recorded",
              opt.count, static_cast<unsigned long long>(opt.seed), opt.classifier.c_str(),
              judge.recorded_accuracy().empty() ? "" : (" (held-out accuracy " + judge.recorded_accuracy() + ")").c_str());
  print_table(rows, judge.reference_name());
  return 0;
}

}  // namespace gan
