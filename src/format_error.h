// The error every parser in the core throws for bad input: its message says what is wrong and what to do.
#pragma once
#include <stdexcept>
#include <string>

namespace gan {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A value taken from a file, fit to quote in a one-line message: control characters become '?' and the text is cut
// to at most `max` characters.
inline std::string printable(const std::string& text, size_t max = 40) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : text[i]);
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace gan
