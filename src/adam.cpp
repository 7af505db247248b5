// Adam update in single precision with scalars formed in double, as PyTorch's Python-side arithmetic forms them.
#include "adam.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "parallel.h"

namespace gan {

Adam::Adam(AdamConfig config, const std::vector<size_t>& param_sizes) : config_(config) {
  for (size_t n : param_sizes) {
    m_.push_back(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(n)));
    v_.push_back(Eigen::VectorXf::Zero(static_cast<Eigen::Index>(n)));
  }
}

void Adam::step(const std::vector<ParamRef>& params) {
  if (params.size() != m_.size()) throw std::logic_error("Adam::step: parameter count changed");
  ++steps_;
  const double bias_correction1 = 1.0 - std::pow(config_.beta1, static_cast<double>(steps_));
  const double bias_correction2 = 1.0 - std::pow(config_.beta2, static_cast<double>(steps_));
  const float step_size = static_cast<float>(config_.lr / bias_correction1);
  const float bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  const float b1 = static_cast<float>(config_.beta1), one_minus_b1 = static_cast<float>(1.0 - config_.beta1);
  const float b2 = static_cast<float>(config_.beta2), one_minus_b2 = static_cast<float>(1.0 - config_.beta2);
  const float eps = static_cast<float>(config_.eps);
  // The tensors' elements are numbered one after another, each tensor starting at a multiple of 16, so that every
  // chunk starts where a vector of 16 floats does within its tensor: an element is then updated by the same
  // instructions (vector or scalar tail) whatever the split, and the result does not depend on the thread count.
  std::vector<size_t> starts;
  size_t total = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].size != static_cast<size_t>(m_[i].size()))
      throw std::logic_error("Adam::step: parameter size changed");
    starts.push_back(total);
    total += (params[i].size + 15) / 16 * 16;
  }
  auto update = [&](size_t i, size_t begin, size_t end) {
    const auto n = static_cast<Eigen::Index>(end - begin);
    Eigen::Map<Eigen::ArrayXf> p(params[i].value + begin, n), m(m_[i].data() + begin, n), v(v_[i].data() + begin, n);
    Eigen::Map<const Eigen::ArrayXf> g(params[i].grad + begin, n);
    m = b1 * m + one_minus_b1 * g;
    v = b2 * v + one_minus_b2 * g.square();
    p -= step_size * (m / (v.sqrt() / bias_correction2_sqrt + eps));  // addcdiv's order: value * (m / denom)
  };
  // Memory-bound (4 streams in, 3 out): worth both cores. All tensors in one parallel pass, split evenly, so that
  // no core waits while another updates a small tensor alone.
  parallel_chunks(total, [&](size_t begin, size_t end) {
    for (size_t i = 0; i < params.size() && starts[i] < end; ++i) {
      const size_t lo = std::max(begin, starts[i]), hi = std::min(end, starts[i] + params[i].size);
      if (lo < hi) update(i, lo - starts[i], hi - starts[i]);
    }
  });
}

}  // namespace gan
