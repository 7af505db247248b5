// Writing and reading the layer-list GANs' files.
#include "network_files.h"

#include <algorithm>
#include <string>
#include <vector>

#include "checkpoint_parts.h"
#include "file_checks.h"
#include "format_error.h"
#include "quantize.h"

namespace gan {

namespace {

std::string layers_text(const Network& net) {
  std::string text;
  for (size_t i = 0; i < net.size(); ++i)
    text += (text.empty() ? "" : "; ") + pytorch_module(net.specs()[i], net.layer(i).input_shape());
  return text;
}

Metadata base_metadata(const std::string& kind, const Network& net, const Architecture& arch,
                       const std::string& dataset, int64_t step) {
  Metadata meta{{"format_version", kFormatVersion}, {"kind", kind},      {"architecture", arch.file_tag},
                {"dataset", dataset},               {"step", std::to_string(step)},
                {"z_dim", std::to_string(arch.z_dim)}, {"layers", layers_text(net)}};
  if (arch.classes > 0) meta["classes"] = std::to_string(arch.classes);
  return meta;
}

// With `quantize`, every weight of a Linear or convolution becomes 8-bit (quantize.h); the rest stays F32.
void add_state(SafeTensors& file, const std::string& prefix, const Network& net, bool quantize = false) {
  for (const NetworkTensor& t : net.state()) {
    if (quantize && t.tensor.name == "weight" && t.tensor.shape.size() >= 2) {
      add_quantized(file, prefix + t.name, t.tensor.shape, t.tensor.value);
      continue;
    }
    file.add(prefix + t.name, t.tensor.shape, t.tensor.value);
    if (quantize) file.tensors.back().second.store_as = DType::F32;
  }
}

// An 8-bit tensor's values times its slices' scales ("<name>_scale", one per slice of the first dimension).
void apply_scales(const SafeTensorsView& file, const std::string& name, const LayerTensor& t, const std::string& what) {
  const int64_t rows = t.shape.at(0);
  std::vector<float> scale(static_cast<size_t>(rows));
  if (!file.find(name + "_scale"))
    throw FormatError(what + ": tensor \"" + name + "\" holds 8-bit values but its scale tensor \"" + name +
                      "_scale\" is missing; " + damaged_advice(what));
  read_finite(require(file, name + "_scale", {rows}, what), 0, scale.size(), scale.data(), name + "_scale", what);
  const size_t per = t.size / static_cast<size_t>(rows);
  for (size_t k = 0; k < t.size; ++k) t.value[k] *= scale[k / per];
}

// Every tensor of `net` from `prefix` + its name: shape, finite values, variances not negative.
void read_state(const SafeTensorsView& file, const std::string& prefix, Network& net, const std::string& what) {
  for (const NetworkTensor& t : net.state()) {
    const std::string name = prefix + t.name;
    const TensorView& stored = require(file, name, t.tensor.shape, what);
    read_finite(stored, 0, t.tensor.size, t.tensor.value, name, what);
    if (stored.dtype == TensorView::Stored::I8) apply_scales(file, name, t.tensor, what);
    if (t.tensor.name == "running_var")
      for (size_t k = 0; k < t.tensor.size; ++k)
        if (t.tensor.value[k] < 0)
          throw FormatError(what + ": tensor \"" + name + "\" holds negative variances; " + damaged_advice(what));
  }
}

std::string get(const Metadata& meta, const std::string& key) {
  auto it = meta.find(key);
  return it == meta.end() ? std::string() : it->second;
}

// The modules of a "layers" text, which layers_text joins with "; ".
std::vector<std::string> modules_of(const std::string& layers) {
  std::vector<std::string> modules;
  for (size_t start = 0; start <= layers.size();) {
    const size_t end = std::min(layers.find("; ", start), layers.size());
    modules.push_back(layers.substr(start, end - start));
    start = end + 2;
  }
  return modules;
}

// The message for a file whose part does not fit this build's `arch` because the file lists other modules
// (`stored`) than this build's (`expected`): it names the first module that differs.
std::string another_version(const std::string& stored, const std::string& expected, const Architecture& arch,
                            const std::string& what) {
  const std::vector<std::string> theirs = modules_of(stored), ours = modules_of(expected);
  size_t i = 0;
  while (i < theirs.size() && i < ours.size() && theirs[i] == ours[i]) ++i;
  const auto module = [](const std::vector<std::string>& m, size_t k) {
    return k < m.size() ? printable(m[k], 60) : std::string("nothing");
  };
  return what + " comes from another version of \"" + arch.name + "\": its layer " + std::to_string(i) + " is " +
         module(theirs, i) + " where this build's is " + module(ours, i);
}

// What a file that lists no modules under a key says about a network whose tensors do not fit.
enum class Unlisted {
  TensorMessage,  // nothing more than read_state's own message, which names the tensor that does not fit
  OlderVersion,   // the key came with the network's last change: the file is from before it, another version
};

// read_state for the network whose modules the file's metadata `key` lists ("layers" for a generator file and a
// checkpoint's G, "d_layers" for a checkpoint's D). When the tensors do not fit and the file lists other modules
// than this build's `arch` has, the file comes from another version of the architecture (the DCGAN's G gained a
// first layer on 2026-12-06, its D a hidden layer on 2026-12-07); `unlisted` says what a file without the key is.
void read_listed_state(const SafeTensorsView& file, const std::string& key, Unlisted unlisted,
                       const std::string& prefix, Network& net, const Architecture& arch, const std::string& what) {
  try {
    read_state(file, prefix, net, what);
  } catch (const FormatError& e) {
    const std::string stored = get(file.metadata, key), expected = layers_text(net);
    const std::string advice = "; train it again with `gan train --arch " + arch.name + "`" +
                               (prefix.empty() ? ", or use the one in assets/" : "");
    if (stored.empty() && unlisted == Unlisted::OlderVersion)
      throw FormatError(what + " comes from another version of \"" + arch.name + "\" (" + e.what() + ")" + advice);
    if (stored.empty() || stored == expected) throw;
    throw FormatError(another_version(stored, expected, arch, what) + advice);
  }
}

// The architecture a file's metadata names, with its recorded z size.
Architecture file_architecture(const SafeTensorsView& file, const std::string& kind, const std::string& what) {
  const std::string version = get(file.metadata, "format_version");
  if (!version.empty() && version != kFormatVersion && version != kFormatVersionQuantized)
    throw FormatError(what + " has format_version " + printable(version) + "; this build reads versions " +
                      kFormatVersion + " and " + kFormatVersionQuantized + ", so update the gan tool");
  const std::string k = get(file.metadata, "kind");
  if (!k.empty() && k != kind) throw FormatError(what + " holds a " + printable(k) + ", not a " + kind + "; pass the right file");
  const std::string tag = get(file.metadata, "architecture");
  const Architecture* known = architecture_for_file_tag(tag);
  Architecture arch;
  if (known) {
    arch = *known;
    arch.z_dim = static_cast<int>(parse_count(file.metadata, "z_dim", 4096, what));
    if (arch.z_dim < 1) throw FormatError(what + ": metadata \"z_dim\" is 0; " + damaged_advice(what));
    const int64_t classes = file.metadata.count("classes") ? parse_count(file.metadata, "classes", 1000, what) : 0;
    if (classes != arch.classes)
      throw FormatError(what + ": metadata \"classes\" (" + std::to_string(classes) + ") does not fit architecture \"" +
                        arch.name + "\"; " + damaged_advice(what));
    return arch;
  }
  if (!tag.empty()) throw FormatError(what + " is for architecture \"" + printable(tag) + "\", which this build does not know");
  // No metadata: a state_dict saved from PyTorch. Its first layer's input width says whether it is conditional
  // (z of 100 plus 10 classes) and gives the z size.
  const TensorView* first = file.find("main.0.weight");
  if (!first || first->shape.size() != 2)
    throw FormatError(what + " has no tensor \"main.0.weight\" of a Linear layer; is this a DCGAN generator?");
  const int64_t width = first->shape[1];
  if (width < 1 || width > 4096)
    throw FormatError(what + ": its first layer reads " + std::to_string(width) + " values, outside 1..4096");
  arch = find_architecture(width == 110 ? "conditional-dcgan" : "dcgan");
  arch.z_dim = static_cast<int>(width) - arch.classes;
  return arch;
}

}  // namespace

std::vector<uint8_t> save_network_generator(const Network& G, const Architecture& arch, const std::string& dataset,
                                            int64_t step, DType dtype) {
  SafeTensors file;
  file.metadata = base_metadata("generator", G, arch, dataset, step);
  add_state(file, "", G, dtype == DType::I8);
  if (dtype == DType::I8) {
    file.metadata["format_version"] = kFormatVersionQuantized;
    file.metadata["weights"] = "int8, one F32 scale per slice of the first dimension in <name>_scale";
  }
  return write_safetensors(file, dtype == DType::I8 ? DType::F32 : dtype);
}

std::vector<uint8_t> save_network_discriminator(const Network& D, const Architecture& arch, const std::string& dataset,
                                                int64_t step) {
  SafeTensors file;
  file.metadata = base_metadata("discriminator", D, arch, dataset, step);
  add_state(file, "", D);
  return write_safetensors(file);
}

std::vector<uint8_t> save_network_checkpoint(const NetworkGan& gan, const TrainProgress& progress) {
  SafeTensors file;
  file.metadata = base_metadata("checkpoint", gan.G, gan.arch(), progress.dataset, gan.step);
  add_training_metadata(file.metadata, gan.config(), progress, gan.opt_g, gan.opt_d);
  file.metadata["d_layers"] = layers_text(gan.D);
  add_state(file, "G.", gan.G);
  add_state(file, "D.", gan.D);
  if (gan.config().ema > 0) add_state(file, "G_ema.", gan.G_ema);
  add_adam_state(file, "opt_G.", gan.opt_g);
  add_adam_state(file, "opt_D.", gan.opt_d);
  return write_safetensors(file);
}

bool is_layer_list_file(const SafeTensorsView& file) {
  const std::string tag = get(file.metadata, "architecture");
  if (!tag.empty()) return architecture_for_file_tag(tag) != nullptr;
  return file.find("main.1.running_mean") != nullptr;
}

Matrix NetworkGenerator::generate(const Matrix& z, const std::vector<int>* labels) {
  Matrix scratch;
  return net.forward(generator_input(arch, z, labels, scratch), false);
}

NetworkGenerator load_network_generator(const uint8_t* data, size_t size, GeneratorInfo* info) {
  const std::string what = "generator file";
  const SafeTensorsView file = index_safetensors(data, size);
  Architecture arch = file_architecture(file, "generator", what);
  NetworkGenerator g{arch, Network(arch.generator, arch.generator_input())};
  read_listed_state(file, "layers", Unlisted::TensorMessage, "", g.net, arch, what);
  if (info) *info = GeneratorInfo{arch.z_dim, arch.classes, file.metadata};
  return g;
}

NetworkGan load_network_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress) {
  const std::string what = "checkpoint";
  const SafeTensorsView file = index_safetensors(data, size);
  if (file.metadata.count("kind") == 0)
    throw FormatError("this file has no checkpoint metadata; resume needs a checkpoint written by `gan train`");
  const Architecture arch = file_architecture(file, "checkpoint", what);
  GanConfig config = read_training_config(file.metadata, what);
  if (config.z_dim != arch.z_dim) throw FormatError(what + ": z sizes disagree; " + damaged_advice(what));
  NetworkGan gan(arch, config);
  // A checkpoint's "layers" are G's.
  read_listed_state(file, "layers", Unlisted::TensorMessage, "G.", gan.G, arch, what);
  // Checkpoints from before 2026-12-07 list no "d_layers", and their D (the DCGAN's without its hidden layer) does
  // not fit this build's.
  read_listed_state(file, "d_layers", Unlisted::OlderVersion, "D.", gan.D, arch, what);
  if (config.ema > 0) read_state(file, "G_ema.", gan.G_ema, what);
  TrainProgress at = read_training_state(file, config.batch, gan.step, gan.opt_g, gan.opt_d, what);
  if (progress) *progress = std::move(at);
  return gan;
}

}  // namespace gan
