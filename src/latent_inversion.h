// Inversion: the latent vector (and class) whose digit a frozen generator draws closest to a target digit.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "network.h"
#include "tensor.h"

namespace gan {

struct InversionOptions {
  int restarts = 16;     // independent starts per target (per class, for a conditional generator), run as one batch
  int steps = 1000;      // Adam steps on z
  double lr = 0.05;      // Adam's learning rate on z (betas 0.9, 0.999)
  // Weight of the prior term (|z|^2 / z_dim - 1)^2, which keeps z where the generator was trained (a normal z's
  // squared length is about z_dim); 0 turns it off.
  float prior = 0.01f;
  uint64_t seed = 0;     // the starting vectors: N(0, I) from this seed
};

struct Inversion {
  RowVector z;        // z_dim values
  int label = -1;     // the class of a conditional generator, else -1
  float error = 0;    // mean squared difference of the 784 pixels (in [-1, 1]) from the target
};

// Called after each step with (steps done, steps in all); returning false stops early with the best so far.
using InversionProgress = std::function<bool(int, int)>;

// For each row of `targets` ([n, 784] pixels in [-1, 1]), the best of opt.restarts starts (times `classes`, each
// start tried as every class) after opt.steps Adam steps on
//   mean((G(z) - target)^2) + prior * (|z|^2 / z_dim - 1)^2,
// with G in evaluation mode and its weights untouched, through G's own backward pass. `G` reads z_dim + classes
// values (z, then the one-hot class) and draws 784 pixels. The same inputs give the same results.
std::vector<Inversion> invert_digits(Network& G, int z_dim, int classes, const Matrix& targets,
                                     const InversionOptions& opt, const InversionProgress& progress = {});

}  // namespace gan
