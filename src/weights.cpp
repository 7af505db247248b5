// Conversion between the networks and safetensors files, with validation that tells the user what to do.
#include "weights.h"

#include "architectures.h"
#include "checkpoint_parts.h"
#include "file_checks.h"
#include "quantize.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <type_traits>

namespace gan {

namespace {

// `z_dim` is the latent size of the GAN the network belongs to (for a discriminator, that of its generator).
std::map<std::string, std::string> base_metadata(const std::string& kind, const Mlp& net, int z_dim,
                                                 const std::string& dataset, int64_t step) {
  std::string widths;
  for (int w : net.spec().widths) widths += (widths.empty() ? "" : ",") + std::to_string(w);
  std::map<std::string, std::string> meta{
      {"format_version", kFormatVersion}, {"kind", kind},      {"architecture", kArchitecture},
      {"widths", widths},                {"dataset", dataset}, {"step", std::to_string(step)},
      {"z_dim", std::to_string(z_dim)}};
  if (net.spec().classes > 0) {
    meta["architecture"] = kConditionalArchitecture;
    meta["classes"] = std::to_string(net.spec().classes);
  }
  return meta;
}

std::string widths_text(const std::vector<int>& widths) {
  std::string r;
  for (int w : widths) r += (r.empty() ? "" : ",") + std::to_string(w);
  return r;
}

// A network's tensors in a file, every name and shape checked before any value is read.
struct NetworkTensors {
  struct Layer {
    std::string weight_name, bias_name;
    const TensorView *weight, *bias, *scale;  // scale: 8-bit weights only (format version 2), one per row
  };
  std::vector<Layer> layers;
};

NetworkTensors find_network(const SafeTensorsView& file, const std::string& prefix, const MlpSpec& spec,
                            const std::string& what) {
  const auto names = spec.param_names();
  NetworkTensors net;
  for (size_t i = 0; i + 1 < spec.widths.size(); ++i) {
    const int64_t out = spec.widths[i + 1], in = spec.widths[i];
    NetworkTensors::Layer l{prefix + names[2 * i], prefix + names[2 * i + 1], nullptr, nullptr, nullptr};
    l.weight = &require(file, l.weight_name, {out, in}, what);
    l.bias = &require(file, l.bias_name, {out}, what);
    // 8-bit weights are whole numbers that mean nothing without their scale. (A scale next to float weights is
    // applied too: that is a q8 file some other tool rewrote as floats.)
    if (l.weight->dtype == TensorView::Stored::I8 && !file.find(l.weight_name + "_scale"))
      throw FormatError(what + ": tensor \"" + l.weight_name + "\" holds 8-bit values but its scale tensor \"" +
                        l.weight_name + "_scale\" is missing; " + damaged_advice(what));
    if (file.find(l.weight_name + "_scale")) l.scale = &require(file, l.weight_name + "_scale", {out}, what);
    net.layers.push_back(l);
  }
  return net;
}

// Reads each layer's weights row by row (scaled, for 8-bit files) and its biases into whatever holds them:
// weight_row(layer, row, values) and bias(layer, values), all values checked finite. Given a quantized_row, rows of
// I8 tensors go there instead, as quantized_row(layer, row, whole_numbers, scale).
template <class WeightRow, class Bias, class QuantizedRow = std::nullptr_t>
void read_network_values(const NetworkTensors& net, const std::string& what, WeightRow weight_row, Bias bias,
                         QuantizedRow quantized_row = nullptr) {
  constexpr bool keeps_integers = !std::is_same_v<QuantizedRow, std::nullptr_t>;
  std::vector<float> row, scale;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const NetworkTensors::Layer& l = net.layers[i];
    const auto rows = static_cast<size_t>(l.weight->shape[0]), cols = static_cast<size_t>(l.weight->shape[1]);
    if (l.scale) {
      scale.resize(rows);
      read_finite(*l.scale, 0, rows, scale.data(), l.weight_name + "_scale", what);
    }
    row.resize(std::max(rows, cols));
    const bool whole_numbers = l.scale && l.weight->dtype == TensorView::Stored::I8;
    for (size_t r = 0; r < rows; ++r) {
      l.weight->decode(r * cols, cols, row.data());
      if constexpr (keeps_integers)
        if (whole_numbers) quantized_row(i, static_cast<int>(r), row.data(), scale[r]);
      if (l.scale)
        for (size_t c = 0; c < cols; ++c) row[c] *= scale[r];
      check_finite(row.data(), cols, l.weight_name, what);  // a scale so large the weights overflow is refused too
      if (!keeps_integers || !whole_numbers) weight_row(i, static_cast<int>(r), row.data());
    }
    read_finite(*l.bias, 0, rows, row.data(), l.bias_name, what);
    bias(i, row.data());
  }
}

// ", "dcgan-gan" and "conditional-dcgan-gan"": the other file tags this build reads, for messages.
std::string layer_list_tags() {
  std::string text;
  const auto& all = layer_architectures();
  for (size_t i = 0; i < all.size(); ++i)
    text += std::string(i + 1 == all.size() ? " and \"" : ", \"") + all[i].file_tag + "\"";
  return text;
}

void check_metadata(const std::map<std::string, std::string>& meta, const std::string& kind, const std::string& what) {
  auto get = [&](const std::string& key) { auto it = meta.find(key); return it == meta.end() ? std::string() : it->second; };
  const std::string version = get("format_version");
  if (!version.empty() && version != kFormatVersion && version != kFormatVersionQuantized)
    throw FormatError(what + " has format_version " + printable(version) + "; this build reads versions " +
                      kFormatVersion + " and " + kFormatVersionQuantized + ", so update the gan tool");
  const std::string arch = get("architecture");
  if (!arch.empty() && arch != kArchitecture && arch != kConditionalArchitecture)
    throw FormatError(what + " is for architecture \"" + printable(arch) + "\"; this build knows \"" + kArchitecture +
                      "\", \"" + kConditionalArchitecture + "\"" + layer_list_tags());
  const std::string k = get("kind");
  if (!k.empty() && k != kind)
    throw FormatError(what + " holds a " + printable(k) + ", not a " + kind + "; pass the right file");
}

// The number of label classes a file's metadata declares: 0 for the seed's architecture.
int read_classes(const std::map<std::string, std::string>& meta, const std::string& what) {
  auto it = meta.find("architecture");
  if (it == meta.end() || it->second != kConditionalArchitecture) return 0;
  const int64_t classes = parse_int(meta, "classes", what);
  if (classes < 1 || classes > 1000) throw FormatError(what + ": metadata \"classes\" is out of range (1..1000)");
  return static_cast<int>(classes);
}

// Checks a generator file's metadata and first layer, which say what network it holds, and that the metadata
// (z_dim, classes, widths) describes the network its tensors hold.
MlpSpec generator_file_spec(const SafeTensorsView& file, const std::string& what, GeneratorInfo* info) {
  const auto& meta = file.metadata;
  check_metadata(meta, "generator", what);
  const TensorView* first = file.find("main.0.weight");
  if (!first || first->shape.size() != 2)
    throw FormatError(what + " has no 2-D tensor \"main.0.weight\"; is this a generator of the seed's architecture?");
  const int classes = read_classes(meta, what);
  if (classes == 0 && meta.count("classes"))
    throw FormatError(what + ": metadata \"classes\" is set, but its architecture is not \"" +
                      kConditionalArchitecture + "\"; " + damaged_advice(what));
  const int hidden = generator_spec().widths[1];
  if (first->shape[0] != hidden) {
    std::string inputs = "N";  // the latent size plus the classes, known when the metadata says so
    try {
      if (meta.count("z_dim")) inputs = std::to_string(parse_count(meta, "z_dim", 4096, what) + classes);
    } catch (const FormatError&) {
    }
    throw FormatError(what + ": tensor \"main.0.weight\" has shape " + shape_text(first->shape) + ", expected [" +
                      std::to_string(hidden) + "," + inputs + "]" +
                      (inputs == "N" ? " with N the latent size (e.g. [" + std::to_string(hidden) + ",100])" : "") +
                      "; is this a generator of the seed's architecture?");
  }
  const int64_t z_dim = first->shape[1] - classes;
  if (z_dim < 1 || z_dim > 4096)
    throw FormatError(what + ": z size " + std::to_string(z_dim) + " (tensor \"main.0.weight\" of shape " +
                      shape_text(first->shape) + (classes > 0 ? " less " + std::to_string(classes) + " classes" : "") +
                      ") is out of range (1..4096); " + damaged_advice(what));
  auto z_text = meta.find("z_dim");
  if (z_text != meta.end() && z_text->second != std::to_string(z_dim))
    throw FormatError(what + ": metadata \"z_dim\" is \"" + printable(z_text->second) +
                      "\", but tensor \"main.0.weight\" of shape " + shape_text(first->shape) +
                      (classes > 0 ? " with metadata \"classes\" " + std::to_string(classes) + " leaves" : " makes") +
                      " a latent size of " + std::to_string(z_dim) + "; " + damaged_advice(what));
  const MlpSpec spec = generator_spec(static_cast<int>(z_dim), classes);
  check_widths(meta, spec.widths, what);
  if (meta.count("step")) parse_count(meta, "step", int64_t{1} << 48, what);  // `gan convert` carries it over
  if (info) {
    info->z_dim = static_cast<int>(z_dim);
    info->classes = classes;
    info->metadata = meta;
  }
  return spec;
}

}  // namespace

void check_widths(const std::map<std::string, std::string>& meta, const std::vector<int>& widths,
                  const std::string& what) {
  auto it = meta.find("widths");
  if (it == meta.end() || it->second == widths_text(widths)) return;
  throw FormatError(what + ": metadata \"widths\" is \"" + printable(it->second) +
                    "\", but its tensors are a network of widths " + widths_text(widths) + "; " + damaged_advice(what));
}

// With `quantize`, each weight matrix becomes I8 values and an F32 scale per row (the row's largest |w| / 127,
// rounded to nearest): at most half a step, 0.4% of the row's largest weight, off each weight.
void add_network(SafeTensors& file, const std::string& prefix, const Mlp& net, bool quantize) {
  const auto names = net.param_names();
  for (size_t i = 0; i < net.depth(); ++i) {
    const Linear& l = net.linear(i);
    if (!quantize)
      file.add(prefix + names[2 * i], {l.weight.rows(), l.weight.cols()}, l.weight.data());
    else
      add_quantized(file, prefix + names[2 * i], {l.weight.rows(), l.weight.cols()}, l.weight.data());
    file.add(prefix + names[2 * i + 1], {l.bias.size()}, l.bias.data());
    if (quantize) file.tensors.back().second.store_as = DType::F32;
  }
}

// Fills `net`'s parameters from tensors named prefix + PyTorch name.
void read_network(const SafeTensorsView& file, const std::string& prefix, Mlp& net, const std::string& what) {
  read_network_values(
      find_network(file, prefix, net.spec(), what), what,
      [&](size_t i, int r, const float* v) { std::copy(v, v + net.linear(i).weight.cols(), net.linear(i).weight.row(r).data()); },
      [&](size_t i, const float* v) { std::copy(v, v + net.linear(i).bias.size(), net.linear(i).bias.data()); });
}

std::vector<uint8_t> save_generator(const Mlp& G, const std::string& dataset, int64_t step, DType dtype) {
  SafeTensors file;
  file.metadata = base_metadata("generator", G, G.spec().data_inputs(), dataset, step);
  if (dtype == DType::I8) {
    file.metadata["format_version"] = kFormatVersionQuantized;
    file.metadata["weights"] = "int8, one F32 scale per output row in <name>_scale";
  }
  add_network(file, "", G, dtype == DType::I8);
  return write_safetensors(file, dtype == DType::I8 ? DType::F32 : dtype);
}

std::vector<uint8_t> save_discriminator(const Mlp& D, int z_dim, const std::string& dataset, int64_t step) {
  SafeTensors file;
  file.metadata = base_metadata("discriminator", D, z_dim, dataset, step);
  add_network(file, "", D);
  return write_safetensors(file);
}

Mlp load_generator(const uint8_t* data, size_t size, GeneratorInfo* info) {
  const std::string what = "generator file";
  const SafeTensorsView file = index_safetensors(data, size);
  GeneratorInfo found;
  Mlp G(generator_file_spec(file, what, &found));
  read_network(file, "", G, what);
  if (info) *info = std::move(found);
  return G;
}

InferenceMlp load_packed_generator(const uint8_t* data, size_t size, GeneratorInfo* info) {
  const std::string what = "generator file";
  const SafeTensorsView file = index_safetensors(data, size);
  GeneratorInfo found;
  InferenceMlp G(generator_file_spec(file, what, &found));
  read_network_values(
      find_network(file, "", G.spec(), what), what,
      [&](size_t i, int r, const float* v) { G.set_weight_row(i, r, v); },
      [&](size_t i, const float* v) { G.set_bias(i, v); },
      [&](size_t i, int r, const float* whole, float scale) { G.set_quantized_row(i, r, whole, scale); });
  if (info) *info = std::move(found);
  return G;
}

std::vector<uint8_t> save_checkpoint(const Gan& gan, const TrainProgress& progress) {
  SafeTensors file;
  const auto& c = gan.config();
  file.metadata = base_metadata("checkpoint", gan.G, gan.config().z_dim, progress.dataset, gan.step);
  add_training_metadata(file.metadata, c, progress, gan.opt_g, gan.opt_d);
  add_network(file, "G.", gan.G);
  add_network(file, "D.", gan.D);
  if (c.ema > 0) add_network(file, "G_ema.", gan.G_ema);
  add_adam_state(file, "opt_G.", gan.opt_g);
  add_adam_state(file, "opt_D.", gan.opt_d);
  return write_safetensors(file);
}


Gan load_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress) {
  const std::string what = "checkpoint";
  const SafeTensorsView file = index_safetensors(data, size);
  check_metadata(file.metadata, "checkpoint", what);
  if (file.metadata.count("kind") == 0)
    throw FormatError("this file has no checkpoint metadata; resume needs a checkpoint written by `gan train`");
  GanConfig c = read_training_config(file.metadata, what);
  c.classes = read_classes(file.metadata, what);
  Gan gan(c);
  read_network(file, "G.", gan.G, what);
  read_network(file, "D.", gan.D, what);
  if (c.ema > 0) read_network(file, "G_ema.", gan.G_ema, what);
  check_widths(file.metadata, gan.G.spec().widths, what);  // after G's tensors matched z_dim and classes
  TrainProgress at = read_training_state(file, c.batch, gan.step, gan.opt_g, gan.opt_d, what);
  if (progress) *progress = std::move(at);
  return gan;
}

}  // namespace gan
