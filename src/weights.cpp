// Conversion between the networks and safetensors files, with validation that tells the user what to do.
#include "weights.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

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

std::string shape_text(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

std::string widths_text(const std::vector<int>& widths) {
  std::string r;
  for (int w : widths) r += (r.empty() ? "" : ",") + std::to_string(w);
  return r;
}

// What to do about a file whose parts disagree with each other, by the `what` that names it in messages.
std::string damaged_advice(const std::string& what) {
  if (what == "checkpoint")
    return "the checkpoint is damaged or was edited: resume from an intact checkpoint, or start a new run with "
           "`gan train`";
  if (what == "classifier file") return "the file is damaged or was edited: train a new one with `gan classifier`";
  return "the file is inconsistent (damaged or edited): export the generator again with `gan train`, or `gan convert` "
         "from an intact copy";
}

// Tensor `name` with `shape`; its values are checked as they are read (read_finite).
const TensorView& require(const SafeTensorsView& file, const std::string& name, const std::vector<int64_t>& shape,
                          const std::string& what) {
  const TensorView* t = file.find(name);
  if (!t) throw FormatError(what + " has no tensor \"" + name + "\"; is this a " + what + " of the seed's architecture?");
  if (t->shape != shape)
    throw FormatError(what + ": tensor \"" + name + "\" has shape " + shape_text(t->shape) + ", expected " + shape_text(shape));
  return *t;
}

void check_finite(const float* values, size_t count, const std::string& name, const std::string& what) {
  for (size_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i]))
      throw FormatError(what + ": tensor \"" + name + "\" holds NaN or infinite values; the training that wrote it diverged");
}

// Values [first, first + count) of a tensor that require() returned, refusing NaN and infinities.
void read_finite(const TensorView& t, size_t first, size_t count, float* out, const std::string& name,
                 const std::string& what) {
  t.decode(first, count, out);
  check_finite(out, count, name, what);
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
// weight_row(layer, row, values) and bias(layer, values), all values checked finite.
template <class WeightRow, class Bias>
void read_network_values(const NetworkTensors& net, const std::string& what, WeightRow weight_row, Bias bias) {
  std::vector<float> row, scale;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const NetworkTensors::Layer& l = net.layers[i];
    const auto rows = static_cast<size_t>(l.weight->shape[0]), cols = static_cast<size_t>(l.weight->shape[1]);
    if (l.scale) {
      scale.resize(rows);
      read_finite(*l.scale, 0, rows, scale.data(), l.weight_name + "_scale", what);
    }
    row.resize(std::max(rows, cols));
    for (size_t r = 0; r < rows; ++r) {
      l.weight->decode(r * cols, cols, row.data());
      if (l.scale)
        for (size_t c = 0; c < cols; ++c) row[c] *= scale[r];
      check_finite(row.data(), cols, l.weight_name, what);
      weight_row(i, static_cast<int>(r), row.data());
    }
    read_finite(*l.bias, 0, rows, row.data(), l.bias_name, what);
    bias(i, row.data());
  }
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
                      "\" and \"" + kConditionalArchitecture + "\"");
  const std::string k = get("kind");
  if (!k.empty() && k != kind)
    throw FormatError(what + " holds a " + printable(k) + ", not a " + kind + "; pass the right file");
}

// Seeds are unsigned 64-bit, so values are parsed as unsigned and reinterpreted.
int64_t parse_int(const std::map<std::string, std::string>& meta, const std::string& key, const std::string& what) {
  auto it = meta.find(key);
  if (it == meta.end()) throw FormatError(what + ": metadata \"" + key + "\" is missing");
  try {
    size_t used = 0;
    if (it->second.empty() || it->second[0] == '-') throw std::invalid_argument(key);
    const auto v = static_cast<int64_t>(std::stoull(it->second, &used));
    if (used != it->second.size()) throw std::invalid_argument(key);
    return v;
  } catch (const std::exception&) {
    throw FormatError(what + ": metadata \"" + key + "\" is not an integer: \"" + printable(it->second) + "\"");
  }
}

// The number of label classes a file's metadata declares: 0 for the seed's architecture.
int read_classes(const std::map<std::string, std::string>& meta, const std::string& what) {
  auto it = meta.find("architecture");
  if (it == meta.end() || it->second != kConditionalArchitecture) return 0;
  const int64_t classes = parse_int(meta, "classes", what);
  if (classes < 1 || classes > 1000) throw FormatError(what + ": metadata \"classes\" is out of range (1..1000)");
  return static_cast<int>(classes);
}

// A metadata count that must lie in [0, max] (parse_int reads "-1" as not an integer and huge values as negative).
int64_t parse_count(const std::map<std::string, std::string>& meta, const std::string& key, int64_t max,
                    const std::string& what) {
  const int64_t v = parse_int(meta, key, what);
  if (v < 0 || v > max)
    throw FormatError(what + ": metadata \"" + key + "\" is out of range: " + printable(meta.at(key)) + "; " +
                      damaged_advice(what));
  return v;
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
  for (size_t i = 0; i < net.layers().size(); ++i) {
    const Linear& l = net.layers()[i];
    if (!quantize) {
      file.add(prefix + names[2 * i], {l.weight.rows(), l.weight.cols()}, l.weight.data());
    } else {
      Matrix q(l.weight.rows(), l.weight.cols());
      RowVector scale(l.weight.rows());
      for (Eigen::Index r = 0; r < q.rows(); ++r) {
        const float top = l.weight.row(r).cwiseAbs().maxCoeff();
        scale[r] = top > 0 ? top / 127.0f : 1.0f;
        for (Eigen::Index c = 0; c < q.cols(); ++c)
          q(r, c) = std::max(-127.0f, std::min(127.0f, std::nearbyint(l.weight(r, c) / scale[r])));
      }
      file.add(prefix + names[2 * i], {q.rows(), q.cols()}, q.data());
      file.tensors.back().second.store_as = DType::I8;
      file.add(prefix + names[2 * i] + "_scale", {scale.size()}, scale.data());
      file.tensors.back().second.store_as = DType::F32;
    }
    file.add(prefix + names[2 * i + 1], {l.bias.size()}, l.bias.data());
    if (quantize) file.tensors.back().second.store_as = DType::F32;
  }
}

// Fills `net`'s parameters from tensors named prefix + PyTorch name.
void read_network(const SafeTensorsView& file, const std::string& prefix, Mlp& net, const std::string& what) {
  read_network_values(
      find_network(file, prefix, net.spec(), what), what,
      [&](size_t i, int r, const float* v) { std::copy(v, v + net.layers()[i].weight.cols(), net.layers()[i].weight.row(r).data()); },
      [&](size_t i, const float* v) { std::copy(v, v + net.layers()[i].bias.size(), net.layers()[i].bias.data()); });
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
      [&](size_t i, const float* v) { G.set_bias(i, v); });
  if (info) *info = std::move(found);
  return G;
}

std::vector<uint8_t> save_checkpoint(const Gan& gan, const TrainProgress& progress) {
  SafeTensors file;
  const auto& c = gan.config();
  file.metadata = base_metadata("checkpoint", gan.G, gan.config().z_dim, progress.dataset, gan.step);
  file.metadata["seed"] = std::to_string(c.seed);
  file.metadata["batch"] = std::to_string(c.batch);
  file.metadata["epoch"] = std::to_string(progress.epoch);
  file.metadata["batch_in_epoch"] = std::to_string(progress.batch_in_epoch);
  file.metadata["dataset_size"] = std::to_string(progress.dataset_size);
  file.metadata["rng"] = "philox4x32-10; step noise = derive(derive(seed, 3), step), shuffle = derive(derive(seed, 4), epoch)";
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.17g,%.17g,%.17g,%.17g", c.adam.lr, c.adam.beta1, c.adam.beta2, c.adam.eps);
  file.metadata["adam"] = buf;
  file.metadata["adam_steps_g"] = std::to_string(gan.opt_g.steps());
  file.metadata["adam_steps_d"] = std::to_string(gan.opt_d.steps());
  add_network(file, "G.", gan.G);
  add_network(file, "D.", gan.D);
  if (c.ema > 0) {
    add_network(file, "G_ema.", gan.G_ema);
    std::snprintf(buf, sizeof buf, "%.17g", c.ema);
    file.metadata["ema"] = buf;
  }
  if (c.classes > 0) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(c.d_label_scale));
    file.metadata["d_label_scale"] = buf;
  }
  if (c.real_label != 1.0f) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(c.real_label));
    file.metadata["real_label"] = buf;
  }
  auto add_adam = [&](const std::string& prefix, const Adam& opt) {
    for (size_t i = 0; i < opt.num_params(); ++i) {
      file.add(prefix + std::to_string(i) + ".exp_avg", {opt.exp_avg(i).size()}, opt.exp_avg(i).data());
      file.add(prefix + std::to_string(i) + ".exp_avg_sq", {opt.exp_avg_sq(i).size()}, opt.exp_avg_sq(i).data());
    }
  };
  add_adam("opt_G.", gan.opt_g);
  add_adam("opt_D.", gan.opt_d);
  return write_safetensors(file);
}

namespace {

// The Adam hyperparameters "lr,beta1,beta2,eps", each in the range `gan train` accepts (eps, which it does not set,
// above 0 and at most 1).
AdamConfig parse_adam(const std::map<std::string, std::string>& meta, const std::string& what) {
  auto it = meta.find("adam");
  if (it == meta.end()) throw FormatError(what + ": metadata \"adam\" is missing; " + damaged_advice(what));
  double v[4];
  const char* p = it->second.c_str();
  for (int i = 0; i < 4; ++i) {
    char* end = nullptr;
    v[i] = std::strtod(p, &end);
    if (end == p || *end != (i < 3 ? ',' : '\0'))
      throw FormatError(what + ": metadata \"adam\" is not four numbers lr,beta1,beta2,eps: \"" +
                        printable(it->second, 80) + "\"; " + damaged_advice(what));
    p = end + 1;
  }
  AdamConfig adam{v[0], v[1], v[2], v[3]};
  const char* bad = !(adam.lr > 0 && adam.lr <= 1)                 ? "lr (above 0, at most 1)"
                    : !(adam.beta1 >= 0 && adam.beta1 <= 0.999999) ? "beta1 (0 to 0.999999)"
                    : !(adam.beta2 >= 0 && adam.beta2 <= 0.999999) ? "beta2 (0 to 0.999999)"
                    : !(adam.eps > 0 && adam.eps <= 1)             ? "eps (above 0, at most 1)"
                                                                   : nullptr;
  if (bad)
    throw FormatError(what + ": metadata \"adam\" has " + bad + " out of range: \"" + printable(it->second, 80) +
                      "\"; " + damaged_advice(what));
  return adam;
}

}  // namespace

Gan load_checkpoint(const uint8_t* data, size_t size, TrainProgress* progress) {
  const std::string what = "checkpoint";
  const SafeTensorsView file = index_safetensors(data, size);
  check_metadata(file.metadata, "checkpoint", what);
  if (file.metadata.count("kind") == 0)
    throw FormatError("this file has no checkpoint metadata; resume needs a checkpoint written by `gan train`");
  GanConfig c;
  c.seed = static_cast<uint64_t>(parse_int(file.metadata, "seed", what));
  c.batch = static_cast<int>(parse_count(file.metadata, "batch", 65536, what));
  c.z_dim = static_cast<int>(parse_count(file.metadata, "z_dim", 4096, what));
  if (c.batch < 1 || c.z_dim < 1) throw FormatError(what + ": batch or z size out of range; " + damaged_advice(what));
  c.classes = read_classes(file.metadata, what);
  c.adam = parse_adam(file.metadata, what);
  auto read_double = [&](const std::string& key, double fallback, bool (*valid)(double)) {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0' || !valid(v))
      throw FormatError(what + ": metadata \"" + key + "\" is malformed or out of range: \"" + printable(it->second) +
                        "\"; " + damaged_advice(what));
    return v;
  };
  c.ema = read_double("ema", 0.0, [](double v) { return v >= 0 && v < 1; });
  c.real_label = static_cast<float>(read_double("real_label", 1.0, [](double v) { return v > 0 && v <= 1; }));
  c.d_label_scale = static_cast<float>(read_double("d_label_scale", 1.0, [](double v) { return v > 0 && v <= 1000; }));
  Gan gan(c);
  read_network(file, "G.", gan.G, what);
  read_network(file, "D.", gan.D, what);
  if (c.ema > 0) read_network(file, "G_ema.", gan.G_ema, what);
  check_widths(file.metadata, gan.G.spec().widths, what);  // after G's tensors matched z_dim and classes
  // The training position: counts that must fit each other (the step, the Adam steps taken in it, and the place in
  // the epoch, whose length the data set's size and the batch give).
  constexpr int64_t kMaxStep = int64_t{1} << 48, kMaxImages = int64_t{1} << 34;
  gan.step = parse_count(file.metadata, "step", kMaxStep, what);
  TrainProgress at;
  at.epoch = parse_count(file.metadata, "epoch", gan.step, what);
  at.batch_in_epoch = parse_count(file.metadata, "batch_in_epoch", gan.step, what);
  at.dataset_size = parse_count(file.metadata, "dataset_size", kMaxImages, what);
  at.dataset = file.metadata.count("dataset") ? printable(file.metadata.at("dataset"), 200) : "";
  if (at.dataset_size > 0) {  // 0: not recorded
    const int64_t per_epoch = at.dataset_size / c.batch;
    if (per_epoch < 1)
      throw FormatError(what + ": metadata \"dataset_size\" " + std::to_string(at.dataset_size) +
                        " is less than one batch of " + std::to_string(c.batch) + "; " + damaged_advice(what));
    // `gan train` and the page record the position that the step reaches (step / per_epoch, step % per_epoch).
    if (at.epoch != gan.step / per_epoch || at.batch_in_epoch != gan.step % per_epoch)
      throw FormatError(what + ": its position (epoch " + std::to_string(at.epoch) + ", batch " +
                        std::to_string(at.batch_in_epoch) + ") does not fit step " + std::to_string(gan.step) +
                        " with " + std::to_string(per_epoch) + " batches per epoch (that is epoch " +
                        std::to_string(gan.step / per_epoch) + ", batch " + std::to_string(gan.step % per_epoch) +
                        "); " + damaged_advice(what));
  }
  auto read_adam = [&](const std::string& prefix, Adam& opt, const std::string& steps_key) {
    for (size_t i = 0; i < opt.num_params(); ++i) {
      const int64_t n = opt.exp_avg(i).size();
      const std::string m = prefix + std::to_string(i) + ".exp_avg", v = m + "_sq";
      read_finite(require(file, m, {n}, what), 0, size_t(n), opt.exp_avg(i).data(), m, what);
      read_finite(require(file, v, {n}, what), 0, size_t(n), opt.exp_avg_sq(i).data(), v, what);
      const float* sq = opt.exp_avg_sq(i).data();
      if (std::any_of(sq, sq + n, [](float x) { return x < 0; }))  // a mean of squares: negative ones make NaN steps
        throw FormatError(what + ": tensor \"" + v + "\" holds negative values; " + damaged_advice(what));
    }
    opt.set_steps(parse_count(file.metadata, steps_key, gan.step, what));
  };
  read_adam("opt_G.", gan.opt_g, "adam_steps_g");
  read_adam("opt_D.", gan.opt_d, "adam_steps_d");
  if (progress) *progress = std::move(at);
  return gan;
}

}  // namespace gan
