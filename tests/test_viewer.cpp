// The shared SDL2 renderer, drawn into an offscreen surface: every digit pixel lands as a crisp block of its grey,
// the selected digit alone is outlined, and clicks and keys do what the page's controls do.
#include <SDL.h>

#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "gan.h"
#include "image_grid.h"
#include "grid_image.h"
#include "grid_renderer.h"
#include "viewer_app.h"

using namespace gan;

namespace {

struct Canvas {
  std::unique_ptr<SDL_Surface, decltype(&SDL_FreeSurface)> surface;
  std::unique_ptr<SDL_Renderer, decltype(&SDL_DestroyRenderer)> renderer;
  Canvas(int w, int h)
      : surface(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888), SDL_FreeSurface),
        renderer(SDL_CreateSoftwareRenderer(surface.get()), SDL_DestroyRenderer) {
    REQUIRE(surface);
    REQUIRE(renderer);
  }
  uint32_t at(int x, int y) const {
    return static_cast<const uint32_t*>(surface->pixels)[size_t(y) * surface->pitch / 4 + x] & 0xffffffu;
  }
  std::vector<uint32_t> pixels() const {
    std::vector<uint32_t> all;
    for (int y = 0; y < surface->h; ++y)
      for (int x = 0; x < surface->w; ++x) all.push_back(at(x, y));
    return all;
  }
};

Mlp seeded_generator() {
  Mlp G(generator_spec());
  Rng rng(derive_seed(3, static_cast<uint64_t>(Stream::InitG)));
  G.reset_parameters(rng);
  return G;
}

constexpr uint32_t kHighlight = 0xff9f1c;
uint32_t grey(float v) { const uint32_t g = to_gray(v); return (g << 16) | (g << 8) | g; }

// How many pixels of the ring just outside digit i's cell have the highlight colour.
int outlined(const Canvas& c, const GridLayout& l, int i) {
  const int s = l.scale, x0 = l.cell_x(i) * s, y0 = l.cell_y(i) * s, side = 28 * s;
  int n = 0;
  for (int k = 0; k < side; ++k)
    n += (c.at(x0 + k, y0 - 1) == kHighlight) + (c.at(x0 + k, y0 + side) == kHighlight) +
         (c.at(x0 - 1, y0 + k) == kHighlight) + (c.at(x0 + side, y0 + k) == kHighlight);
  return n;
}

}  // namespace

TEST_CASE("the viewer paints each digit pixel as a scale x scale block of its grey and outlines the selection", "[viewer][sdl]") {
  ViewerOptions o;
  o.cols = 4, o.rows = 3, o.scale = 3, o.seed = 7;
  Canvas canvas(ViewerApp::width_for(o, 100), ViewerApp::height_for(o));
  ViewerApp app(canvas.renderer.get(), seeded_generator(), o);
  app.select(5);
  REQUIRE(app.frame(0));
  REQUIRE_FALSE(app.frame(1));  // nothing changed: no redraw

  const GridLayout& l = app.layout();
  int mismatches = 0;
  for (int i = 0; i < 12; ++i)
    for (int y = 0; y < 28 * 3; ++y)
      for (int x = 0; x < 28 * 3; ++x)
        mismatches += canvas.at(l.cell_x(i) * 3 + x, l.cell_y(i) * 3 + y) != grey(app.grid().digit(i)[(y / 3) * 28 + x / 3]);
  REQUIRE(mismatches == 0);
  REQUIRE(outlined(canvas, l, 5) == 4 * 28 * 3);
  for (int i = 0; i < 12; ++i)
    if (i != 5) REQUIRE(outlined(canvas, l, i) <= 28 * 3);  // at most the gap it shares with digit 5
}

TEST_CASE("clicks select, keys randomise and animate, and only changed digits are redrawn", "[viewer][sdl]") {
  ViewerOptions o;
  o.cols = o.rows = 4, o.scale = 2, o.seed = 7;
  Canvas canvas(ViewerApp::width_for(o, 100), ViewerApp::height_for(o));
  ViewerApp app(canvas.renderer.get(), seeded_generator(), o);
  int selected_seen = -1, changes = 0;
  app.on_select = [&](int i) { selected_seen = i; };
  app.on_latent_changed = [&](int) { ++changes; };
  app.frame(0);

  const GridLayout& l = app.layout();
  SDL_Event click{};
  click.type = SDL_MOUSEBUTTONDOWN;
  click.button.button = SDL_BUTTON_LEFT;
  click.button.x = l.cell_x(9) * 2 + 10, click.button.y = l.cell_y(9) * 2 + 10;
  app.handle(click);
  REQUIRE(app.selected() == 9);
  REQUIRE(selected_seen == 9);

  const Matrix before = app.grid().digits();
  SDL_Event key{};
  key.type = SDL_KEYDOWN;
  key.key.keysym.sym = SDLK_r;
  app.handle(key);
  REQUIRE(changes == 1);
  for (int i = 0; i < 16; ++i) REQUIRE((app.grid().digits().row(i) == before.row(i)) == (i != 9));

  key.key.keysym.sym = SDLK_w;  // a walk moves the selected digit every frame
  app.handle(key);
  REQUIRE(app.animation() == ViewerApp::Animation::Walk);
  const Matrix start = app.grid().digits();
  REQUIRE(app.frame(100));
  REQUIRE(app.frame(400));
  REQUIRE((app.grid().digits().row(9) - start.row(9)).cwiseAbs().maxCoeff() > 1e-4f);
  key.key.keysym.sym = SDLK_SPACE;
  app.handle(key);
  REQUIRE(app.animation() == ViewerApp::Animation::None);

  key.key.keysym.sym = SDLK_a;  // next seed
  app.handle(key);
  REQUIRE(app.grid().seed() == 8);
  REQUIRE(app.grid().latents() == Gan::sample_z(8, 16, 100));
  key.key.keysym.sym = SDLK_LEFT;
  app.handle(key);
  REQUIRE(app.selected() == 8);
}

TEST_CASE("with a present of rectangles, a changed digit is drawn in place, as a whole redraw draws it", "[viewer][sdl]") {
  ViewerOptions o;
  o.cols = 4, o.rows = 3, o.scale = 3, o.seed = 7;
  Canvas canvas(ViewerApp::width_for(o, 100), ViewerApp::height_for(o));
  ViewerApp app(canvas.renderer.get(), seeded_generator(), o);
  std::vector<std::vector<SDL_Rect>> presents;
  app.present_rects = [&](const std::vector<SDL_Rect>& rects) {
    SDL_RenderFlush(canvas.renderer.get());
    presents.push_back(rects);
  };
  app.select(5);
  REQUIRE(app.frame(0));
  REQUIRE(presents.empty());  // the first frame draws and presents everything
  const std::vector<uint32_t> before = canvas.pixels();

  app.set_value(3, 2.5f);  // a slider move on digit 5
  REQUIRE(app.frame(1));
  REQUIRE(presents.size() == 1);
  REQUIRE(presents[0].size() == 1);
  const GridLayout& l = app.layout();
  const SDL_Rect r = presents[0][0];
  REQUIRE((r.x == l.cell_x(5) * 3 && r.y == l.cell_y(5) * 3 && r.w == 28 * 3 && r.h == 28 * 3));
  const std::vector<uint32_t> in_place = canvas.pixels();
  int inside_changed = 0, outside_changed = 0;
  for (int y = 0; y < canvas.surface->h; ++y)
    for (int x = 0; x < canvas.surface->w; ++x) {
      const size_t k = size_t(y) * canvas.surface->w + x;
      const bool inside = x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
      (inside ? inside_changed : outside_changed) += in_place[k] != before[k];
    }
  REQUIRE(inside_changed > 0);
  REQUIRE(outside_changed == 0);
  REQUIRE(outlined(canvas, l, 5) == 4 * 28 * 3);

  app.invalidate();  // a whole redraw of the same state paints the same pixels
  REQUIRE(app.frame(2));
  REQUIRE(presents.size() == 1);
  REQUIRE(canvas.pixels() == in_place);

  app.set_seed(8);  // a new grid changes every digit: drawn and presented whole
  REQUIRE(app.frame(3));
  REQUIRE(presents.size() == 1);
  app.select(6);  // so does a new selection (the outline moves)
  app.set_value(0, 1.0f);
  REQUIRE(app.frame(4));
  REQUIRE(presents.size() == 1);
}

TEST_CASE("a shift-click interpolates the selected digit toward the clicked one and back", "[viewer][sdl]") {
  ViewerOptions o;
  o.cols = o.rows = 2, o.scale = 1, o.seed = 7;
  Canvas canvas(ViewerApp::width_for(o, 100), ViewerApp::height_for(o));
  ViewerApp app(canvas.renderer.get(), seeded_generator(), o);
  const Matrix z = app.grid().latents();
  app.pick_interpolation_target();
  SDL_Event click{};
  click.type = SDL_MOUSEBUTTONDOWN;
  click.button.button = SDL_BUTTON_LEFT;
  click.button.x = app.layout().cell_x(3) + 5, click.button.y = app.layout().cell_y(3) + 5;
  app.handle(click);
  REQUIRE(app.selected() == 0);  // the click chose a target, not a new selection
  REQUIRE(app.animation() == ViewerApp::Animation::Interpolate);
  app.frame(0);
  REQUIRE(app.grid().latents().row(0) == z.row(0));
  app.frame(1999.999);  // nearly at the end of the first 2 s segment: close to the target
  REQUIRE((app.grid().latents().row(0) - z.row(3)).cwiseAbs().maxCoeff() < 1e-3f);
  app.frame(3000);      // half way back
  app.frame(4000.001);  // back at the start
  REQUIRE((app.grid().latents().row(0) - z.row(0)).cwiseAbs().maxCoeff() < 1e-3f);
}

TEST_CASE("the grid paints the same pixels through a texture of any 32-bit format", "[viewer][sdl]") {
  // The page's canvas has its own format (XBGR8888), and the texture takes it to be copied without conversion.
  const LatentGrid grid(seeded_generator(), 6, 5);
  GridLayout layout;
  layout.cols = 3, layout.rows = 2, layout.scale = 2;
  std::vector<uint32_t> first;
  for (Uint32 format : {SDL_PIXELFORMAT_ARGB8888, SDL_PIXELFORMAT_XBGR8888, SDL_PIXELFORMAT_ABGR8888,
                        SDL_PIXELFORMAT_RGBA8888, SDL_PIXELFORMAT_XRGB8888}) {
    INFO(SDL_GetPixelFormatName(format));
    Canvas canvas(layout.width(), layout.height());
    GridRenderer painter(canvas.renderer.get(), layout, format);
    painter.update_digits(grid.digits(), {0, 1, 2, 3, 4, 5});
    painter.draw(4);
    SDL_RenderPresent(canvas.renderer.get());
    std::vector<uint32_t> pixels;
    for (int y = 0; y < layout.height(); ++y)
      for (int x = 0; x < layout.width(); ++x) pixels.push_back(canvas.at(x, y));
    if (first.empty()) {
      first = pixels;
      REQUIRE(canvas.at(layout.cell_x(1) * 2, layout.cell_y(1) * 2) == grey(grid.digit(1)[0]));
      REQUIRE(canvas.at(0, 0) == 0x181a21u);  // the background between the cells
    }
    REQUIRE(pixels == first);
  }
  Canvas canvas(8, 8);
  REQUIRE_THROWS_WITH(GridRenderer(canvas.renderer.get(), layout, SDL_PIXELFORMAT_RGB565),
                      Catch::Contains("32-bit pixel format"));
}

TEST_CASE("render_grid_image paints every digit's grey at its cell in RGBA, and the background between", "[viewer][sdl]") {
  const LatentGrid grid(seeded_generator(), 25, 11);
  GridLayout layout;
  layout.cols = 5, layout.rows = 5, layout.scale = 1;
  const RgbaImage image = render_grid_image(grid.digits(), layout);
  REQUIRE(image.width == layout.width());
  REQUIRE(image.height == layout.height());
  REQUIRE(image.pixels.size() == size_t(image.width) * image.height * 4);
  auto pixel = [&](int x, int y) { return &image.pixels[(size_t(y) * image.width + x) * 4]; };
  for (int i = 0; i < 25; ++i)
    for (int p = 0; p < 784; ++p) {
      const uint8_t* px = pixel(layout.cell_x(i) + p % 28, layout.cell_y(i) + p / 28);
      const uint8_t g = static_cast<uint8_t>(to_gray(grid.digit(i)[p]));
      REQUIRE((px[0] == g && px[1] == g && px[2] == g && px[3] == 255));
    }
  const ViewColours colours;
  const uint8_t* gap = pixel(0, 0);
  REQUIRE((gap[0] == colours.background.r && gap[1] == colours.background.g && gap[2] == colours.background.b));
}
