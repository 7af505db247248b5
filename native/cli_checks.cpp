// The option checks every command shares, each with a message that says what the option takes.
#include "cli_checks.h"

#include <cerrno>
#include <cstdlib>

namespace gan {

// CLI::Range(1e-9, 1.0) would print its bounds as 0.000000 and 1.000000, rejecting 0 as "not in range 0 to 1".
CLI::Validator learning_rate() {
  return CLI::Validator(
    [](std::string& text) {
      double v = 0;
      if (!CLI::detail::lexical_cast(text, v) || !(v > 0 && v <= 1))
        return "Value " + text + " is not a learning rate; pass a number greater than 0 and at most 1";
      return std::string();
    },
    "FLOAT in (0, 1]");
}

// CLI::Range lets NaN through (every comparison with it is false): a closed range of finite numbers.
CLI::Validator finite_range(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !(v >= lo && v <= hi))
          return "Value " + text + " is not a number from " + CLI::detail::to_string(lo) + " to " +
                 CLI::detail::to_string(hi);
        return std::string();
      },
      "FLOAT in [" + CLI::detail::to_string(lo) + ", " + CLI::detail::to_string(hi) + "]");
}

// CLI::Range calls "1e3" and "abc" for a whole-number option "not in range 1 to 100000": say what it takes.
CLI::Validator whole_range(int64_t lo, int64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) {
        int64_t v = 0;
        if (!CLI::detail::lexical_cast(text, v) || v < lo || v > hi)
          return "Value " + text + " is not a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
        return std::string();
      },
      "INT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

// A seed is a whole number that fits 64 bits; CLI11 alone would wrap -1 to 2^64 - 1 and saturate larger numbers.
CLI::Validator seed_value() {
  return CLI::Validator(
    [](std::string& text) {
      errno = 0;
      char* end = nullptr;
      std::strtoull(text.c_str(), &end, 10);
      if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || errno == ERANGE)
        return "Value " + text + " is not a seed; pass a whole number from 0 to 18446744073709551615";
      return std::string();
    },
    "UINT64");
}

// File and folder arguments: an empty one would silently mean the current folder or a default name.
CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& text) { return text.empty() ? std::string("the path is empty; pass a file or folder name") : ""; },
      "PATH");
}

}  // namespace gan
