// Whether two MLPs hold the same weights, bit for bit: the determinism tests' comparison.
#pragma once
#include <algorithm>

#include "mlp.h"

namespace gan {

inline bool same_params(Mlp& a, Mlp& b) {
  auto pa = a.params(), pb = b.params();
  for (size_t i = 0; i < pa.size(); ++i)
    if (!std::equal(pa[i].value, pa[i].value + pa[i].size, pb[i].value)) return false;
  return true;
}

}  // namespace gan
