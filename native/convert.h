// `gan convert`: a generator file rewritten in another storage type (F32, F16, or 8-bit weights for the page).
#pragma once
#include <string>

namespace gan {

struct ConvertOptions {
  std::string weights;  // input generator
  std::string to = "f16";
  std::string out;
};

int run_convert(const ConvertOptions& options);

}  // namespace gan
