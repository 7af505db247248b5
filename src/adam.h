// Adam with PyTorch's exact update; its state is indexed by parameter position so it can be saved and resumed.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

// A parameter tensor and its gradient, both contiguous float arrays of `size` elements.
struct ParamRef {
  float* value;
  const float* grad;
  size_t size;
};

// Hyperparameters are doubles like PyTorch's Python floats; derived scalars such as 1 - beta2 are formed in double
// and only then rounded to float, as PyTorch's kernels receive them (1 - 0.999f in float would be off by 1e-5).
struct AdamConfig {
  double lr = 2e-4;
  double beta1 = 0.5;
  double beta2 = 0.999;
  double eps = 1e-8;
};

class Adam {
 public:
  Adam() = default;
  Adam(AdamConfig config, const std::vector<size_t>& param_sizes);

  // One update of every parameter. PyTorch (torch.optim.Adam, weight_decay 0, amsgrad off):
  //   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  t += 1
  //   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
  void step(const std::vector<ParamRef>& params);

  const AdamConfig& config() const { return config_; }
  void set_lr(double lr) { config_.lr = lr; }  // for a schedule that changes the learning rate between steps
  int64_t steps() const { return steps_; }
  void set_steps(int64_t t) { steps_ = t; }
  // First and second moments of parameter i.
  Eigen::VectorXf& exp_avg(size_t i) { return m_[i]; }
  Eigen::VectorXf& exp_avg_sq(size_t i) { return v_[i]; }
  const Eigen::VectorXf& exp_avg(size_t i) const { return m_[i]; }
  const Eigen::VectorXf& exp_avg_sq(size_t i) const { return v_[i]; }
  size_t num_params() const { return m_.size(); }

 private:
  AdamConfig config_;
  int64_t steps_ = 0;
  std::vector<Eigen::VectorXf> m_, v_;
};

}  // namespace gan
