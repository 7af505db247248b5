// "Did you mean --epochs?" for a mistyped option: the closest long option of the command, by edit distance.
#pragma once
#include <string>

namespace CLI {
class App;
}

namespace gan {

// The closest long option name of `command` (with its "--") to `typed` within 2 edits, or "" when none is close.
std::string suggest_option(const CLI::App& command, const std::string& typed);

// After a failed parse of `app`: for the first unknown "--" argument of the command that was parsed with a close
// option name, prints "gan CMD: unknown option --epoch; did you mean --epochs?" and returns true.
bool print_option_suggestion(const CLI::App& app);

}  // namespace gan
