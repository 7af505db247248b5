// read_file plus load_generator, with FormatError turned into a message about the file.
#include "generator_file.h"

#include "file_io.h"

namespace gan {

Mlp read_generator_file(const std::string& path, GeneratorInfo* info) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  try {
    return load_generator(bytes.data(), bytes.size(), info);
  } catch (const FormatError& e) {
    throw file_error(path, e.what(), "pass a generator.safetensors written by `gan train`");
  }
}

}  // namespace gan
