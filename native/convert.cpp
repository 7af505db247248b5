// Reads any generator file gan reads and writes it again as F32, F16 or int8 with per-row scales, keeping its
// dataset and step; reports how far the converted generator's digits moved.
#include "convert.h"

#include <cstdio>

#include "atomic_file.h"
#include "file_io.h"
#include "generator_file.h"
#include "quality_metric.h"
#include "weights.h"

namespace gan {

int run_convert(const ConvertOptions& opt) {
  const DType dtype = opt.to == "f32" ? DType::F32 : opt.to == "f16" ? DType::F16 : DType::I8;
  check_output_path(opt.out);
  refuse_overwriting(opt.out, "-o", {{"-w", opt.weights}});
  AnyGenerator G = read_any_generator(opt.weights);
  const GeneratorInfo& info = G.info();
  auto meta = [&](const char* key, const std::string& fallback) {
    auto it = info.metadata.find(key);
    return it == info.metadata.end() ? fallback : it->second;
  };
  int64_t step = 0;
  try { step = std::stoll(meta("step", "0")); } catch (const std::exception&) {}
  const auto out = G.file(meta("dataset", "unknown"), step, dtype);
  // How much the storage type moves the digits: 64 digits from seed 0 (every class in turn), before and after.
  const Matrix before = sample_digits(G.source(), info.z_dim, info.classes, 64, 0, nullptr);
  AnyGenerator converted(out);
  const Matrix after = sample_digits(converted.source(), info.z_dim, info.classes, 64, 0, nullptr);
  const float moved = (after - before).cwiseAbs().maxCoeff();
  write_file_atomic(opt.out, out.data(), out.size());
  std::fprintf(stderr, "gan convert: wrote %s (%s, %.2f MB) from %s; 64 digits from seed 0 moved by at most %.4f "
               "(pixels in [-1, 1])\n", opt.out.c_str(), opt.to.c_str(), out.size() / 1e6, opt.weights.c_str(), moved);
  return 0;
}

}  // namespace gan
