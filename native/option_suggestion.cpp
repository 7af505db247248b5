// "Did you mean --epochs?" for a mistyped option: the closest long option of the command, by edit distance.
#include "option_suggestion.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace gan {

namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string suggest_option(const CLI::App& command, const std::string& typed) {
  const std::string name = typed.substr(0, typed.find('='));
  const std::string bare = name.substr(name.find_first_not_of('-') == std::string::npos ? 0 : name.find_first_not_of('-'));
  std::string best;
  size_t best_distance = 3;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& long_name : option->get_lnames()) {
      const size_t d = edit_distance(bare, long_name);
      if (d < best_distance) best_distance = d, best = "--" + long_name;
    }
  }
  return best;
}

bool print_option_suggestion(const CLI::App& app) {
  const auto parsed = app.get_subcommands();
  if (parsed.empty()) return false;
  const CLI::App& command = *parsed[0];
  for (const std::string& arg : command.remaining()) {
    const std::string hint = arg.rfind("--", 0) == 0 ? suggest_option(command, arg) : "";
    if (hint.empty()) continue;
    std::fprintf(stderr, "gan %s: unknown option %s; did you mean %s? (gan %s --help lists them)\n",
                 command.get_name().c_str(), arg.c_str(), hint.c_str(), command.get_name().c_str());
    return true;
  }
  return false;
}

}  // namespace gan
