// read_file plus the loader the file's architecture needs, with FormatError turned into a message about the file.
#include "generator_file.h"

#include "devices.h"
#include "file_io.h"
#include "format_error.h"
#include "labels.h"

namespace gan {

namespace {

constexpr const char* kAdvice = "pass a generator.safetensors written by `gan train`";

}  // namespace

Mlp read_generator_file(const std::string& path, GeneratorInfo* info) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  try {
    return load_generator(bytes.data(), bytes.size(), info);
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), kAdvice);
  }
}

DigitGenerator read_drawing_generator(const std::string& path) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  try {
    return load_digit_generator(bytes.data(), bytes.size());
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), kAdvice);
  }
}

AnyGenerator read_any_generator(const std::string& path) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  try {
    return AnyGenerator(bytes);
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), kAdvice);
  }
}

Matrix generate_on_device(AnyGenerator& G, const Matrix& z, const std::vector<int>* labels, const std::string& device) {
  if (!G.is_mlp() && device != "cpu")
    throw UserError("--device " + device + " draws the MLP architectures only; this " + G.architecture() +
                    " generator draws on the CPU: drop --device");
  if (!G.is_mlp() || device == "cpu") return G.generate(z, labels);
  if (G.info().classes == 0) return generate_on(device, G.mlp(), z);
  Matrix input;
  append_one_hot(z, *labels, G.info().classes, input);
  return generate_on(device, G.mlp(), input);
}

}  // namespace gan
