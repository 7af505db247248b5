// libFuzzer target: the IDX image and label readers on arbitrary bytes (FormatError is the expected outcome).
#include <cstddef>
#include <cstdint>

#include "format_error.h"
#include "idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const gan::IdxImages images = gan::parse_idx_images(data, size);
    (void)gan::images_to_matrix(images);
  } catch (const gan::FormatError&) {
  }
  try {
    (void)gan::parse_idx_labels(data, size);
  } catch (const gan::FormatError&) {
  }
  return 0;
}
