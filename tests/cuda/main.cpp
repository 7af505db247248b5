// The GPU tests' main: runs Catch2 where a GPU is usable (or on the emulated one, tests/cuda_emulator), else says why
// and exits 77, which ctest counts as skipped.
#include <cstdio>
#include <cstring>
#include <string>

#include "catch_session.h"
#include "cuda_context.h"

int main(int argc, char** argv) {
  bool listing = false;
  for (int i = 1; i < argc; ++i) listing |= std::strncmp(argv[i], "--list", 6) == 0;
  std::string why;
  if (!listing && !gan::cuda::device_available(&why)) {
    std::printf("SKIPPED: no usable CUDA GPU on this machine (%s); run tests/gpu/check.sh on a GPU machine\n",
                why.c_str());
    return 77;
  }
  if (!listing) std::printf("GPU: %s\n", gan::cuda::require_device().c_str());
  return gan::testing::run_catch_session(argc, argv);
}
