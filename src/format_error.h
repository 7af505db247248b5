// The error every parser in the core throws for bad input: its message says what is wrong and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace gan {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace gan
