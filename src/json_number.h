// Whole numbers read from untrusted JSON: a fraction, an exponent form or an out-of-range value is refused, never
// converted (a double outside int's range converted to int is undefined behaviour; a huge integer would wrap).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace gan {

// The value when it is a JSON integer within [lo, hi]; nothing for any other value or type.
inline std::optional<int64_t> whole_number_in(const nlohmann::json& value, int64_t lo, int64_t hi) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (hi < 0 || u > static_cast<uint64_t>(hi) || static_cast<int64_t>(u) < lo) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (!value.is_number_integer()) return std::nullopt;
  const int64_t i = value.get<int64_t>();
  if (i < lo || i > hi) return std::nullopt;
  return i;
}

}  // namespace gan
