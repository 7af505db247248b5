// Draws digits, measures them, fits the directions, measures what each does, writes the sidecar and the strips.
#include "directions_command.h"

#include <cstdio>

#include "atomic_file.h"
#include "directions_file.h"
#include "file_io.h"
#include "gan.h"
#include "generator_file.h"
#include "image_grid.h"
#include "png_writer.h"
#include "quality_judge.h"

namespace gan {

namespace {

constexpr int kStripSteps = 7;  // -3 .. +3
constexpr int kStripVectors = 3;

// Uniform classes for a conditional generator's digits (empty for another).
std::vector<int> random_classes(int count, int classes, uint64_t seed) {
  if (classes == 0) return {};
  Rng rng(seed);
  std::vector<int> labels(static_cast<size_t>(count));
  for (int& l : labels) l = static_cast<int>(rng.below(static_cast<uint32_t>(classes)));
  return labels;
}

// Per direction, kStripVectors rows of the digit from -3 to +3 along it.
std::vector<unsigned char> strips_png(AnyGenerator& G, const std::vector<NamedDirection>& dirs, uint64_t seed) {
  const int classes = G.info().classes;
  const Matrix z = Gan::sample_z(seed, kStripVectors, G.info().z_dim);
  const std::vector<int> row_classes = random_classes(kStripVectors, classes, seed + 1);
  Matrix walk(Eigen::Index(dirs.size()) * kStripVectors * kStripSteps, z.cols());
  std::vector<int> labels;
  Eigen::Index r = 0;
  for (const NamedDirection& d : dirs)
    for (int v = 0; v < kStripVectors; ++v)
      for (int s = 0; s < kStripSteps; ++s, ++r) {
        walk.row(r) = z.row(v) + float(s - kStripSteps / 2) * d.direction.direction;
        if (classes > 0) labels.push_back(row_classes[size_t(v)]);
      }
  const GrayImage grid = render_grid(G.generate(walk, classes > 0 ? &labels : nullptr), kStripSteps, 2);
  return encode_png(grid.pixels.data(), grid.width, grid.height, 1);
}

// Fits on `count` digits, then measures each direction on `check_count` other latent vectors.
DirectionsFile fit_and_measure(AnyGenerator& G, DigitClassifier& judge, const DirectionsOptions& opt) {
  const GeneratorInfo& info = G.info();
  const Matrix z = Gan::sample_z(opt.seed, opt.count, info.z_dim);
  const std::vector<int> labels = random_classes(opt.count, info.classes, opt.seed + 1);
  const Matrix digits = G.generate(z, labels.empty() ? nullptr : &labels);
  const std::vector<LatentDirection> fitted = fit_directions(z, measure_attributes(digits), class_scores(judge, digits));
  const Matrix check_z = Gan::sample_z(opt.seed + 2, opt.check_count, info.z_dim);
  const std::vector<int> check_labels = random_classes(opt.check_count, info.classes, opt.seed + 3);
  const std::vector<DirectionEffect> effects = measure_direction_effects(
      G.source(), judge, check_z, check_labels.empty() ? nullptr : &check_labels, fitted, 2.0f);
  DirectionsFile file;
  const auto meta = [&](const char* key) { return info.metadata.count(key) ? info.metadata.at(key) : std::string(); };
  file.owner = {G.architecture(), info.z_dim, info.classes, meta("dataset"), meta("step")};
  file.fitted_on = opt.count;
  for (size_t i = 0; i < fitted.size(); ++i) file.directions.push_back({fitted[i], effects[i]});
  return file;
}

void print_effects(const DirectionsFile& file) {
  std::printf("%-7s %-26s %s\n", "name", "+2 along it changes it by", "class kept");
  for (const NamedDirection& d : file.directions) {
    const Attribute a = d.direction.attribute;
    std::printf("%-7s %+9.3f %-16s %5.1f%%\n", attribute_name(a).c_str(), d.at_plus_2.change,
                attribute_unit(a).c_str(), 100.0 * d.at_plus_2.class_kept);
  }
  std::fflush(stdout);
}

}  // namespace

int run_directions(const DirectionsOptions& opt) {
  if (!ends_with(opt.out, ".json")) throw UserError("--out " + opt.out + ": name the directions file .json");
  check_output_path(opt.out);
  refuse_overwriting(opt.out, "--out", {{"-w", opt.weights}, {"--classifier", opt.classifier}});
  check_png_output(opt.png, "--png", {{"-w", opt.weights}, {"--classifier", opt.classifier}, {"--out", opt.out}});
  AnyGenerator G = read_any_generator(opt.weights);
  std::string accuracy;
  DigitClassifier judge = read_classifier(opt.classifier, &accuracy);

  const DirectionsFile file = fit_and_measure(G, judge, opt);
  print_effects(file);
  const std::string json = write_directions_json(file);
  std::vector<unsigned char> png = opt.png.empty() ? std::vector<unsigned char>() : strips_png(G, file.directions, opt.seed);
  std::vector<FileToWrite> files{{opt.out, json.data(), json.size()}};
  if (!opt.png.empty()) files.push_back({opt.png, png.data(), png.size()});
  write_files_atomic(files);
  std::fprintf(stderr, "gan directions: wrote %zu directions to %s%s%s\n", file.directions.size(), opt.out.c_str(),
               opt.png.empty() ? "" : " and their strips (-3 to +3, a row per latent vector) to ", opt.png.c_str());
  return 0;
}

}  // namespace gan
