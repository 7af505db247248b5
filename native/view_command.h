// `gan view`: the page's digit viewer in a native SDL2 window (same drawing and controls), or one frame to a PNG.
#pragma once
#include <cstdint>
#include <string>

namespace gan {

struct ViewOptions {
  std::string weights;
  uint64_t seed = 0;
  int grid = 8;            // digits per side
  int scale = 3;
  std::string screenshot;  // render one frame into this PNG and exit (works with SDL_VIDEODRIVER=offscreen)
  int select = 0;          // digit selected at start
};

int run_view(const ViewOptions& options);

}  // namespace gan
