// Reads a generator file from disk for the commands that take --weights, with the error message they share.
#pragma once
#include <string>

#include "weights.h"

namespace gan {

// Throws UserError naming the file and what to pass instead when it is missing, too large or not a generator.
Mlp read_generator_file(const std::string& path, GeneratorInfo* info = nullptr);

}  // namespace gan
