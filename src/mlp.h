// The seed's MLPs (Linear layers with LeakyReLU(0.2) between, optional Dropout, and a head): their shape, and a view of
// their layer list by its Linear layers.
#pragma once
#include <string>
#include <vector>

#include "adam.h"
#include "layer.h"
#include "linear.h"
#include "network.h"
#include "rng.h"
#include "tensor.h"

namespace gan {

enum class Head { Tanh, Logit };

// Describes an MLP the way PyTorch's nn.Sequential of the seed lays it out.
struct MlpSpec {
  std::vector<int> widths;  // layer sizes, input first: e.g. {100, 256, 512, 1024, 784}
  float leaky_slope = 0.2f;
  float dropout = 0.0f;     // after each hidden activation; 0 means no Dropout modules
  Head head = Head::Tanh;
  int classes = 0;          // a class-conditional net: its last `classes` inputs are a one-hot label (0: none)

  // Inputs before the one-hot label: z for a generator, the pixels for a discriminator.
  int data_inputs() const { return widths.front() - classes; }

  // Index of Linear layer i inside the seed's nn.Sequential ("main.<index>.weight").
  int sequential_index(size_t layer) const { return static_cast<int>(layer) * (dropout > 0 ? 3 : 2); }
  // PyTorch's state_dict names in order, weight then bias per layer ("main.<index>.weight"), the number of values
  // in each, and their total.
  std::vector<std::string> param_names() const;
  std::vector<size_t> param_sizes() const;
  size_t parameter_count() const;
  // The Philox blocks that a training forward pass over `rows` rows draws for dropout: one Rng::uniform per hidden
  // layer (0 without dropout).
  uint64_t dropout_blocks(int rows) const;
};

// The MLP that a layer list of architectures.cpp describes (Linear layers with LeakyReLU, and Dropout, between
// them, and a Tanh or no head), reading `inputs` values; throws std::logic_error for another layer list.
MlpSpec mlp_spec(const std::vector<LayerSpec>& layers, int inputs, int classes);
// The seed's networks, as architectures.cpp describes them. `classes` > 0 makes the class-conditional variant: a
// one-hot label joins the input (z for G, the image for D).
MlpSpec generator_spec(int z_dim = 100, int classes = 0);
MlpSpec discriminator_spec(int classes = 0);

// The layer list an MlpSpec describes: per hidden layer Linear, LeakyReLU (and Dropout), then the last Linear (and
// Tanh); the inverse of mlp_spec.
std::vector<LayerSpec> mlp_layers(const MlpSpec& spec);

// An MLP seen by its Linear layers: a Network of mlp_layers(spec) (the layer-list engine computes it), with the
// access that the MLP's files, fast paths and training step need. The forward pass keeps what backward needs;
// one forward, then at most one backward.
class Mlp {
 public:
  Mlp() = default;
  explicit Mlp(MlpSpec spec);

  const MlpSpec& spec() const { return spec_; }
  Network& network() { return net_; }
  const Network& network() const { return net_; }
  // The Linear layers, input first (spec().widths.size() - 1 of them).
  size_t depth() const { return spec_.widths.empty() ? 0 : spec_.widths.size() - 1; }
  Linear& linear(size_t i);
  const Linear& linear(size_t i) const;

  void reset_parameters(Rng& rng);

  // Returns the output: tanh'd for a Tanh head, raw logits for a Logit head (the sigmoid lives in the loss).
  // `rng` drives dropout and is required when train is true and the spec has dropout.
  const Matrix& forward(const Matrix& x, bool train, Rng* rng = nullptr);
  // From dL/doutput: parameter gradients when param_grads, and dL/dinput when grad_input is given.
  // grad_output may cover only rows [first_row, first_row + its rows) of the last forward batch: the other rows
  // then do not contribute (as if their gradient were zero) and cost nothing.
  void backward(const Matrix& grad_output, Matrix* grad_input, bool param_grads, Eigen::Index first_row = 0);

  // Linear layer i's output in the last forward pass after its activation (and dropout): hidden features for
  // i < depth() - 1.
  const Matrix& layer_output(size_t i) const;

  // Parameters in PyTorch's state_dict order (weight, bias per layer), named "main.<i>.weight" / ".bias".
  std::vector<std::string> param_names() const { return spec_.param_names(); }
  std::vector<ParamRef> params() { return net_.params(); }  // allocates the gradients if no backward pass has yet
  std::vector<size_t> param_sizes() const { return spec_.param_sizes(); }

 private:
  MlpSpec spec_;
  Network net_;
};

}  // namespace gan
