// Reads a generator file from disk for the commands that take --weights, with the error message they share.
#pragma once
#include <string>
#include <vector>

#include "any_generator.h"
#include "digit_generator.h"
#include "weights.h"

namespace gan {

// Throws UserError naming the file and what to pass instead when it is missing, too large or not a generator.
Mlp read_generator_file(const std::string& path, GeneratorInfo* info = nullptr);

// A generator file of any architecture ready to draw in the viewer (the MLP packed for SIMD).
DigitGenerator read_drawing_generator(const std::string& path);

// A generator file of any architecture (see any_generator.h), with the same message as read_generator_file.
AnyGenerator read_any_generator(const std::string& path);

// Its digits for z (and one class per row for a conditional generator); `device` "cuda" draws the MLPs on the GPU
// and refuses the layer lists.
Matrix generate_on_device(AnyGenerator& G, const Matrix& z, const std::vector<int>* labels, const std::string& device);

}  // namespace gan
