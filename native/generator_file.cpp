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

AnyGenerator::AnyGenerator(const std::vector<uint8_t>& bytes) {
  if (is_layer_list_file(index_safetensors(bytes.data(), bytes.size()))) {
    network_ = std::make_unique<NetworkGenerator>(load_network_generator(bytes.data(), bytes.size(), &info_));
    architecture_ = network_->arch.name;
  } else {
    mlp_ = std::make_unique<Mlp>(load_generator(bytes.data(), bytes.size(), &info_));
    architecture_ = info_.classes > 0 ? "conditional" : "seed";
  }
}

AnyGenerator::AnyGenerator(const std::string& path) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  try {
    *this = AnyGenerator(bytes);
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), kAdvice);
  }
}

std::vector<uint8_t> AnyGenerator::file(const std::string& dataset, int64_t step, DType dtype) const {
  if (mlp_) return save_generator(*mlp_, dataset, step, dtype);
  return save_network_generator(network_->net, network_->arch, dataset, step, dtype);
}

Matrix AnyGenerator::generate(const Matrix& z, const std::vector<int>* labels, const std::string& device) {
  if (network_) {
    if (device != "cpu")
      throw UserError("--device " + device + " draws the MLP architectures only; this " + architecture_ +
                      " generator draws on the CPU: drop --device");
    return network_->generate(z, labels);
  }
  if (info_.classes == 0) return generate_on(device, *mlp_, z);
  Matrix input;
  append_one_hot(z, *labels, info_.classes, input);
  return generate_on(device, *mlp_, input);
}

}  // namespace gan
