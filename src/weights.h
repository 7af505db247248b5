// The project's one weights format: safetensors with the seed's PyTorch state_dict names, plus metadata.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "architectures.h"
#include "gan.h"
#include "gan_model.h"
#include "inference_mlp.h"
#include "safetensors.h"

namespace gan {

constexpr const char* kFormatVersion = "1";
// Version 2 adds 8-bit weights: a generator saved with DType::I8 stores each weight matrix as I8 with one F32
// scale per output row in "<name>_scale" (weight = value * scale); biases stay F32. Readers take both versions.
constexpr const char* kFormatVersionQuantized = "2";
constexpr const char* kArchitecture = kSeedMlpTag;
// `gan train --arch conditional`: a one-hot label appended to G's z and to D's image; metadata "classes" says how many.
constexpr const char* kConditionalArchitecture = kConditionalMlpTag;

// An MLP's tensors in `file`, named prefix + PyTorch name ("main.0.weight"...). With `quantize`, each weight matrix
// becomes I8 values and an F32 scale per row in "<name>_scale".
void add_network(SafeTensors& file, const std::string& prefix, const Mlp& net, bool quantize = false);
// Fills `net`'s parameters from such tensors, checking that each exists, has the right shape and is finite;
// `what` names the file in errors.
void read_network(const SafeTensorsView& file, const std::string& prefix, Mlp& net, const std::string& what);

// Throws FormatError when `meta` has a "widths" entry that is not `widths` ("784,512,128,10"): metadata that
// disagrees with the tensors; `what` names the file ("generator file", "checkpoint", "classifier file").
void check_widths(const std::map<std::string, std::string>& meta, const std::vector<int>& widths,
                  const std::string& what);

// A generator file: main.0/2/4/6.{weight,bias}; loads into the seed's Generator with load_state_dict (F32 or F16;
// DType::I8 writes format version 2, about half the bytes of F16, for the page's download).
std::vector<uint8_t> save_generator(const Mlp& G, const std::string& dataset, int64_t step, DType dtype = DType::F32);
// A discriminator file: main.0/3/6/9.{weight,bias}; z_dim is its generator's latent size.
std::vector<uint8_t> save_discriminator(const Mlp& D, int z_dim, const std::string& dataset, int64_t step);

// What a loaded generator file says about itself.
struct GeneratorInfo {
  int z_dim = 0;
  int classes = 0;  // > 0 for a class-conditional generator (its input is z then a one-hot label)
  std::map<std::string, std::string> metadata;  // empty for a file PyTorch wrote without metadata
};

// Loads a generator file (ours, or a PyTorch state_dict saved with safetensors). Checks names, shapes, that the
// values are finite, that 8-bit weights come with their scales, and that the metadata, when present, describes a
// generator of this architecture and agrees with the tensors (z_dim, classes, widths).
Mlp load_generator(const uint8_t* data, size_t size, GeneratorInfo* info = nullptr);
// The same file, checks and errors, read straight into the packed evaluation layout: the page's load, which then
// touches only the packed weights' fresh memory (6 MB of floats; 3 MB of 16-bit integers for an 8-bit file, whose
// layers run on QuantizedPanels) instead of about 18 (float copies of the tensors, an Mlp, the packed copy of
// that), at some 3 ms per MB on a cold page.
InferenceMlp load_packed_generator(const uint8_t* data, size_t size, GeneratorInfo* info = nullptr);

// A checkpoint: G, D, both Adam states, the step, the seed and the training position.
std::vector<uint8_t> save_checkpoint(const Gan& gan, const TrainProgress& progress);
// Checks, besides the networks, that the metadata is plausible: Adam hyperparameters in the ranges `gan train`
// accepts, non-negative second moments, a training position that fits the step, batch and data set size, widths
// that match the tensors. Whether the data set is the one trained on is for the caller (TrainProgress).
Gan load_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress);

}  // namespace gan
