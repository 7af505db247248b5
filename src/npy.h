// Reads and writes 2-D float32 NumPy .npy arrays (latent vectors in, generated images out).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "format_error.h"
#include "tensor.h"

namespace gan {

// Accepts '<f4' (and '<f8', converted), C order, shape (N, D) or (D,) as one row. `name` labels errors.
Matrix parse_npy(const uint8_t* data, size_t size, const std::string& name = ".npy file");
std::vector<uint8_t> write_npy(const Matrix& m);

}  // namespace gan
