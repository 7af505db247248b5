// The drawing generator: the MLP's packed kernels, or the layer list's in evaluation mode.
#include "digit_generator.h"

#include <algorithm>

namespace gan {

DigitGenerator::DigitGenerator(InferenceMlp mlp) : mlp_(std::make_shared<InferenceMlp>(std::move(mlp))) {}
DigitGenerator::DigitGenerator(InferenceNetwork net) : net_(std::make_shared<InferenceNetwork>(std::move(net))) {}

std::string DigitGenerator::architecture() const {
  if (net_) return net_->arch().name;
  return classes() > 0 ? "conditional" : "seed";
}

int DigitGenerator::classes() const { return net_ ? net_->arch().classes : mlp_ ? mlp_->spec().classes : 0; }

int DigitGenerator::z_dim() const { return net_ ? net_->arch().z_dim : mlp_ ? mlp_->spec().data_inputs() : 0; }

size_t DigitGenerator::parameter_count() const {
  if (mlp_) return mlp_->spec().parameter_count();
  size_t n = 0;
  if (net_)
    for (const NetworkTensor& t : net_->network().state())
      if (t.tensor.grad || t.tensor.name == "weight" || t.tensor.name == "bias") n += t.tensor.size;
  return n;
}

std::string DigitGenerator::layers_text() const {
  std::string text;
  if (mlp_) {
    for (int w : mlp_->spec().widths) text += (text.empty() ? "" : " → ") + std::to_string(w);
    return text;
  }
  if (!net_) return text;
  const Network& net = net_->network();
  for (size_t i = 0; i < net.size(); ++i) {
    std::string module = pytorch_module(net.specs()[i], net.layer(i).input_shape());
    if (module.rfind("nn.", 0) == 0) module = module.substr(3);
    text += (text.empty() ? "" : " → ") + module;
  }
  return text;
}

void DigitGenerator::forward(const float* x, int rows, float* out) {
  if (mlp_) return mlp_->forward(x, rows, out);
  net_->forward(x, rows, out);
}

DigitGenerator load_digit_generator(const uint8_t* data, size_t size, GeneratorInfo* info) {
  if (is_layer_list_file(index_safetensors(data, size))) return load_inference_network(data, size, info);
  return load_packed_generator(data, size, info);
}

}  // namespace gan
