// `gan view`: the page's digit viewer in a native SDL2 window (same drawing and controls), or one frame to a PNG.
#include "view_command.h"

#include <SDL.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "file_io.h"
#include "format_error.h"
#include "generator_file.h"
#include "png_writer.h"
#include "viewer_app.h"
#include "weights.h"

namespace gan {
namespace {

struct SdlSession {
  explicit SdlSession(bool interactive) {
    // Without a Wayland session, SDL's Wayland backend still probes for one, and libwayland prints "error:
    // XDG_RUNTIME_DIR is invalid or not set" before anything of ours: leave it out (SDL_VIDEODRIVER still wins).
    if (!std::getenv("WAYLAND_DISPLAY")) SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,offscreen,dummy");
    // Ctrl-C in the terminal ends the viewer at once (the default action) rather than through SDL's handler, which
    // would run on whichever thread the signal lands on, perhaps one inside oneDNN's SGEMM (native/stop_signals.h).
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
      throw UserError(std::string("cannot open a window (") + SDL_GetError() +
                      "); run it in a desktop session, or render a PNG headless with SDL_VIDEODRIVER=offscreen and "
                      "--screenshot");
    // Without a display SDL may fall back to a driver that shows nothing: an interactive window there would wait
    // for input that can never come.
    const std::string driver = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "";
    if (interactive && (driver == "offscreen" || driver == "dummy")) {
      SDL_Quit();
      throw UserError("no display to show a window on (SDL's video driver is \"" + driver +
                      "\", which shows "
                      "nothing); run it in a desktop session, or pass --screenshot FILE.png to render one frame");
    }
  }
  ~SdlSession() { SDL_Quit(); }
};

std::vector<unsigned char> read_rgb(SDL_Renderer* renderer, int width, int height) {
  std::vector<unsigned char> rgb(size_t(width) * height * 3);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), width * 3) != 0)
    throw UserError(std::string("could not read the window's pixels: ") + SDL_GetError());
  return rgb;
}

}  // namespace

int run_view(const ViewOptions& opt) {
  check_png_output(opt.screenshot, "--screenshot", {{"-w", opt.weights}});
  DigitGenerator G = read_drawing_generator(opt.weights);
  const int count = (G.classes() > 0 ? G.classes() : opt.grid) * opt.grid;
  if (opt.select < 0 || opt.select >= count)
    throw UserError("--select " + std::to_string(opt.select) + " is outside the grid of " + std::to_string(count) +
                    " digits; pass 0.." + std::to_string(count - 1));

  SdlSession sdl(opt.screenshot.empty());
  ViewerOptions vo;
  vo.cols = vo.rows = opt.grid, vo.scale = opt.scale, vo.seed = opt.seed, vo.latent_panel = true;
  if (G.classes() > 0) vo.cols = G.classes();  // a row per latent vector, a column per class
  const int z_dim = G.z_dim();
  std::unique_ptr<SDL_Window, decltype(&SDL_DestroyWindow)> window(
      SDL_CreateWindow("gan view: click a digit, drag the bars; r/a randomise, w walk, i interpolate, s save",
                       SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ViewerApp::width_for(vo, z_dim),
                       ViewerApp::height_for(vo), SDL_WINDOW_HIDDEN),
      SDL_DestroyWindow);
  if (!window) throw UserError(std::string("cannot create a window: ") + SDL_GetError());
  // The software renderer draws the same pixels everywhere and can always be read back; the grid is small.
  std::unique_ptr<SDL_Renderer, decltype(&SDL_DestroyRenderer)> renderer(
      SDL_CreateRenderer(window.get(), -1, SDL_RENDERER_SOFTWARE), SDL_DestroyRenderer);
  if (!renderer) throw UserError(std::string("cannot create a renderer: ") + SDL_GetError());
  ViewerApp view(renderer.get(), G, vo);
  view.select(opt.select);

  if (!opt.screenshot.empty()) {
    view.frame(0);
    const auto rgb = read_rgb(renderer.get(), view.width(), view.height());
    write_png(opt.screenshot, rgb.data(), view.width(), view.height(), 3);
    std::fprintf(stderr, "gan view: wrote %dx%d pixels to %s\n", view.width(), view.height(), opt.screenshot.c_str());
    return 0;
  }

  int saved = 0;
  view.on_save = [&] {
    const std::string path = "gan-view-seed" + std::to_string(view.grid().seed()) + "-" + std::to_string(saved++) + ".png";
    const auto rgb = read_rgb(renderer.get(), view.width(), view.height());
    write_png(path, rgb.data(), view.width(), view.height(), 3);
    std::fprintf(stderr, "gan view: saved %s\n", path.c_str());
  };
  SDL_ShowWindow(window.get());
  for (bool running = true; running;) {
    SDL_Event event;
    // Sleep until something happens, unless an animation needs the next frame.
    const bool animating = view.animation() != ViewerApp::Animation::None;
    if (animating ? SDL_PollEvent(&event) : SDL_WaitEventTimeout(&event, 100)) {
      do {
        if (event.type == SDL_QUIT || (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE))
          running = false;
        view.handle(event);
      } while (SDL_PollEvent(&event));
    }
    view.frame(SDL_GetTicks64());
    if (animating) SDL_Delay(15);
  }
  return 0;
}

}  // namespace gan
