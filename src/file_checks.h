// The checks every weights file gets, whatever network it holds: tensors by name and shape with finite values, and
// metadata read as bounded integers, numbers and Adam settings, each failure a message that says what to do.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "adam.h"
#include "safetensors.h"

namespace gan {

using Metadata = std::map<std::string, std::string>;

std::string shape_text(const std::vector<int64_t>& s);  // "[128,64,4,4]"
// What to do about a file whose parts disagree with each other, by the `what` that names it in messages.
std::string damaged_advice(const std::string& what);

// Tensor `name` with `shape` (FormatError when it is missing or shaped otherwise); its values are checked as they
// are read (read_finite).
const TensorView& require(const SafeTensorsView& file, const std::string& name, const std::vector<int64_t>& shape,
                          const std::string& what);
void check_finite(const float* values, size_t count, const std::string& name, const std::string& what);
// Values [first, first + count) of a tensor that require() returned, refusing NaN and infinities.
void read_finite(const TensorView& t, size_t first, size_t count, float* out, const std::string& name,
                 const std::string& what);

// Metadata `key` as a non-negative integer (seeds are unsigned 64-bit: parsed as unsigned and reinterpreted).
int64_t parse_int(const Metadata& meta, const std::string& key, const std::string& what);
// A metadata count that must lie in [0, max].
int64_t parse_count(const Metadata& meta, const std::string& key, int64_t max, const std::string& what);
// A metadata number, `fallback` when absent; FormatError when it is malformed or `valid` refuses it.
double parse_real(const Metadata& meta, const std::string& key, double fallback, bool (*valid)(double),
                  const std::string& what);
// The Adam hyperparameters "lr,beta1,beta2,eps", each in the range `gan train` accepts.
AdamConfig parse_adam(const Metadata& meta, const std::string& what);

}  // namespace gan
