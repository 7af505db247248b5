// libFuzzer target: the readers `gan invert` and `gan directions` feed with user files: the directions sidecar
// (JSON) and the picture-to-digit step (the first 4 bytes give the width and height, the rest the grey levels). A
// FormatError or std::invalid_argument (a clear message) is the expected outcome for bad input; any other
// exception, a crash, a leak or undefined behaviour is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "digit_image.h"
#include "directions_file.h"
#include "format_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)gan::parse_directions_json(std::string(reinterpret_cast<const char*>(data), size),
                                     gan::DirectionsOwner{"seed", 100, 0, "mnist", "100000"});
  } catch (const gan::FormatError&) {
  }
  if (size >= 4) {
    const int width = 1 + data[0] % 64 + (data[1] % 4) * 64, height = 1 + data[2] % 64 + (data[3] % 4) * 64;
    if (size - 4 >= size_t(width) * size_t(height)) {
      try {
        (void)gan::mnist_digit_from_gray(data + 4, width, height);
      } catch (const std::invalid_argument&) {
      }
    }
  }
  return 0;
}
