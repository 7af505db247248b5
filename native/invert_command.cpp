// Reads the targets (a picture made into an MNIST digit, or a .npy of digits), inverts them, writes z and a picture.
#include "invert_command.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "atomic_file.h"
#include "digit_image.h"
#include "file_io.h"
#include "format_error.h"
#include "generator_file.h"
#include "image_grid.h"
#include "image_reader.h"
#include "latent_inversion.h"
#include "npy.h"
#include "png_writer.h"
#include "progress_bar.h"

namespace gan {

namespace {

constexpr Eigen::Index kTargetsPerBatch = 16;  // targets inverted together (memory: 16 x restarts x classes rows)

Matrix read_targets(const std::string& path) {
  if (ends_with(path, ".npy")) {
    const auto bytes = read_file(path, uint64_t{1} << 30);
    Matrix digits;
    try {
      digits = parse_npy(bytes.data(), bytes.size(), path);
    } catch (const FormatError& e) {
      throw file_error(path, e.what(), "save a float32 array of shape (N, 784) in [-1, 1], as `gan generate --npy` does");
    }
    if (digits.cols() != 784 || digits.rows() < 1)
      throw UserError(path + " holds " + std::to_string(digits.rows()) + " x " + std::to_string(digits.cols()) +
                      " values; --image takes digits of shape (N, 784) in [-1, 1], or a picture");
    if (!digits.allFinite() || digits.cwiseAbs().maxCoeff() > 1.001f)
      throw UserError(path + ": its pixels must be finite and in [-1, 1] (as `gan generate --npy` writes them)");
    return digits;
  }
  const GrayImage image = read_gray_image(path, kMaxDigitImagePixels);
  try {
    return mnist_digit_from_gray(image.pixels.data(), image.width, image.height);
  } catch (const std::invalid_argument& e) {
    throw UserError(path + ": " + e.what());
  }
}

std::vector<uint8_t> latent_json(const std::vector<Inversion>& found, bool with_classes) {
  nlohmann::json z = nlohmann::json::array(), classes = nlohmann::json::array();
  for (const Inversion& f : found) {
    z.push_back(std::vector<float>(f.z.data(), f.z.data() + f.z.size()));
    classes.push_back(f.label);
  }
  nlohmann::json out{{"z", z}};
  if (with_classes) out["class"] = classes;
  const std::string text = out.dump() + "\n";
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<Inversion> invert_all(AnyGenerator& G, const Matrix& targets, const InversionOptions& opt) {
  const GeneratorInfo& info = G.info();
  std::vector<Inversion> found;
  ProgressBar bar(long(targets.rows()) * opt.steps, "invert");
  for (Eigen::Index at = 0; at < targets.rows(); at += kTargetsPerBatch) {
    const Eigen::Index n = std::min(kTargetsPerBatch, targets.rows() - at);
    const long before = long(at) * opt.steps;
    for (Inversion& f : invert_digits(G.network(), info.z_dim, info.classes, targets.middleRows(at, n), opt,
                                      [&](int done, int) { bar.update(before + long(n) * done); return true; }))
      found.push_back(std::move(f));
  }
  bar.finish();
  return found;
}
// Each digit's error (and class), one line each.
void print_found(const std::vector<Inversion>& found, bool with_classes) {
  for (size_t i = 0; i < found.size(); ++i)
    std::printf("digit %zu: error %.4f%s\n", i, found[i].error,
                with_classes ? (", class " + std::to_string(found[i].label)).c_str() : "");
  std::fflush(stdout);
}

// Pairs, five to a row: each target, then the digit found for it.
std::vector<unsigned char> pairs_png(AnyGenerator& G, const Matrix& targets, const Matrix& z, const std::vector<int>& labels) {
  const Matrix redrawn = G.generate(z, G.info().classes > 0 ? &labels : nullptr);
  Matrix pairs(2 * targets.rows(), 784);
  for (Eigen::Index i = 0; i < targets.rows(); ++i) pairs.row(2 * i) = targets.row(i), pairs.row(2 * i + 1) = redrawn.row(i);
  const GrayImage grid = render_grid(pairs, 2 * std::min<int>(5, int(targets.rows())), 4);
  return encode_png(grid.pixels.data(), grid.width, grid.height, 1);
}

}  // namespace

int run_invert(const InvertOptions& opt) {
  // Every output is checked before anything is read or written, so a failed run leaves them as they were.
  if (!ends_with(opt.out, ".npy") && !ends_with(opt.out, ".json"))
    throw UserError("--out " + opt.out + ": name it .npy (the latent vectors) or .json (with their classes)");
  check_output_path(opt.out);
  refuse_overwriting(opt.out, "--out", {{"-w", opt.weights}, {"--image", opt.image}});
  check_png_output(opt.png, "--png", {{"-w", opt.weights}, {"--image", opt.image}, {"--out", opt.out}});
  AnyGenerator G = read_any_generator(opt.weights);
  const GeneratorInfo& info = G.info();
  if (info.classes > 0 && ends_with(opt.out, ".npy"))
    throw UserError(opt.weights + " is class-conditional: name --out .json, so that each digit's class is kept with "
                    "its latent vector (`gan generate --z` reads it)");
  const Matrix targets = read_targets(opt.image);

  InversionOptions inversion;
  inversion.restarts = opt.restarts;
  inversion.steps = opt.steps;
  inversion.lr = opt.lr;
  inversion.seed = opt.seed;
  const std::vector<Inversion> found = invert_all(G, targets, inversion);

  print_found(found, info.classes > 0);
  Matrix z(targets.rows(), info.z_dim);
  std::vector<int> labels;
  for (size_t i = 0; i < found.size(); ++i) {
    z.row(Eigen::Index(i)) = found[i].z;
    labels.push_back(found[i].label);
  }
  const std::vector<uint8_t> out_bytes = ends_with(opt.out, ".npy") ? write_npy(z) : latent_json(found, info.classes > 0);
  const std::vector<unsigned char> png_bytes =
      opt.png.empty() ? std::vector<unsigned char>() : pairs_png(G, targets, z, labels);
  std::vector<FileToWrite> files{{opt.out, out_bytes.data(), out_bytes.size()}};
  if (!opt.png.empty()) files.push_back({opt.png, png_bytes.data(), png_bytes.size()});
  write_files_atomic(files);
  std::fprintf(stderr, "gan invert: wrote %lld latent vector%s to %s%s%s\n", static_cast<long long>(z.rows()),
               z.rows() == 1 ? "" : "s", opt.out.c_str(), opt.png.empty() ? "" : " and each target beside its match to ",
               opt.png.c_str());
  return 0;
}

}  // namespace gan
