// The digit viewer shared by the page and the native window: one frame function and one event handler.
#include "viewer_app.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "rng.h"

namespace gan {
namespace {

GridLayout layout_for(const ViewerOptions& o) {
  GridLayout l;
  l.cols = o.cols, l.rows = o.rows, l.scale = o.scale;
  return l;
}

// Smoothstep easing: segments start and end gently, so a walk has no visible kinks.
double ease(double t) { return t * t * (3 - 2 * t); }

}  // namespace

ViewerApp::ViewerApp(SDL_Renderer* renderer, DigitGenerator generator, ViewerOptions options)
    : renderer_(renderer),
      options_(options),
      grid_(std::move(generator), options.cols * options.rows, options.seed),
      renderer_view_(renderer, layout_for(options)) {
  if (options_.latent_panel)
    panel_ = std::make_unique<LatentPanel>(layout().width(), 0, layout().height(), grid_.z_dim());
}

int ViewerApp::width() const { return layout().width() + (panel_ ? panel_->width() : 0); }
int ViewerApp::height() const { return layout().height(); }

int ViewerApp::width_for(const ViewerOptions& o, int z_dim) {
  return layout_for(o).width() + (o.latent_panel ? LatentPanel(0, 0, 1, z_dim).width() : 0);
}
int ViewerApp::height_for(const ViewerOptions& o) { return layout_for(o).height(); }

void ViewerApp::select(int i) {
  if (i < 0 || i >= grid_.count() || i == selected_) return;
  animation_ = Animation::None;  // an animation belongs to the digit it started on
  selected_ = i;
  full_redraw_ = true;
  if (on_select) on_select(i);
}

void ViewerApp::changed(int i) {
  if (on_latent_changed) on_latent_changed(i);
}

std::vector<float> ViewerApp::random_latent() {
  std::vector<float> z(grid_.z_dim());
  Rng rng(derive_seed(grid_.seed(), 1000 + draws_++));
  rng.normal(z.data(), z.size());
  return z;
}

void ViewerApp::randomize_selected() {
  animation_ = Animation::None;
  const auto z = random_latent();
  grid_.set_latent(selected_, z.data());
  changed(selected_);
}

void ViewerApp::randomize_all() { set_seed(grid_.seed() + 1); }

void ViewerApp::set_seed(uint64_t seed) {
  animation_ = Animation::None;
  draws_ = 0;
  grid_.reseed(seed);
  for (int i = 0; i < grid_.count(); ++i) changed(i);
}

void ViewerApp::reset() {
  animation_ = Animation::None;
  grid_.reset(selected_);
  changed(selected_);
}

void ViewerApp::set_latent(const float* z) {
  animation_ = Animation::None;
  grid_.set_latent(selected_, z);
  changed(selected_);
}

void ViewerApp::set_value(int dim, float value) {
  animation_ = Animation::None;
  grid_.set_value(selected_, dim, value);
  changed(selected_);
}

void ViewerApp::set_label(int label) {
  animation_ = Animation::None;
  grid_.set_label(selected_, label);
  changed(selected_);
}

void ViewerApp::class_row() {
  if (grid_.classes() == 0) return;
  animation_ = Animation::None;
  const std::vector<float> z(grid_.latent(selected_), grid_.latent(selected_) + grid_.z_dim());
  const int first = selected_ / options_.cols * options_.cols;
  for (int i = first; i < std::min(first + options_.cols, grid_.count()); ++i) {
    grid_.set_latent(i, z.data());
    grid_.set_label(i, (i - first) % grid_.classes());
    changed(i);
  }
}

void ViewerApp::set_generator(DigitGenerator generator) {
  animation_ = Animation::None;
  grid_.set_generator(std::move(generator));
  if (panel_) panel_ = std::make_unique<LatentPanel>(layout().width(), 0, layout().height(), grid_.z_dim());
  full_redraw_ = true;
  for (int i = 0; i < grid_.count(); ++i) changed(i);
}

void ViewerApp::animate(Animation kind, std::optional<std::vector<float>> target) {
  animation_ = kind;
  if (kind == Animation::None) return;
  const float* z = grid_.latent(selected_);
  from_.assign(z, z + grid_.z_dim());
  to_ = target && int(target->size()) == grid_.z_dim() ? *target : random_latent();
  segment_ms_ = kind == Animation::Walk ? 1500 : 2000;
  segment_start_ = -1;  // starts at the next frame's clock
}

void ViewerApp::start_segment(std::vector<float> to, double now_ms) {
  from_.swap(to_);
  to_ = std::move(to);
  segment_start_ = now_ms;
}

bool ViewerApp::frame(double now_ms) {
  if (animation_ != Animation::None) {
    if (segment_start_ < 0) segment_start_ = now_ms;
    // After a long pause (a hidden tab) the animation resumes where it was instead of racing through segments.
    if (now_ms - segment_start_ > 4 * segment_ms_) segment_start_ = now_ms;
    double t = (now_ms - segment_start_) / segment_ms_;
    while (t >= 1) {
      // A walk heads for a fresh random point; an interpolation turns back to where it came from.
      start_segment(animation_ == Animation::Walk ? random_latent() : from_, segment_start_ + segment_ms_);
      t -= 1;
    }
    const auto z = slerp(from_.data(), to_.data(), grid_.z_dim(), float(ease(std::clamp(t, 0.0, 1.0))));
    grid_.set_latent(selected_, z.data());
    changed(selected_);
  }
  const auto digits = grid_.take_changed();
  if (digits.empty() && !full_redraw_) return false;
  renderer_view_.update_digits(grid_.digits(), digits);
  if (redraws_in_place(digits))
    present_rects(renderer_view_.draw_digits(digits));
  else
    draw_everything();
  full_redraw_ = false;
  return true;
}

// A slider move or an animation step changes one digit: on a target that keeps its pixels, only its cell is drawn
// and presented (in the page that is most of a move's draw time: docs/benchmarks.md). A new grid draws everything.
bool ViewerApp::redraws_in_place(const std::vector<int>& digits) const {
  constexpr size_t kMostDigitsInPlace = 10;  // a conditional generator's row of classes
  return present_rects && !full_redraw_ && !panel_ && digits.size() <= kMostDigitsInPlace;
}

void ViewerApp::draw_everything() {
  const ViewColours colours;
  SDL_SetRenderDrawColor(renderer_, colours.background.r, colours.background.g, colours.background.b, 255);
  SDL_RenderClear(renderer_);
  renderer_view_.draw(selected_);
  if (panel_) panel_->draw(renderer_, grid_.latent(selected_));
  SDL_RenderPresent(renderer_);
}

void ViewerApp::handle(const SDL_Event& event) {
  switch (event.type) {
    case SDL_MOUSEBUTTONDOWN:
      if (event.button.button != SDL_BUTTON_LEFT) break;
      if (int i = layout().hit(event.button.x, event.button.y); i >= 0) {
        if (picking_target_ || (SDL_GetModState() & KMOD_SHIFT)) {
          picking_target_ = false;
          const float* z = grid_.latent(i);
          if (i != selected_) animate(Animation::Interpolate, std::vector<float>(z, z + grid_.z_dim()));
        } else {
          select(i);
        }
      }
      if (panel_ && panel_->dim_at(event.button.x, event.button.y) >= 0) {
        dragging_panel_ = true;
        set_value(panel_->dim_at(event.button.x, event.button.y), panel_->value_at(event.button.y));
        full_redraw_ = true;
      }
      break;
    case SDL_MOUSEBUTTONUP:
      dragging_panel_ = false;
      break;
    case SDL_MOUSEMOTION:
      if (dragging_panel_ && (event.motion.state & SDL_BUTTON_LMASK)) {
        if (int d = panel_->dim_at(event.motion.x, std::clamp(event.motion.y, 0, height() - 1)); d >= 0) {
          set_value(d, panel_->value_at(event.motion.y));
          full_redraw_ = true;
        }
      }
      break;
    case SDL_KEYDOWN: {
      const int cols = layout().cols;
      switch (event.key.keysym.sym) {
        case SDLK_r: randomize_selected(); break;
        case SDLK_a: randomize_all(); break;
        case SDLK_w: animate(Animation::Walk); break;
        case SDLK_i: animate(Animation::Interpolate); break;
        case SDLK_SPACE: animate(Animation::None), picking_target_ = false; break;
        case SDLK_0: reset(); break;
        case SDLK_s: if (on_save) on_save(); break;
        case SDLK_c: if (grid_.classes()) set_label((grid_.label(selected_) + 1) % grid_.classes()); break;
        case SDLK_k: class_row(); break;
        case SDLK_LEFT: select(selected_ - 1); break;
        case SDLK_RIGHT: select(selected_ + 1); break;
        case SDLK_UP: select(selected_ - cols); break;
        case SDLK_DOWN: select(selected_ + cols); break;
        default: break;
      }
      if (panel_) full_redraw_ = true;  // the panel shows the selected digit's vector
      break;
    }
    case SDL_WINDOWEVENT:
      // A resized window has a new surface: nothing of the last frame is left to draw over.
      if (event.window.event == SDL_WINDOWEVENT_EXPOSED || event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
        full_redraw_ = true;
      break;
    default: break;
  }
}

}  // namespace gan
