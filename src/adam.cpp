// Adam update in single precision with scalars formed in double, as PyTorch's Python-side arithmetic forms them.
#include "adam.h"

#include <cmath>
#include <stdexcept>

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
  for (size_t i = 0; i < params.size(); ++i) {
    const auto n = static_cast<Eigen::Index>(params[i].size);
    if (n != m_[i].size()) throw std::logic_error("Adam::step: parameter size changed");
    Eigen::Map<Eigen::ArrayXf> p(params[i].value, n);
    Eigen::Map<const Eigen::ArrayXf> g(params[i].grad, n);
    auto m = m_[i].array();
    auto v = v_[i].array();
    m = b1 * m + one_minus_b1 * g;
    v = b2 * v + one_minus_b2 * g.square();
    p -= step_size * m / (v.sqrt() / bias_correction2_sqrt + eps);
  }
}

}  // namespace gan
