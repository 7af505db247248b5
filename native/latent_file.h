// Reads the latent vectors `gan generate --z` draws: a .npy of shape (N, z) float32, or the page's latent JSON.
#pragma once
#include <string>
#include <vector>

#include "tensor.h"

namespace gan {

struct LatentFile {
  Matrix z;                 // N x z_dim, finite
  std::vector<int> labels;  // one class per row from a conditional page's JSON ("class"), else empty
};

// Throws UserError saying what is wrong (shape, values, format) and how to save a file that works.
LatentFile read_latent_file(const std::string& path, int z_dim);

}  // namespace gan
