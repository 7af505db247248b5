// The digit viewer shared by the page and the native window: one frame function and one event handler, run by a
// `while` loop natively and by the browser's animation frames on the web.
#pragma once
#include <SDL.h>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "grid_renderer.h"
#include "latent_grid.h"
#include "latent_panel.h"

namespace gan {

struct ViewerOptions {
  int cols = 8, rows = 8, scale = 3;
  uint64_t seed = 0;
  bool latent_panel = false;  // native window: draw the latent sliders beside the grid
};

class ViewerApp {
 public:
  enum class Animation { None, Walk, Interpolate };

  ViewerApp(SDL_Renderer* renderer, DigitGenerator generator, ViewerOptions options);

  int width() const;
  int height() const;
  // The size a window needs for these options, known before the app exists.
  static int width_for(const ViewerOptions& options, int z_dim);
  static int height_for(const ViewerOptions& options);
  LatentGrid& grid() { return grid_; }
  const LatentGrid& grid() const { return grid_; }
  const GridLayout& layout() const { return renderer_view_.layout(); }

  int selected() const { return selected_; }
  void select(int i);
  // The mouse and keys: click selects (and drags on the latent panel); r randomises the selected digit, a all of
  // them (next seed), w walks the selected digit's latent vector, i interpolates it to a random one and back,
  // Space stops, 0 resets the selected digit to the seed, arrows move the selection, s saves (through on_save); for a
  // conditional generator c steps the selected digit's class and k makes its row 0-9 from its latent vector.
  void handle(const SDL_Event& event);

  void randomize_selected();
  void randomize_all();
  // The selected digit back to its seed's latent vector (and class); the other digits keep their edits.
  void reset();
  // The selected digit takes latent vector `z` (z_dim() finite values; std::invalid_argument otherwise).
  void set_latent(const float* z);
  void set_seed(uint64_t seed);
  void set_value(int dim, float value);
  // Class-conditional generators: the selected digit becomes `label`; class_row() gives every digit in the
  // selected digit's row its latent vector, as the classes in column order (a row of 0-9 in one style).
  void set_label(int label);
  void class_row();
  void set_generator(DigitGenerator generator);
  // The generator, for a viewer of another grid shape: no second read of its file. The app must not be used after.
  DigitGenerator take_generator() && { return std::move(grid_).take_generator(); }
  // Smooth walk through latent space, or back and forth between the current vector and `target` (random if none).
  void animate(Animation kind, std::optional<std::vector<float>> target = std::nullopt);
  Animation animation() const { return animation_; }
  // The next click on a digit (or a shift-click at any time) interpolates the selected digit to that digit's vector.
  void pick_interpolation_target() { picking_target_ = true; }
  bool picking_target() const { return picking_target_; }

  // Advances any animation to time `now_ms` and redraws when something changed; returns whether it drew.
  bool frame(double now_ms);
  // Forces the next frame to redraw everything (e.g. after the window was exposed).
  void invalidate() { full_redraw_ = true; }

  std::function<void(int)> on_select;          // the selection moved
  std::function<void(int)> on_latent_changed;  // digit i's latent vector changed (slider, randomise, animation)
  std::function<void()> on_save;               // the user asked to save the image
  // Presents just the given rectangles (window coordinates) of a target that keeps its pixels between frames (the
  // page's canvas). With it set, a frame that changes a few digits and nothing else redraws and presents only those
  // digits; without it, every frame redraws the whole window and SDL_RenderPresent shows it.
  std::function<void(const std::vector<SDL_Rect>&)> present_rects;

 private:
  void changed(int i);
  bool redraws_in_place(const std::vector<int>& digits) const;
  void draw_everything();
  std::vector<float> random_latent();
  void start_segment(std::vector<float> to, double now_ms);

  SDL_Renderer* renderer_;
  ViewerOptions options_;
  LatentGrid grid_;
  GridRenderer renderer_view_;
  std::unique_ptr<LatentPanel> panel_;
  int selected_ = 0;
  bool full_redraw_ = true;
  bool dragging_panel_ = false;
  bool picking_target_ = false;
  uint64_t draws_ = 0;  // how many random vectors the viewer has drawn: seeds them deterministically

  Animation animation_ = Animation::None;
  std::vector<float> from_, to_;
  double segment_start_ = -1, segment_ms_ = 1500;
};

}  // namespace gan
