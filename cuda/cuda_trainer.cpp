// The GPU training step, enqueued once (and captured into a graph), in the CPU step's order: z (and the fakes'
// labels), G forward, D step (real and fake stacked), Adam on D, G step through the updated D, Adam on G, EMA. The
// batch's gather and the weight gradients run on the side stream, off the step's critical path.
#include "cuda_trainer.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "cuda_context.h"
#include "device_mlp.h"
#include "kernels.h"

namespace gan::cuda {

namespace {

constexpr int kStatsRing = 1024;  // steps whose stats the GPU holds before the host must read them
constexpr int kPixels = 784;

class CudaTrainBackend : public MlpTrainBackend {
 public:
  CudaTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels, CudaTrainOptions options);
  ~CudaTrainBackend() override { cudaStreamSynchronize(ctx_.stream()); }

  std::vector<StepStats> run(int64_t steps) override;
  Gan& gan() override;
  GanModel& model() override {
    gan();  // brings the host copy up to date
    return view_;
  }
  void restore(const GanModel& state) override;
  int64_t steps_per_call() const override { return 200; }
  std::string describe() const override { return "cuda: " + device_ + (options_.tf32 ? ", TF32 products" : ""); }

 private:
  void enqueue_step();
  void load_epoch_order(int64_t epoch);
  void upload_state();  // weights, Adam moments, moving average and step counters from gan_

  Gan& gan_;
  MlpGanModel view_{gan_};
  std::string device_;
  CudaTrainOptions options_;
  GanConfig config_;
  int n_;
  int64_t images_, per_epoch_;
  Context ctx_;
  DeviceMlp g_, d_;
  DeviceArray<float> g_m_, g_v_, d_m_, d_v_, g_ema_;
  // stacked_: [3n, 784], the real batch then G's output for both steps' z (D step: rows [0, 2n); G step: [2n, 3n)).
  DeviceArray<float> data_, z_, stacked_, grad_logits_, grad_image_;
  // The conditional GAN's labels and its inputs with the one-hot labels appended.
  DeviceArray<uint8_t> labels_;
  DeviceArray<int> stacked_labels_;  // the real batch's labels, then the fakes' (laid out as stacked_)
  DeviceArray<float> g_in_, d_in_, grad_d_in_;
  DeviceArray<uint32_t> order_;
  DeviceArray<StepScalars> scalars_;
  DeviceArray<DeviceStepStats> ring_;
  PinnedArray<uint32_t> host_order_;
  PinnedArray<DeviceStepStats> host_ring_;
  struct EventDeleter { void operator()(CUevent_st* e) const { cudaEventDestroy(e); } };
  struct GraphDeleter { void operator()(CUgraphExec_st* g) const { cudaGraphExecDestroy(g); } };
  std::unique_ptr<CUevent_st, EventDeleter> order_copied_;
  std::unique_ptr<CUgraphExec_st, GraphDeleter> graph_;
  int64_t loaded_epoch_ = -1;
  int64_t step_;                              // host mirror of the step count
  bool host_current_ = true;                  // gan_ holds the GPU's state
};

std::vector<float*> adam_tensors(Adam& opt, bool second) {
  std::vector<float*> t;
  for (size_t i = 0; i < opt.num_params(); ++i) t.push_back(second ? opt.exp_avg_sq(i).data() : opt.exp_avg(i).data());
  return t;
}

std::vector<const float*> readonly(const std::vector<float*>& v) { return {v.begin(), v.end()}; }

CudaTrainBackend::CudaTrainBackend(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels,
                                   CudaTrainOptions options)
    : gan_(gan),
      device_(require_device()),
      options_(options),
      config_(gan.config()),
      n_(gan.config().batch),
      images_(images.rows()),
      per_epoch_(images.rows() / std::max(1, gan.config().batch)),
      ctx_(options.tf32),
      g_(gan.G.spec(), 2 * gan.config().batch),
      d_(gan.D.spec(), 2 * gan.config().batch),
      host_order_(static_cast<size_t>(images.rows())),
      host_ring_(kStatsRing),
      step_(gan.step) {
  if (images.cols() != kPixels) throw std::invalid_argument("the CUDA trainer takes [N, 784] images");
  if (per_epoch_ < 1)
    throw std::invalid_argument("the data set has " + std::to_string(images.rows()) + " images, fewer than one batch of " +
                                std::to_string(n_));
  g_m_ = DeviceArray<float>(g_.param_count());
  g_v_ = DeviceArray<float>(g_.param_count());
  d_m_ = DeviceArray<float>(d_.param_count());
  d_v_ = DeviceArray<float>(d_.param_count());
  if (config_.ema > 0) g_ema_ = DeviceArray<float>(g_.param_count());
  data_ = DeviceArray<float>(static_cast<size_t>(images.size()));
  data_.upload(images.data(), data_.size());
  z_ = DeviceArray<float>(static_cast<size_t>(2 * n_) * config_.z_dim);
  stacked_ = DeviceArray<float>(static_cast<size_t>(3 * n_) * kPixels);
  g_.place_output(stacked_.data() + static_cast<size_t>(n_) * kPixels);  // G's fakes land next to the real batch
  grad_logits_ = DeviceArray<float>(static_cast<size_t>(2 * n_));
  grad_image_ = DeviceArray<float>(static_cast<size_t>(n_) * kPixels);
  order_ = DeviceArray<uint32_t>(static_cast<size_t>(images_));
  if (const int classes = config_.classes; classes > 0) {
    if (!labels || static_cast<int64_t>(labels->size()) != images_)
      throw std::invalid_argument("the conditional GAN needs one label per image");
    for (uint8_t label : *labels)
      if (label >= classes) throw std::invalid_argument("a label is not one of the conditional GAN's classes");
    labels_ = DeviceArray<uint8_t>(labels->size());
    labels_.upload(labels->data(), labels->size());
    stacked_labels_ = DeviceArray<int>(static_cast<size_t>(3 * n_));
    g_in_ = DeviceArray<float>(static_cast<size_t>(2 * n_) * (config_.z_dim + classes));
    d_in_ = DeviceArray<float>(static_cast<size_t>(2 * n_) * (kPixels + classes));
    grad_d_in_ = DeviceArray<float>(static_cast<size_t>(n_) * (kPixels + classes));
  }
  ring_ = DeviceArray<DeviceStepStats>(kStatsRing);
  scalars_ = DeviceArray<StepScalars>(1);
  upload_state();
  cudaEvent_t event = nullptr;
  check(cudaEventCreateWithFlags(&event, cudaEventDisableTiming), "cudaEventCreate");
  order_copied_.reset(event);

  load_epoch_order(step_ / per_epoch_);
  if (options_.use_graph) {
    // One step run plainly first, so that cuBLAS and the kernels' modules are loaded before the capture (nothing
    // may load while a stream is captured); then the state it changed is uploaded again.
    enqueue_step();
    ctx_.synchronize();
    upload_state();
    // Capture one step; every replay reads its step number from the GPU, so one graph serves every step.
    cudaGraph_t graph = nullptr;
    check(cudaStreamBeginCapture(ctx_.stream(), cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
    try {
      enqueue_step();
    } catch (...) {
      cudaStreamEndCapture(ctx_.stream(), &graph);  // ends the capture (an invalidated one returns an error)
      if (graph) cudaGraphDestroy(graph);
      cudaGetLastError();  // so that error is not blamed on the next launch
      throw;
    }
    check(cudaStreamEndCapture(ctx_.stream(), &graph), "cudaStreamEndCapture");
    cudaGraphExec_t exec = nullptr;
    const cudaError_t e = cudaGraphInstantiate(&exec, graph, 0);
    cudaGraphDestroy(graph);
    check(e, "cudaGraphInstantiate");
    graph_.reset(exec);
  }
}

void CudaTrainBackend::upload_state() {
  g_.upload(gan_.G);
  d_.upload(gan_.D);
  const auto g_sizes = gan_.G.param_sizes(), d_sizes = gan_.D.param_sizes();
  upload_tensors(g_m_, readonly(adam_tensors(gan_.opt_g, false)), g_sizes);
  upload_tensors(g_v_, readonly(adam_tensors(gan_.opt_g, true)), g_sizes);
  upload_tensors(d_m_, readonly(adam_tensors(gan_.opt_d, false)), d_sizes);
  upload_tensors(d_v_, readonly(adam_tensors(gan_.opt_d, true)), d_sizes);
  if (config_.ema > 0) upload_tensors(g_ema_, param_values(std::as_const(gan_.G_ema)), g_sizes);
  StepScalars s;
  s.step = static_cast<unsigned long long>(gan_.step);
  s.adam_steps_d = gan_.opt_d.steps();
  s.adam_steps_g = gan_.opt_g.steps();
  scalars_.upload(&s, 1);
}

void CudaTrainBackend::enqueue_step() {
  const cudaStream_t st = ctx_.stream();
  const int n = n_, zd = config_.z_dim;
  StepScalars* s = scalars_.data();
  const unsigned long long* key = &s->key;
  const AdamScalars adam{config_.adam.lr, config_.adam.beta1, config_.adam.beta2, config_.adam.eps};
  const uint64_t noise_seed = derive_seed(config_.seed, static_cast<uint64_t>(Stream::Noise));

  const int classes = config_.classes;
  const float hot = config_.d_label_scale;
  begin_step(s, noise_seed, adam, config_.ema, st);
  // The real images (rows [0, n) of stacked_) are gathered on the side stream while z and G's forward run.
  ctx_.fork();
  gather_batch(data_.data(), kPixels, classes > 0 ? labels_.data() : nullptr, order_.data(), per_epoch_, n, s,
               stacked_.data(), stacked_labels_.data(), ctx_.side_stream());
  // Both steps' z in one draw, D step's rows first, then (conditional GAN) the fakes' labels, as Gan::train_step.
  const size_t z_count = static_cast<size_t>(2 * n) * zd;
  normal(z_.data(), z_count, key, 0, st);
  uint64_t block = blocks_for_values(z_count);
  const float* g_input = z_.data();
  int* fake_labels = classes > 0 ? stacked_labels_.data() + n : nullptr;  // no labels array without classes
  if (classes > 0) {
    draw_labels(fake_labels, 2 * n, classes, key, block, st);
    block += static_cast<uint64_t>(2 * n);
    append_one_hot(z_.data(), 2 * n, zd, fake_labels, classes, 1.0f, g_in_.data(), st);
    g_input = g_in_.data();
  }
  const float* fakes = g_.forward(ctx_, g_input, 2 * n);  // into stacked_, after the real batch
  ctx_.join();
  // D's input: the images, with the labels' one-hot (hot entry d_label_scale) for the conditional GAN.
  auto d_input = [&](const float* images, int rows, const int* labels) {
    if (classes == 0) return images;
    append_one_hot(images, rows, kPixels, labels, classes, hot, d_in_.data(), st);
    return static_cast<const float*>(d_in_.data());
  };

  // D step: real and fake stacked, dropout on.
  const float* logits = d_.forward(ctx_, d_input(stacked_.data(), 2 * n, stacked_labels_.data()), 2 * n, key, block);
  block += d_.spec().dropout_blocks(2 * n);
  d_step_loss(logits, n, config_.real_label, grad_logits_.data(), ring_.data(), kStatsRing, s, st);
  d_.backward(ctx_, grad_logits_.data(), 0, 2 * n, nullptr, true);
  cuda::adam(d_.params(), d_.grads(), d_m_.data(), d_v_.data(), d_.param_count(), adam, s, false, nullptr, st);

  // G step: the second half of the fakes through the updated D, still with dropout.
  const float* g_fakes = fakes + static_cast<size_t>(n) * kPixels;
  const int* g_labels = classes > 0 ? fake_labels + n : nullptr;
  const float* logits2 = d_.forward(ctx_, d_input(g_fakes, n, g_labels), n, key, block);
  g_step_loss(logits2, n, grad_logits_.data(), ring_.data(), kStatsRing, s, st);
  if (classes > 0) {
    d_.backward(ctx_, grad_logits_.data(), 0, n, grad_d_in_.data(), false);
    copy_columns(grad_d_in_.data(), n, kPixels + classes, grad_image_.data(), kPixels, st);  // not the label columns
  } else {
    d_.backward(ctx_, grad_logits_.data(), 0, n, grad_image_.data(), false);
  }
  g_.backward(ctx_, grad_image_.data(), n, n, nullptr, true);
  // G's Adam, and with --ema the moving average of the updated weights in the same pass.
  cuda::adam(g_.params(), g_.grads(), g_m_.data(), g_v_.data(), g_.param_count(), adam, s, true,
             config_.ema > 0 ? g_ema_.data() : nullptr, st);
  end_step(s, st);
}

void CudaTrainBackend::load_epoch_order(int64_t epoch) {
  // The previous order's copy must be done before the pinned buffer is refilled.
  check(cudaEventSynchronize(order_copied_.get()), "cudaEventSynchronize");
  epoch_order(config_.seed, epoch, host_order_.data(), host_order_.size());
  check(cudaMemcpyAsync(order_.data(), host_order_.data(), sizeof(uint32_t) * static_cast<size_t>(images_),
                        cudaMemcpyHostToDevice, ctx_.stream()), "upload the epoch's order");
  check(cudaEventRecord(order_copied_.get(), ctx_.stream()), "cudaEventRecord");
  loaded_epoch_ = epoch;
}

std::vector<StepStats> CudaTrainBackend::run(int64_t steps) {
  std::vector<StepStats> out;
  out.reserve(static_cast<size_t>(std::max<int64_t>(steps, 0)));
  while (steps > 0) {
    const int64_t chunk = std::min<int64_t>(steps, kStatsRing);
    const int64_t first = step_;
    host_current_ = false;  // from the first launch on, even if one throws: gan() then reads what the GPU holds
    for (int64_t i = 0; i < chunk; ++i, ++step_) {
      // Steps are stream-ordered, so an order uploaded here is seen by this step and not by the ones before.
      if (step_ / per_epoch_ != loaded_epoch_) load_epoch_order(step_ / per_epoch_);
      if (graph_) check(cudaGraphLaunch(graph_.get(), ctx_.stream()), "cudaGraphLaunch");
      else enqueue_step();
    }
    check(cudaMemcpyAsync(host_ring_.data(), ring_.data(), sizeof(DeviceStepStats) * kStatsRing, cudaMemcpyDeviceToHost,
                          ctx_.stream()), "read back the losses");
    ctx_.synchronize();
    for (int64_t s = first; s < first + chunk; ++s) {
      const DeviceStepStats& d = host_ring_[s % kStatsRing];
      out.push_back(StepStats{d.d_loss, d.g_loss, d.d_real, d.d_fake});
    }
    steps -= chunk;
  }
  return out;
}

void CudaTrainBackend::restore(const GanModel& state) {
  ctx_.synchronize();  // no step may still be writing what is replaced
  view_.assign(state);
  upload_state();
  step_ = gan_.step;  // the epoch's order is reloaded by run() when the step is in another epoch
  host_current_ = true;
}

Gan& CudaTrainBackend::gan() {
  if (!host_current_) {
    ctx_.synchronize();
    g_.download(gan_.G);
    d_.download(gan_.D);
    const auto g_sizes = gan_.G.param_sizes(), d_sizes = gan_.D.param_sizes();
    download_tensors(g_m_, adam_tensors(gan_.opt_g, false), g_sizes);
    download_tensors(g_v_, adam_tensors(gan_.opt_g, true), g_sizes);
    download_tensors(d_m_, adam_tensors(gan_.opt_d, false), d_sizes);
    download_tensors(d_v_, adam_tensors(gan_.opt_d, true), d_sizes);
    if (config_.ema > 0) download_tensors(g_ema_, param_values(gan_.G_ema), g_sizes);
    StepScalars s;
    scalars_.download(&s, 1);
    gan_.step = static_cast<int64_t>(s.step);
    gan_.opt_d.set_steps(s.adam_steps_d);
    gan_.opt_g.set_steps(s.adam_steps_g);
    host_current_ = true;
  }
  return gan_;
}

}  // namespace

std::unique_ptr<MlpTrainBackend> make_cuda_trainer(Gan& gan, const Matrix& images, const std::vector<uint8_t>* labels,
                                                CudaTrainOptions options) {
  return std::make_unique<CudaTrainBackend>(gan, images, labels, options);
}

Matrix generate_on_gpu(const Mlp& generator, const Matrix& input) {
  require_device();
  if (input.cols() != generator.spec().widths.front())
    throw std::invalid_argument("generate_on_gpu: the input has " + std::to_string(input.cols()) + " columns, the "
                                "generator takes " + std::to_string(generator.spec().widths.front()));
  constexpr int kChunk = 4096;
  const int rows = static_cast<int>(input.rows());
  Context ctx;
  DeviceMlp g(generator.spec(), std::max(1, std::min(rows, kChunk)));
  g.upload(generator);
  const int in = static_cast<int>(input.cols()), out = generator.spec().widths.back();
  DeviceArray<float> x(static_cast<size_t>(std::max(1, std::min(rows, kChunk))) * in);
  Matrix images(rows, out);
  for (int r = 0; r < rows; r += kChunk) {
    const int count = std::min(kChunk, rows - r);
    x.upload(input.data() + static_cast<size_t>(r) * in, static_cast<size_t>(count) * in);
    const float* y = g.forward(ctx, x.data(), count);
    ctx.synchronize();
    check(cudaMemcpy(images.data() + static_cast<size_t>(r) * out, y, sizeof(float) * count * out,
                     cudaMemcpyDeviceToHost), "download images");
  }
  return images;
}

}  // namespace gan::cuda
