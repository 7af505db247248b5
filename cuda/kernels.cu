// The CUDA backend's element-wise kernels. Built with --fmad=false: with no fused multiply-adds the normals round
// exactly as the CPU core's (det_math.cpp is built without them too), and Adam, EMA and the backward passes round
// as the plain formulas do.
#include "kernels.h"

#include <stdexcept>
#include <string>

#include "det_math_impl.h"
#include "philox.h"

namespace gan::cuda {

namespace {

constexpr int kThreads = 256;

// Enough blocks for one thread per item, capped (the loops stride over the rest).
unsigned blocks_for(size_t items) {
  const size_t b = (items + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : b > 65535 ? 65535 : b);
}

__device__ size_t thread_index() { return static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ size_t thread_stride() { return static_cast<size_t>(gridDim.x) * blockDim.x; }

__device__ double pow_steps(double base, long long t) { return pow(base, static_cast<double>(t)); }

__global__ void begin_step_kernel(StepScalars* s, uint64_t noise_seed, AdamScalars adam, double ema) {
  s->key = derive_seed_bits(noise_seed, s->step);
  s->adam_steps_d += 1;
  s->adam_steps_g += 1;
  // As Adam::step forms them: corrections in double, then rounded to float.
  const double c1d = 1.0 - pow_steps(adam.beta1, s->adam_steps_d), c2d = 1.0 - pow_steps(adam.beta2, s->adam_steps_d);
  const double c1g = 1.0 - pow_steps(adam.beta1, s->adam_steps_g), c2g = 1.0 - pow_steps(adam.beta2, s->adam_steps_g);
  s->step_size_d = static_cast<float>(adam.lr / c1d);
  s->bias_correction2_sqrt_d = static_cast<float>(sqrt(c2d));
  s->step_size_g = static_cast<float>(adam.lr / c1g);
  s->bias_correction2_sqrt_g = static_cast<float>(sqrt(c2g));
  const double t = static_cast<double>(s->step);
  const double warm = (1.0 + t) / (10.0 + t);
  s->ema_decay = static_cast<float>(ema < warm ? ema : warm);
}

__global__ void end_step_kernel(StepScalars* s) { s->step += 1; }

__global__ void gather_kernel(const float* data, int cols, const uint8_t* labels, const uint32_t* order,
                              int64_t per_epoch, int batch, const StepScalars* s, float* out, int* label_out) {
  const int64_t b = static_cast<int64_t>(s->step % static_cast<unsigned long long>(per_epoch));
  const size_t total = static_cast<size_t>(batch) * cols;
  for (size_t e = thread_index(); e < total; e += thread_stride()) {
    const size_t row = e / cols, col = e % cols;
    const uint32_t image = order[b * batch + static_cast<int64_t>(row)];
    out[e] = data[static_cast<size_t>(image) * cols + col];
    if (labels && col == 0) label_out[row] = labels[image];
  }
}

__global__ void draw_labels_kernel(int* out, int count, int classes, const unsigned long long* key, uint64_t first_block) {
  const uint64_t seed = *key;
  for (size_t i = thread_index(); i < static_cast<size_t>(count); i += thread_stride())
    out[i] = static_cast<int>(u32_below(philox_block(seed, first_block + i).w[0], static_cast<uint32_t>(classes)));
}

__global__ void append_one_hot_kernel(const float* x, int rows, int cols, const int* labels, int classes, float hot,
                                      float* out) {
  const int width = cols + classes;
  const size_t total = static_cast<size_t>(rows) * width;
  for (size_t e = thread_index(); e < total; e += thread_stride()) {
    const size_t row = e / width;
    const int col = static_cast<int>(e % width);
    out[e] = col < cols ? x[row * cols + col] : (col - cols == labels[row] ? hot : 0.0f);
  }
}

__global__ void copy_columns_kernel(const float* src, int rows, int src_cols, float* dst, int dst_cols) {
  const size_t total = static_cast<size_t>(rows) * dst_cols;
  for (size_t e = thread_index(); e < total; e += thread_stride()) dst[e] = src[(e / dst_cols) * src_cols + e % dst_cols];
}

// Thread q makes values 4q..4q+3 from block first_block + q, as Rng::normal does.
__global__ void normal_kernel(float* out, size_t n, const unsigned long long* key, uint64_t first_block) {
  const uint64_t seed = *key;
  for (size_t q = thread_index(); 4 * q < n; q += thread_stride()) {
    float z[4];
    det_impl::normals_from_block(philox_block(seed, first_block + q), z);
    for (size_t j = 0; j < 4 && 4 * q + j < n; ++j) out[4 * q + j] = z[j];
  }
}

__device__ float activate(float v, Act act, float slope) {
  if (act == Act::Leaky) return v > 0.0f ? v : slope * v;
  if (act == Act::Tanh) return tanhf(v);
  return v;
}

// Thread q handles elements 4q..4q+3, whose keep decisions are the four words of one Philox block.
__global__ void bias_act_kernel(float* y, int rows, int cols, const float* bias, Act act, float slope, float p,
                                float keep_scale, float* mask, const unsigned long long* key, uint64_t first_block) {
  const size_t total = static_cast<size_t>(rows) * cols;
  for (size_t q = thread_index(); 4 * q < total; q += thread_stride()) {
    PhiloxBlock bits{};
    if (mask) bits = philox_block(*key, first_block + q);
    for (int j = 0; j < 4; ++j) {
      const size_t e = 4 * q + j;
      if (e >= total) break;
      float v = activate(y[e] + bias[e % cols], act, slope);
      if (mask) {
        const float m = u32_to_unit_float(bits.w[j]) >= p ? keep_scale : 0.0f;
        mask[e] = m;
        v *= m;
      }
      y[e] = v;
    }
  }
}

__global__ void act_backward_kernel(float* grad, const float* y, const float* mask, size_t total, Act act, float slope) {
  for (size_t e = thread_index(); e < total; e += thread_stride()) {
    float g = grad[e];
    if (act == Act::Leaky) {
      // As leaky_relu_dropout_backward: (y > 0 ? g * m : slope * g * m).
      if (mask) g = y[e] > 0.0f ? g * mask[e] : slope * g * mask[e];
      else g = y[e] > 0.0f ? g : slope * g;
    } else if (act == Act::Tanh) {
      g *= 1.0f - y[e] * y[e];
    }
    grad[e] = g;
  }
}

__global__ void column_sums_kernel(const float* g, int rows, int cols, float* out) {
  for (size_t c = thread_index(); c < static_cast<size_t>(cols); c += thread_stride()) {
    float sum = 0.0f;
    for (int r = 0; r < rows; ++r) sum += g[static_cast<size_t>(r) * cols + c];
    out[c] = sum;
  }
}

__device__ float sigmoidf(float x) {
  if (x >= 0) return 1.0f / (1.0f + expf(-x));
  const float e = expf(x);
  return e / (1.0f + e);
}

// Sums over a block of kThreads threads; every thread gets the total.
__device__ double block_sum(double v, double* scratch) {
  scratch[threadIdx.x] = v;
  __syncthreads();
  for (int half = kThreads / 2; half > 0; half /= 2) {
    if (static_cast<int>(threadIdx.x) < half) scratch[threadIdx.x] += scratch[threadIdx.x + half];
    __syncthreads();
  }
  const double total = scratch[0];
  __syncthreads();
  return total;
}

// One block. Rows [0, n) have target `target_a`; when `stacked`, rows [n, 2n) have target 0.
__global__ void bce_kernel(const float* logits, int n, float target_a, bool stacked, float* grad,
                           DeviceStepStats* ring, int ring_size, const StepScalars* s) {
  __shared__ double scratch[kThreads];
  double loss_a = 0, loss_b = 0, sig_a = 0, sig_b = 0;
  const int rows = stacked ? 2 * n : n;
  for (int i = threadIdx.x; i < rows; i += kThreads) {
    const bool first = i < n;
    const float t = first ? target_a : 0.0f;
    const double x = logits[i];
    const double loss = fmax(x, 0.0) - x * t + log1p(exp(-fabs(x)));
    const float sig = sigmoidf(static_cast<float>(x));
    grad[i] = (sig - t) * 1.0f / static_cast<float>(n);
    (first ? loss_a : loss_b) += loss;
    (first ? sig_a : sig_b) += sig;
  }
  loss_a = block_sum(loss_a, scratch);
  loss_b = block_sum(loss_b, scratch);
  sig_a = block_sum(sig_a, scratch);
  sig_b = block_sum(sig_b, scratch);
  if (threadIdx.x == 0) {
    DeviceStepStats& out = ring[s->step % static_cast<unsigned long long>(ring_size)];
    if (stacked) {
      out.d_loss = loss_a / n + loss_b / n;
      out.d_real = sig_a / n;
      out.d_fake = sig_b / n;
    } else {
      out.g_loss = loss_a / n;
    }
  }
}

__global__ void adam_kernel(float* param, const float* grad, float* m, float* v, size_t n, float b1, float omb1,
                            float b2, float omb2, float eps, const StepScalars* s, bool generator) {
  const float step_size = generator ? s->step_size_g : s->step_size_d;
  const float c2 = generator ? s->bias_correction2_sqrt_g : s->bias_correction2_sqrt_d;
  for (size_t i = thread_index(); i < n; i += thread_stride()) {
    const float g = grad[i];
    const float mi = b1 * m[i] + omb1 * g;
    const float vi = b2 * v[i] + omb2 * (g * g);
    m[i] = mi;
    v[i] = vi;
    param[i] -= step_size * (mi / (sqrtf(vi) / c2 + eps));
  }
}

__global__ void ema_kernel(float* average, const float* value, size_t n, const StepScalars* s) {
  const float decay = s->ema_decay;
  for (size_t i = thread_index(); i < n; i += thread_stride()) average[i] = decay * average[i] + (1.0f - decay) * value[i];
}

}  // namespace

void check_launch(const char* what) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA kernel ") + what + " failed: " + cudaGetErrorString(e));
}

void begin_step(StepScalars* s, uint64_t noise_seed, AdamScalars adam, double ema, cudaStream_t stream) {
  begin_step_kernel<<<1, 1, 0, stream>>>(s, noise_seed, adam, ema);
  check_launch("begin_step");
}

void end_step(StepScalars* s, cudaStream_t stream) {
  end_step_kernel<<<1, 1, 0, stream>>>(s);
  check_launch("end_step");
}

void gather_batch(const float* data, int cols, const uint8_t* labels, const uint32_t* order, int64_t per_epoch,
                  int batch, const StepScalars* s, float* out, int* label_out, cudaStream_t stream) {
  gather_kernel<<<blocks_for(static_cast<size_t>(batch) * cols), kThreads, 0, stream>>>(data, cols, labels, order,
                                                                                        per_epoch, batch, s, out, label_out);
  check_launch("gather_batch");
}

void draw_labels(int* out, int count, int classes, const unsigned long long* key, uint64_t first_block,
                 cudaStream_t stream) {
  draw_labels_kernel<<<blocks_for(static_cast<size_t>(count)), kThreads, 0, stream>>>(out, count, classes, key, first_block);
  check_launch("draw_labels");
}

void append_one_hot(const float* x, int rows, int cols, const int* labels, int classes, float hot, float* out,
                    cudaStream_t stream) {
  append_one_hot_kernel<<<blocks_for(static_cast<size_t>(rows) * (cols + classes)), kThreads, 0, stream>>>(
      x, rows, cols, labels, classes, hot, out);
  check_launch("append_one_hot");
}

void copy_columns(const float* src, int rows, int src_cols, float* dst, int dst_cols, cudaStream_t stream) {
  copy_columns_kernel<<<blocks_for(static_cast<size_t>(rows) * dst_cols), kThreads, 0, stream>>>(src, rows, src_cols,
                                                                                                 dst, dst_cols);
  check_launch("copy_columns");
}

void normal(float* out, size_t n, const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  normal_kernel<<<blocks_for((n + 3) / 4), kThreads, 0, stream>>>(out, n, key, first_block);
  check_launch("normal");
}

void bias_act(float* y, int rows, int cols, const float* bias, Act act, float slope, float p, float* mask,
              const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  const size_t total = static_cast<size_t>(rows) * cols;
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;  // as dropout_forward
  bias_act_kernel<<<blocks_for((total + 3) / 4), kThreads, 0, stream>>>(y, rows, cols, bias, act, slope, p, keep_scale,
                                                                        mask, key, first_block);
  check_launch("bias_act");
}

void act_backward(float* grad, const float* y, const float* mask, int rows, int cols, Act act, float slope,
                  cudaStream_t stream) {
  const size_t total = static_cast<size_t>(rows) * cols;
  act_backward_kernel<<<blocks_for(total), kThreads, 0, stream>>>(grad, y, mask, total, act, slope);
  check_launch("act_backward");
}

void column_sums(const float* g, int rows, int cols, float* out, cudaStream_t stream) {
  column_sums_kernel<<<blocks_for(static_cast<size_t>(cols)), kThreads, 0, stream>>>(g, rows, cols, out);
  check_launch("column_sums");
}

void d_step_loss(const float* logits, int n, float real_label, float* grad, DeviceStepStats* ring, int ring_size,
                 const StepScalars* s, cudaStream_t stream) {
  bce_kernel<<<1, kThreads, 0, stream>>>(logits, n, real_label, true, grad, ring, ring_size, s);
  check_launch("d_step_loss");
}

void g_step_loss(const float* logits, int n, float* grad, DeviceStepStats* ring, int ring_size, const StepScalars* s,
                 cudaStream_t stream) {
  bce_kernel<<<1, kThreads, 0, stream>>>(logits, n, 1.0f, false, grad, ring, ring_size, s);
  check_launch("g_step_loss");
}

void adam(float* param, const float* grad, float* m, float* v, size_t n, AdamScalars c, const StepScalars* s,
          bool generator, cudaStream_t stream) {
  // The float scalars exactly as Adam::step rounds them.
  adam_kernel<<<blocks_for(n), kThreads, 0, stream>>>(param, grad, m, v, n, static_cast<float>(c.beta1),
                                                      static_cast<float>(1.0 - c.beta1), static_cast<float>(c.beta2),
                                                      static_cast<float>(1.0 - c.beta2), static_cast<float>(c.eps), s,
                                                      generator);
  check_launch("adam");
}

void ema(float* average, const float* value, size_t n, const StepScalars* s, cudaStream_t stream) {
  ema_kernel<<<blocks_for(n), kThreads, 0, stream>>>(average, value, n, s);
  check_launch("ema");
}

}  // namespace gan::cuda
