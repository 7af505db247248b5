// The fixed latent vectors of a training run's sample grid (samples.png, the per-epoch grids, the page's training
// view): 25 of them, or for a conditional model 5 rows of every class.
#pragma once
#include <vector>

#include "gan.h"

namespace gan {

struct SampleGrid {
  explicit SampleGrid(const GanConfig& config);

  Matrix z;                 // one latent vector per digit
  std::vector<int> labels;  // each digit's class (all 0 for an unconditional model, which ignores them)
  int columns = 5;          // digits per row: 5, or a conditional model's class count
  int rows() const { return static_cast<int>(z.rows()) / columns; }
};

}  // namespace gan
