// The page's whole interface to the core: load a generator from bytes, run the shared SDL2 viewer in the canvas,
// and the edits the page's controls make. Strings returned stay valid until the next call that returns one.
#include <SDL.h>
#include <emscripten.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "canvas_rects.h"
#include "digit_animation.h"
#include "digit_attributes.h"
#include "directions_file.h"
#include "grid_image.h"
#include "thread_pool.h"
#include "viewer_app.h"
#include "weights.h"

using gan::ViewerApp;

namespace {

std::unique_ptr<ViewerApp> app;
SDL_Window* window = nullptr;
SDL_Renderer* renderer = nullptr;
std::string text;        // the last error or info string handed to JavaScript
std::string model_info;  // the shown generator's description, handed out again after gan_restart
gan::RgbaImage image;    // the last gan_grid_image()
std::vector<float> seed_z;  // the last gan_seed_latent()
gan::DirectionsOwner owner;  // the shown generator as a directions file names it
gan::Matrix drawn;           // the last gan_draw_latents() or gan_attributes()
std::vector<uint8_t> bytes;  // the last gan_gif()
// New grids come in runs (a held key, clicks in a row): after one the helper thread polls for the next for 100 ms.
// Single digits do not keep it polling: through a slider drag that raised the moves' p95 (docs/benchmarks.md).
constexpr double kWarmAfterGridMs = 100;

// Reads a generator file straight into the packed layout the grid runs: its description in `text` and `model_info`,
// or on failure the reason in `text` alone (the generator shown stays described) and false.
bool parse(const uint8_t* data, size_t size, gan::DigitGenerator* out) {
  try {
    gan::GeneratorInfo info;
    *out = gan::load_digit_generator(data, size, &info);
    nlohmann::json j;
    j["z_dim"] = info.z_dim;
    j["classes"] = info.classes;
    j["architecture"] = out->architecture();
    j["layers"] = out->layers_text();
    j["parameters"] = out->parameter_count();
    j["metadata"] = info.metadata;
    text = model_info = j.dump();
    const auto meta = [&](const char* key) { return info.metadata.count(key) ? info.metadata.at(key) : std::string(); };
    owner = {out->architecture(), info.z_dim, info.classes, meta("dataset"), meta("step")};
    return true;
  } catch (const std::bad_alloc&) {
    text = "its tensors need more memory than the page has, so it cannot be a generator the page knows "
           "(1-6 MB). Load a generator.safetensors written by `gan train` (or `gan train --export-f16`).";
    return false;
  } catch (const std::exception& e) {
    text = std::string(e.what()) + ". Load a generator.safetensors written by `gan train` (or `gan train --export-f16`).";
    return false;
  }
}

void main_loop() {
  if (!app) return;
  SDL_Event event;
  while (SDL_PollEvent(&event)) app->handle(event);
  app->frame(emscripten_get_now());
}

// A new viewer of `generator` in the canvas, which is resized to fit. Returns 0, or 1 with `text` saying why.
int show(gan::DigitGenerator generator, int cols, int rows, int scale, double seed) {
  gan::ViewerOptions o;
  o.cols = cols, o.rows = rows, o.scale = scale, o.seed = static_cast<uint64_t>(seed);
  app.reset();  // its texture belongs to the renderer that may be replaced below
  if (!window) {
    // Keys go to the canvas only, so typing in the page's inputs does not randomise digits.
    SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return text = SDL_GetError(), 1;
  }
  int w = 0, h = 0;
  if (window) SDL_GetWindowSize(window, &w, &h);
  if (w != ViewerApp::width_for(o, 0) || h != ViewerApp::height_for(o)) {
    if (renderer) SDL_DestroyRenderer(renderer), renderer = nullptr;
    if (window) SDL_DestroyWindow(window);
    window = SDL_CreateWindow("digits", 0, 0, ViewerApp::width_for(o, 0), ViewerApp::height_for(o), 0);
    // The software renderer puts exactly the same pixels on every machine (and the tests can read them back).
    if (window) renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer) return text = SDL_GetError(), 1;
  }
  app = std::make_unique<ViewerApp>(renderer, std::move(generator), o);
  app->on_select = [](int i) { EM_ASM({ if (Module.onSelect) Module.onSelect($0); }, i); };
  app->on_latent_changed = [](int i) { EM_ASM({ if (Module.onLatentChanged) Module.onLatentChanged($0); }, i); };
  app->present_rects = [](const std::vector<SDL_Rect>& rects) { gan::put_surface_rects(renderer, window, rects); };
  app->frame(emscripten_get_now());
  static bool looping = false;
  if (!looping) emscripten_set_main_loop(main_loop, 0, false), looping = true;
  return 0;
}

}  // namespace

extern "C" {

// Starts the viewer in <canvas id="canvas"> with a generator file. Returns 0, or 1 with gan_text() saying why.
EMSCRIPTEN_KEEPALIVE int gan_start(const uint8_t* data, size_t size, int cols, int rows, int scale, double seed) {
  if (!window) gan::hold_pool();  // the first digits on one thread; gan_release_threads() once they are drawn
  gan::DigitGenerator generator;
  if (!parse(data, size, &generator)) return 1;
  return show(std::move(generator), cols, rows, scale, seed);
}

// The same generator in a grid of another shape (the grid-size menu; a conditional generator's column per class),
// without reading its file again. Returns 0, or 1 with gan_text() saying why; gan_text() then describes the model.
EMSCRIPTEN_KEEPALIVE int gan_restart(int cols, int rows, int scale, double seed) {
  if (!app) return text = "no generator is shown yet: start the viewer with a generator file first", 1;
  gan::DigitGenerator generator = std::move(*app).take_generator();
  text = model_info;
  return show(std::move(generator), cols, rows, scale, seed);
}

// Swaps in another generator file, keeping the grid. Returns 0, or 1 (the old generator stays) with the reason.
EMSCRIPTEN_KEEPALIVE int gan_load(const uint8_t* data, size_t size) {
  gan::DigitGenerator generator;
  if (!parse(data, size, &generator)) return 1;
  app->set_generator(std::move(generator));
  return 0;
}

EMSCRIPTEN_KEEPALIVE const char* gan_text() { return text.c_str(); }
// Starts the helper thread that the packed generator shares its products with (held back for the first digits).
EMSCRIPTEN_KEEPALIVE void gan_release_threads() { gan::release_pool(); }
// The helper thread polls for work for the next `ms` milliseconds (the page calls it as a button is pressed).
EMSCRIPTEN_KEEPALIVE void gan_keep_threads_warm(double ms) { gan::keep_pool_warm(ms); }
EMSCRIPTEN_KEEPALIVE int gan_z_dim() { return app->grid().z_dim(); }
EMSCRIPTEN_KEEPALIVE int gan_count() { return app->grid().count(); }
EMSCRIPTEN_KEEPALIVE double gan_seed() { return static_cast<double>(app->grid().seed()); }
EMSCRIPTEN_KEEPALIVE int gan_selected() { return app->selected(); }
EMSCRIPTEN_KEEPALIVE void gan_select(int i) { app->select(i); }
// Digit i's latent vector (gan_z_dim() floats) and pixels (784 floats in [-1, 1]), read in place.
EMSCRIPTEN_KEEPALIVE const float* gan_latent(int i) { return app->grid().latent(i); }
EMSCRIPTEN_KEEPALIVE const float* gan_digit(int i) { return app->grid().digit(i); }
// Digit i's latent vector as the grid's seed draws it, before any edit (valid until the next call).
EMSCRIPTEN_KEEPALIVE const float* gan_seed_latent(int i) { return (seed_z = app->grid().seed_latent(i)).data(); }
EMSCRIPTEN_KEEPALIVE void gan_set_value(int dim, float value) { app->set_value(dim, value); }
EMSCRIPTEN_KEEPALIVE void gan_randomize_selected() { app->randomize_selected(); }
EMSCRIPTEN_KEEPALIVE void gan_randomize_all() {
  app->randomize_all();
  gan::keep_pool_warm(kWarmAfterGridMs);
}
// The selected digit back to its seed's vector (the others keep their edits).
EMSCRIPTEN_KEEPALIVE void gan_reset() { app->reset(); }
// The selected digit takes gan_z_dim() floats at z (a shared link, a latent JSON, an undo). Returns 0, or 1 with
// gan_text() saying why (a value that is not finite).
EMSCRIPTEN_KEEPALIVE int gan_set_latent(const float* z) {
  try {
    app->set_latent(z);
    return 0;
  } catch (const std::exception& e) {
    return text = e.what(), 1;
  }
}
// The grid as RGBA pixels without the selection box (the page's "Download PNG"); its size is gan_image_width() x
// gan_image_height(). Valid until the next call.
EMSCRIPTEN_KEEPALIVE const uint8_t* gan_grid_image() {
  image = gan::render_grid_image(app->grid().digits(), app->layout());
  return image.pixels.data();
}
EMSCRIPTEN_KEEPALIVE int gan_image_width() { return image.width; }
EMSCRIPTEN_KEEPALIVE int gan_image_height() { return image.height; }
// Class-conditional generators: how many classes (0: none), digit i's class, and setting the selected digit's.
EMSCRIPTEN_KEEPALIVE int gan_classes() { return app->grid().classes(); }
EMSCRIPTEN_KEEPALIVE int gan_label(int i) { return app->grid().classes() ? app->grid().label(i) : -1; }
EMSCRIPTEN_KEEPALIVE void gan_set_label(int label) { if (label >= 0 && label < app->grid().classes()) app->set_label(label); }
EMSCRIPTEN_KEEPALIVE void gan_class_row() { app->class_row(); }
EMSCRIPTEN_KEEPALIVE void gan_set_seed(double seed) {
  app->set_seed(static_cast<uint64_t>(seed));
  gan::keep_pool_warm(kWarmAfterGridMs);
}
// 0 stops; 1 walks; 2 interpolates to a random vector and back; 3 waits for a click on the digit to interpolate to.
EMSCRIPTEN_KEEPALIVE void gan_animate(int kind) {
  if (kind == 3) return app->pick_interpolation_target();
  app->animate(static_cast<ViewerApp::Animation>(kind));
}
EMSCRIPTEN_KEEPALIVE int gan_animation() { return static_cast<int>(app->animation()); }
// Digits of n latent vectors outside the grid (n * gan_z_dim() floats at z), drawn as class `label` by a
// conditional generator: n * 784 floats in [-1, 1] (a named direction's strip). Null with gan_text() saying why.
EMSCRIPTEN_KEEPALIVE const float* gan_draw_latents(const float* z, int n, int label) {
  try {
    drawn = app->grid().draw(Eigen::Map<const gan::Matrix>(z, n, app->grid().z_dim()), label);
    return drawn.data();
  } catch (const std::exception& e) {
    return text = e.what(), nullptr;
  }
}
// Digit i's measured attributes (gan::kAllAttributes order: ink, slant in degrees, width and height in pixels).
EMSCRIPTEN_KEEPALIVE const float* gan_attributes(int i) {
  drawn = gan::measure_attributes(Eigen::Map<const gan::Matrix>(app->grid().digit(i), 1, 784));
  return drawn.data();
}
// A named-directions file (gan directions' JSON) checked against the generator shown. Returns 0 with the file
// as gan_text() (written again by the core, so the page reads one format), or 1 with gan_text() saying why.
EMSCRIPTEN_KEEPALIVE int gan_load_directions(const char* data, size_t size) {
  try {
    text = gan::write_directions_json(gan::parse_directions_json(std::string(data, size), owner));
    return 0;
  } catch (const std::exception& e) {
    return text = e.what(), 1;
  }
}
// An animated GIF of n frames: the digits of n latent vectors (n * gan_z_dim() floats at z) with one class each
// (labels, ignored by an unconditional generator), each pixel `scale` pixels wide, shown delay_cs hundredths of a
// second. Its size is gan_bytes_size(). Null with gan_text() saying why.
EMSCRIPTEN_KEEPALIVE const uint8_t* gan_gif(const float* z, const int* labels, int n, int scale, int delay_cs) {
  try {
    gan::LatentGrid& grid = app->grid();
    gan::Matrix frames(n, 784);
    for (int f = 0; f < n; ++f)
      frames.row(f) = grid.draw(Eigen::Map<const gan::Matrix>(z + size_t(f) * grid.z_dim(), 1, grid.z_dim()),
                                grid.classes() ? labels[f] : 0);
    bytes = gan::digit_animation_gif(frames, scale, delay_cs);
    return bytes.data();
  } catch (const std::exception& e) {
    return text = e.what(), nullptr;
  }
}
EMSCRIPTEN_KEEPALIVE int gan_bytes_size() { return static_cast<int>(bytes.size()); }
// Draws now if anything changed (the page calls it right after an edit so a slider move shows without waiting for
// the next animation frame). Returns whether it drew.
EMSCRIPTEN_KEEPALIVE int gan_draw() { return app->frame(emscripten_get_now()); }

}  // extern "C"
