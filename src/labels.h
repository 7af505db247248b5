// Class labels as network inputs: one-hot columns appended to z or to an image, and the class-grid layout.
#pragma once
#include <cstdint>
#include <vector>

#include "tensor.h"

namespace gan {

// [x | one_hot(labels)]: x's rows with `classes` columns appended, 1 at the row's label and 0 elsewhere.
// Throws std::invalid_argument when a label is outside [0, classes) or the counts differ.
void append_one_hot(const ConstRowsRef& x, const std::vector<int>& labels, int classes, Matrix& out);

// The class grid: `count` digits in rows of `classes`, row r drawn from latent vector r and column c of class c,
// so every row shows 0..classes-1 in one style. Rows needed: ceil(count / classes).
int class_grid_rows(int count, int classes);
std::vector<int> class_grid_labels(int count, int classes);
// Latent vector of each digit of the class grid, from one latent vector per row.
Matrix class_grid_latents(const Matrix& row_latents, int count, int classes);

}  // namespace gan
