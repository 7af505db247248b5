// Picks the CPU core or the CUDA backend for --device.
#include "devices.h"

#include "file_io.h"

#ifdef GAN_HAVE_CUDA
#include "cuda_trainer.h"
#endif

namespace gan {

namespace {

void check_device(const std::string& device) {
  if (device == "cpu") return;
  if (device != "cuda") throw UserError("--device " + device + " is not a device; pass cpu or cuda");
#ifndef GAN_HAVE_CUDA
  throw UserError("--device cuda: this gan was built without the CUDA backend (nvcc was not found when it was built); "
                  "rebuild where the CUDA toolkit is installed (cmake -DGAN_CUDA=ON), or use --device cpu");
#endif
}

// The CUDA backend reports a missing GPU or driver as a runtime error with its advice: pass it on as the user's.
template <class Fn>
auto on_cuda(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const UserError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw UserError(e.what());
  }
}

}  // namespace

const std::vector<std::string>& device_choices() {
  static const std::vector<std::string> choices{"cpu", "cuda"};
  return choices;
}

void check_train_device(const std::string& device, GanModel& model, bool tf32) {
  check_device(device);
  if (device == "cuda" && !model.mlp_gan())
    throw UserError("--device cuda trains the MLP architectures (seed, conditional) only; --arch " +
                    model.architecture() + " trains on the CPU: drop --device cuda");
  if (tf32 && device != "cuda")
    throw UserError(
        "--tf32 needs --device cuda: TF32 is a GPU tensor-core format, and the CPU's products are always "
        "FP32; add --device cuda, or drop --tf32");
}

std::unique_ptr<TrainBackend> make_train_backend(const std::string& device, GanModel& model, const Matrix& images,
                                                 const std::vector<uint8_t>* labels, int threads, bool tf32) {
  check_train_device(device, model, tf32);
#ifdef GAN_HAVE_CUDA
  if (device == "cuda") {
    cuda::CudaTrainOptions options;
    options.tf32 = tf32;
    Gan* mlp = model.mlp_gan();
    return on_cuda([&] { return std::unique_ptr<TrainBackend>(cuda::make_cuda_trainer(*mlp, images, labels, options)); });
  }
#endif
  return std::make_unique<CpuTrainBackend>(model, images, labels, threads);
}

Matrix generate_on(const std::string& device, Mlp& generator, const Matrix& input) {
  check_device(device);
#ifdef GAN_HAVE_CUDA
  if (device == "cuda") return on_cuda([&] { return cuda::generate_on_gpu(generator, input); });
#endif
  return generator.forward(input, false);
}

}  // namespace gan
