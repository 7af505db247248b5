// Reads a generator file from disk for the commands that take --weights, with the error message they share.
#pragma once
#include <memory>
#include <string>

#include "digit_generator.h"
#include "network_files.h"
#include "quality_metric.h"
#include "weights.h"

namespace gan {

// Throws UserError naming the file and what to pass instead when it is missing, too large or not a generator.
Mlp read_generator_file(const std::string& path, GeneratorInfo* info = nullptr);

// A generator file of any architecture ready to draw in the viewer (the MLP packed for SIMD).
DigitGenerator read_drawing_generator(const std::string& path);

// A generator file of any architecture: the seed's MLPs or a layer list (DCGAN), for the commands that only draw.
class AnyGenerator {
 public:
  explicit AnyGenerator(const std::string& path);
  // From a file's bytes already in memory (a FormatError, not a UserError, when they are not a generator).
  explicit AnyGenerator(const std::vector<uint8_t>& bytes);
  const GeneratorInfo& info() const { return info_; }
  // "seed", "conditional", "dcgan", "conditional-dcgan".
  const std::string& architecture() const { return architecture_; }
  bool is_mlp() const { return mlp_ != nullptr; }
  Mlp& mlp() { return *mlp_; }  // is_mlp() only
  // Its layer list (either architecture), for work that runs through its layers (inversion).
  Network& network() { return mlp_ ? mlp_->network() : network_->net; }
  // Digits for z (and one class per row for a conditional generator), in evaluation mode; `device` "cuda" draws
  // the MLPs on the GPU and refuses the layer lists.
  Matrix generate(const Matrix& z, const std::vector<int>* labels, const std::string& device = "cpu");
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
