// libFuzzer target: the safetensors reader and every generator loader (an Mlp, the page's packed layout, the
// layer lists, and the dispatch between them) on arbitrary bytes. A FormatError (a clear message) is the expected outcome for bad input; any other exception, a
// crash, a leak or undefined behaviour is a bug.
#include <cstddef>
#include <cstdint>

#include "format_error.h"
#include "safetensors.h"
#include "digit_generator.h"
#include "network_files.h"
#include "weights.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const gan::SafeTensors file = gan::parse_safetensors(data, size);
    for (const auto& t : file.tensors) (void)t;
  } catch (const gan::FormatError&) {
  }
  try {
    gan::GeneratorInfo info;
    (void)gan::load_generator(data, size, &info);
  } catch (const gan::FormatError&) {
  }
  try {
    gan::GeneratorInfo info;
    (void)gan::load_packed_generator(data, size, &info);
  } catch (const gan::FormatError&) {
  }
  try {
    gan::GeneratorInfo info;
    (void)gan::load_network_generator(data, size, &info);
  } catch (const gan::FormatError&) {
  }
  try {
    (void)gan::load_digit_generator(data, size);
  } catch (const gan::FormatError&) {
  }
  return 0;
}
