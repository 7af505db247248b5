// Loads a generator, draws or reads z, writes a PNG grid and/or the raw pixels as .npy.
#include "generate.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <utility>

#include "atomic_file.h"
#include "devices.h"
#include "file_io.h"
#include "format_error.h"
#include "generator_file.h"
#include "image_grid.h"
#include "labels.h"
#include "latent_file.h"
#include "npy.h"
#include "png_writer.h"
#include "weights.h"

namespace gan {

int run_generate(const GenerateOptions& opt) {
  const std::string png = opt.png.empty() && opt.npy.empty() ? "generated.png" : opt.png;
  // Refuse a bad output path before anything is written, so a failed run leaves every existing output as it was.
  if (!png.empty()) check_output_path(png);
  if (!opt.npy.empty()) check_output_path(opt.npy);
  if (!png.empty()) refuse_overwriting(png, "--png", {{"-w", opt.weights}, {"--z", opt.z_file}, {"--npy", opt.npy}});
  if (!opt.npy.empty()) refuse_overwriting(opt.npy, "--npy", {{"-w", opt.weights}, {"--z", opt.z_file}});
  if (!png.empty()) check_png_name(png, "--png");

  AnyGenerator G = read_any_generator(opt.weights);
  const GeneratorInfo& info = G.info();

  Matrix z;
  std::vector<int> file_labels;  // classes a latent JSON from the page carries
  if (!opt.z_file.empty()) {
    LatentFile file = read_latent_file(opt.z_file, info.z_dim);
    z = std::move(file.z);
    file_labels = std::move(file.labels);
  } else if (info.classes > 0 && opt.digit < 0) {
    z = class_grid_latents(Gan::sample_z(opt.seed, class_grid_rows(opt.count, info.classes), info.z_dim), opt.count,
                           info.classes);
  } else {
    z = Gan::sample_z(opt.seed, opt.count, info.z_dim);
  }
  const int64_t n = z.rows();
  // A conditional generator draws every digit as --digit, or as rows of all its classes.
  std::vector<int> labels;
  if (info.classes > 0) {
    if (opt.digit >= info.classes)
      throw UserError("--digit " + std::to_string(opt.digit) + " is not a class of " + opt.weights + "; it draws 0.." +
                      std::to_string(info.classes - 1));
    labels = opt.digit >= 0 ? std::vector<int>(static_cast<size_t>(n), opt.digit)
             : !file_labels.empty() ? file_labels
                                    : class_grid_labels(static_cast<int>(n), info.classes);
    // Only a file's classes can be out of range (--digit is checked above, the grid's own are 0..classes-1).
    for (int label : opt.digit >= 0 ? std::vector<int>() : file_labels)
      if (label < 0 || label >= info.classes)
        throw UserError(opt.z_file + " asks for class " + std::to_string(label) + ", and " + opt.weights + " draws 0.." +
                        std::to_string(info.classes - 1) + "; fix its \"class\" or pass --digit");
  } else if (opt.digit >= 0) {
    throw UserError(opt.weights + " is not class-conditional, so it cannot be asked for a digit; train one with "
                    "`gan train --arch conditional` (or conditional-dcgan), or leave out --digit");
  }
  const int square = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
  const int cols = opt.cols > 0 ? opt.cols : info.classes > 0 && opt.digit < 0 ? info.classes : square;
  if (!png.empty()) {
    // The grid's size as render_grid lays it out (2-pixel gaps), checked before gigabytes of pixels are allocated.
    const int64_t cell = 28 * opt.scale, rows = (n + cols - 1) / cols;
    const int64_t width = cols * cell + (cols + 1) * 2, height = rows * cell + (rows + 1) * 2;
    if (width * height > INT_MAX / 2)
      throw UserError("a grid of " + std::to_string(n) + " digits at --scale " + std::to_string(opt.scale) + " is " +
                      std::to_string(width) + "x" + std::to_string(height) + " pixels, too large for one PNG; lower "
                      "--count or --scale, or write only --npy");
  }
  const Matrix images = generate_on_device(G, z, info.classes > 0 ? &labels : nullptr, opt.device);

  // Everything is encoded before anything is written, so an encoding failure leaves both outputs as they were.
  std::vector<unsigned char> png_bytes;
  if (!png.empty()) {
    const GrayImage img = render_grid(images, cols, opt.scale);
    png_bytes = encode_png(img.pixels.data(), img.width, img.height, 1);
  }
  const std::vector<uint8_t> npy_bytes = opt.npy.empty() ? std::vector<uint8_t>() : write_npy(images);
  // Both outputs are renamed into place only once both are written, so a failure leaves both as they were.
  std::vector<FileToWrite> files;
  if (!png.empty()) files.push_back({png, png_bytes.data(), png_bytes.size()});
  if (!opt.npy.empty()) files.push_back({opt.npy, npy_bytes.data(), npy_bytes.size()});
  write_files_atomic(files);
  if (!png.empty())
    std::fprintf(stderr, "gan generate: wrote %lld digits to %s\n", static_cast<long long>(n), png.c_str());
  if (!opt.npy.empty())
    std::fprintf(stderr, "gan generate: wrote %lld x 784 float32 to %s\n", static_cast<long long>(n), opt.npy.c_str());
  return 0;
}

}  // namespace gan
