// Loads a generator, draws or reads z, writes a PNG grid and/or the raw pixels as .npy.
#include "generate.h"

#include <cmath>
#include <cstdio>

#include "atomic_file.h"
#include "file_io.h"
#include "image_grid.h"
#include "npy.h"
#include "png_writer.h"
#include "weights.h"

namespace gan {

int run_generate(const GenerateOptions& opt) {
  const auto bytes = read_file(opt.weights, uint64_t{1} << 30);
  GeneratorInfo info;
  Mlp G = load_generator(bytes.data(), bytes.size(), &info);

  Matrix z;
  if (!opt.z_file.empty()) {
    const auto zb = read_file(opt.z_file, uint64_t{1} << 30);
    z = parse_npy(zb.data(), zb.size(), opt.z_file);
    if (z.cols() != info.z_dim)
      throw UserError(opt.z_file + " holds vectors of " + std::to_string(z.cols()) + " values, the generator takes " +
                      std::to_string(info.z_dim) + "; save an array of shape (N, " + std::to_string(info.z_dim) + ")");
    if (z.rows() < 1 || z.rows() > 100000) throw UserError(opt.z_file + ": expected 1 to 100000 latent vectors");
    if (!z.allFinite()) throw UserError(opt.z_file + " holds NaN or infinite values");
  } else {
    z = Gan::sample_z(opt.seed, opt.count, info.z_dim);
  }
  const Matrix images = G.forward(z, false);

  const std::string png = opt.png.empty() && opt.npy.empty() ? "generated.png" : opt.png;
  if (!png.empty()) {
    const int cols = opt.cols > 0 ? opt.cols : static_cast<int>(std::ceil(std::sqrt(static_cast<double>(images.rows()))));
    const GrayImage img = render_grid(images, cols, opt.scale);
    write_png(png, img.pixels.data(), img.width, img.height, 1);
    std::fprintf(stderr, "gan generate: wrote %lld digits to %s\n", static_cast<long long>(images.rows()), png.c_str());
  }
  if (!opt.npy.empty()) {
    const auto out = write_npy(images);
    write_file_atomic(opt.npy, out.data(), out.size());
    std::fprintf(stderr, "gan generate: wrote %lld x 784 float32 to %s\n", static_cast<long long>(images.rows()),
                 opt.npy.c_str());
  }
  return 0;
}

}  // namespace gan
