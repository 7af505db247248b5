// The "Find it" worker's whole interface to the core: a generator as float networks, a drawing made into an MNIST
// digit, and the inversion that finds the drawing's latent vector. Functions return 0 on success or 1 with
// explore_text() saying why; pointers returned stay valid until the next call that changes them.
#include <emscripten.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "any_generator.h"
#include "digit_image.h"
#include "guarded_call.h"
#include "latent_inversion.h"

namespace {

std::unique_ptr<gan::AnyGenerator> generator;
gan::RowVector target;     // the drawing as an MNIST digit: 784 pixels in [-1, 1]
gan::Inversion found;      // the last inversion's best start
gan::RowVector redrawn;    // the generator's digit for `found`
std::string text;          // the last error or info string

// Runs fn, turning any exception into `text` and a return value of 1.
template <class Fn>
int guarded(Fn&& fn) {
  return gan_web::guarded_call(text, "out of memory in the Find-it worker", std::forward<Fn>(fn));
}

}  // namespace

extern "C" {

// The generator to search: a generator file's bytes (any architecture). Describes it in explore_text().
EMSCRIPTEN_KEEPALIVE int explore_load(const uint8_t* data, size_t size) {
  return guarded([&] {
    generator = std::make_unique<gan::AnyGenerator>(data, size);  // the old one stays if this throws
    text = nlohmann::json{{"z_dim", generator->info().z_dim}, {"classes", generator->info().classes},
                          {"architecture", generator->architecture()}}.dump();
  });
}

// A picture of a digit (width * height grey values, 0 black .. 255 white, either polarity) as the target: fitted
// into 20x20 and centred as MNIST's digits were. explore_target() then holds its 784 pixels.
EMSCRIPTEN_KEEPALIVE int explore_set_picture(const uint8_t* gray, int width, int height) {
  return guarded([&] { target = gan::mnist_digit_from_gray(gray, width, height); });
}
EMSCRIPTEN_KEEPALIVE const float* explore_target() { return target.data(); }

// Finds the target's latent vector: `restarts` starts (per class) of `steps` Adam steps at `lr`, from `seed`.
// Calls Module.onProgress(done, steps) every `report_every` steps. The result: explore_z(), explore_label(),
// explore_error(), and the generator's digit for it in explore_redrawn().
EMSCRIPTEN_KEEPALIVE int explore_invert(int restarts, int steps, double lr, double seed, int report_every) {
  return guarded([&] {
    if (!generator) throw std::logic_error("no generator is loaded in the Find-it worker");
    if (target.size() != 784) throw std::logic_error("draw a digit first: there is nothing to find");
    gan::InversionOptions opt;
    opt.restarts = restarts, opt.steps = steps, opt.lr = lr, opt.seed = static_cast<uint64_t>(seed);
    const auto progress = [&](int done, int total) {
      if (report_every > 0 && (done % report_every == 0 || done == total))
        EM_ASM({ if (Module.onProgress) Module.onProgress($0, $1); }, done, total);
      return true;
    };
    const gan::GeneratorInfo& info = generator->info();
    found = gan::invert_digits(generator->network(), info.z_dim, info.classes, gan::Matrix(target), opt, progress)[0];
    const std::vector<int> label{found.label};
    redrawn = generator->generate(gan::Matrix(found.z), info.classes ? &label : nullptr);
  });
}
EMSCRIPTEN_KEEPALIVE const float* explore_z() { return found.z.data(); }
EMSCRIPTEN_KEEPALIVE int explore_label() { return found.label; }
EMSCRIPTEN_KEEPALIVE double explore_error() { return found.error; }
EMSCRIPTEN_KEEPALIVE const float* explore_redrawn() { return redrawn.data(); }
EMSCRIPTEN_KEEPALIVE const char* explore_text() { return text.c_str(); }

}  // extern "C"
