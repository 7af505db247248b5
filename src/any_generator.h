// A generator file of any architecture as float networks (the seed's MLPs or a layer list such as the DCGAN), for
// the work that runs through its layers: drawing on the CPU, inversion, directions, converting.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlp.h"
#include "network_files.h"
#include "quality_metric.h"
#include "weights.h"

namespace gan {

class AnyGenerator {
 public:
  // From a file's bytes; throws FormatError when they are not a generator.
  AnyGenerator(const uint8_t* data, size_t size);
  explicit AnyGenerator(const std::vector<uint8_t>& bytes) : AnyGenerator(bytes.data(), bytes.size()) {}
  const GeneratorInfo& info() const { return info_; }
  // "seed", "conditional", "dcgan", "conditional-dcgan".
  const std::string& architecture() const { return architecture_; }
  bool is_mlp() const { return mlp_ != nullptr; }
  Mlp& mlp() { return *mlp_; }  // is_mlp() only
  // Its layer list (either architecture), for work that runs through its layers (inversion).
  Network& network() { return mlp_ ? mlp_->network() : network_->net; }
  // Digits for z (and one class per row for a conditional generator), in evaluation mode, on the CPU.
  Matrix generate(const Matrix& z, const std::vector<int>* labels);
  // The generator written again as F32, F16 or 8-bit, with this dataset name and step.
  std::vector<uint8_t> file(const std::string& dataset, int64_t step, DType dtype) const;
  DigitSource source() {
    return [this](const Matrix& z, const std::vector<int>* labels) { return generate(z, labels); };
  }

 private:
  GeneratorInfo info_;
  std::string architecture_;
  std::unique_ptr<Mlp> mlp_;
  std::unique_ptr<NetworkGenerator> network_;
};

}  // namespace gan
