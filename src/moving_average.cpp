// The warmed-up exponential moving average of parameters.
#include "moving_average.h"

#include <algorithm>

#include "tensor.h"

namespace gan {

void update_moving_average(const std::vector<ParamRef>& live, const std::vector<ParamRef>& average, double ema,
                           int64_t step) {
  const float decay = static_cast<float>(std::min(ema, (1.0 + step) / (10.0 + step)));
  for (size_t p = 0; p < live.size(); ++p) {
    Eigen::Map<Eigen::VectorXf> a(average[p].value, static_cast<Eigen::Index>(average[p].size));
    Eigen::Map<const Eigen::VectorXf> w(live[p].value, static_cast<Eigen::Index>(live[p].size));
    a = decay * a + (1.0f - decay) * w;
  }
}

}  // namespace gan
