// Checks for command-line values that CLI11's own get wrong or explain badly (NaN through ranges, "1e3" as a whole
// number, -1 as a seed, empty paths), shared by every command's options.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>

namespace gan {

CLI::Validator learning_rate();                      // a number in (0, 1]
CLI::Validator finite_range(double lo, double hi);   // a finite number in [lo, hi]
CLI::Validator whole_range(int64_t lo, int64_t hi);  // a whole number in [lo, hi]
CLI::Validator seed_value();                         // a whole number that fits 64 bits
CLI::Validator non_empty_path();                     // a file or folder name, not ""

// A command of `gan`: its CLI11 subcommand and what runs it once the command line is parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

}  // namespace gan
