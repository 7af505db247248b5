// Whether two MLPs, or two layer-list networks, hold the same weights, bit for bit: the determinism tests' comparison.
#pragma once
#include <algorithm>

#include "mlp.h"
#include "network.h"

namespace gan {

inline bool same_params(Mlp& a, Mlp& b) {
  auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i)
    if (!std::equal(pa[i].value, pa[i].value + pa[i].size, pb[i].value)) return false;
  return true;
}

// Parameters and buffers (BatchNorm's running statistics) alike.
inline bool same_state(const Network& a, const Network& b) {
  const auto x = a.state(), y = b.state();
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i].tensor.size != y[i].tensor.size ||
        !std::equal(x[i].tensor.value, x[i].tensor.value + x[i].tensor.size, y[i].tensor.value))
      return false;
  return true;
}

}  // namespace gan
