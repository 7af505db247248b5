// The seed's D step recomputed outside Gan::train_step, from the same random draws, for tests that check the step.
#pragma once
#include "gan.h"

namespace gan::testing {

// D's logits in step 0 of `probe`: D on [real; G(z_D)], with the z and dropout masks train_step draws.
// Stream order: z for both steps ([2n, z]), then the D step's dropout.
inline Matrix d_step_logits(Gan& probe, const Matrix& real) {
  const Eigen::Index n = real.rows();
  Rng rng = probe.step_rng(0);
  Matrix z(2 * n, probe.config().z_dim);
  rng.normal(z.data(), static_cast<size_t>(z.size()));
  Matrix stacked(2 * n, 784);
  stacked.topRows(n) = real;
  stacked.bottomRows(n) = probe.G.forward(z, true).topRows(n);
  return probe.D.forward(stacked, true, &rng);
}

}  // namespace gan::testing
