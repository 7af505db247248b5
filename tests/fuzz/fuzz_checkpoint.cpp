// libFuzzer target: the checkpoint readers (the MLP's, and the dispatch to any architecture's) on arbitrary bytes
// (FormatError is the expected outcome).
#include <cstddef>
#include <cstdint>

#include "format_error.h"
#include "gan_models.h"
#include "weights.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    gan::TrainProgress progress;
    (void)gan::load_checkpoint(data, size, &progress);
  } catch (const gan::FormatError&) {
  }
  try {
    gan::TrainProgress progress;
    (void)gan::load_gan_checkpoint(data, size, &progress);
  } catch (const gan::FormatError&) {
  }
  return 0;
}
