// The CUDA backend's element-wise kernels: grid-stride loops over the bodies in kernel_bodies.h. Built with
// --fmad=false: with no fused multiply-adds the normals round exactly as the CPU core's (det_math.cpp is built
// without them too), and Adam, EMA and the backward passes round as the plain formulas do.
#include "kernels.h"

#include "cuda_context.h"

namespace gan::cuda {

namespace {

constexpr int kThreads = 256;

// Enough thread blocks for one thread per item, capped (the loops stride over the rest).
unsigned grid_for(size_t items) {
  const size_t b = (items + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : b > 65535 ? 65535 : b);
}

__device__ size_t thread_index() { return static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ size_t thread_stride() { return static_cast<size_t>(gridDim.x) * blockDim.x; }

__global__ void begin_step_kernel(StepScalars* s, uint64_t noise_seed, AdamScalars adam, double ema) {
  begin_step_body(*s, noise_seed, adam, ema);
}

__global__ void end_step_kernel(StepScalars* s) { s->step += 1; }

__global__ void gather_kernel(const float* data, int cols, const uint8_t* labels, const uint32_t* order,
                              int64_t per_epoch, int batch, const StepScalars* s, float* out, int* label_out) {
  const unsigned long long step = s->step;
  const size_t total = static_cast<size_t>(batch) * cols;
  for (size_t e = thread_index(); e < total; e += thread_stride())
    gather_element(e, data, cols, labels, order, per_epoch, batch, step, out, label_out);
}

__global__ void draw_labels_kernel(int* out, int count, int classes, const unsigned long long* key, uint64_t first_block) {
  const uint64_t seed = *key;
  for (size_t i = thread_index(); i < static_cast<size_t>(count); i += thread_stride())
    out[i] = label_draw(i, classes, seed, first_block);
}

__global__ void append_one_hot_kernel(const float* x, int rows, int cols, const int* labels, int classes, float hot,
                                      float* out) {
  const size_t total = static_cast<size_t>(rows) * (cols + classes);
  for (size_t e = thread_index(); e < total; e += thread_stride())
    one_hot_element(e, x, cols, labels, classes, hot, out);
}

__global__ void copy_columns_kernel(const float* src, int rows, int src_cols, float* dst, int dst_cols) {
  const size_t total = static_cast<size_t>(rows) * dst_cols;
  for (size_t e = thread_index(); e < total; e += thread_stride()) copy_column_element(e, src, src_cols, dst, dst_cols);
}

__global__ void normal_kernel(float* out, size_t n, const unsigned long long* key, uint64_t first_block) {
  const uint64_t seed = *key;
  for (size_t q = thread_index(); 4 * q < n; q += thread_stride()) normal_quad(q, out, n, seed, first_block);
}

__global__ void bias_act_kernel(float* y, size_t total, int cols, const float* bias, Act act, float slope, float p,
                                float* mask, const unsigned long long* key, uint64_t first_block) {
  const uint64_t seed = mask ? *key : 0;
  for (size_t q = thread_index(); 4 * q < total; q += thread_stride())
    bias_act_quad(q, y, total, cols, bias, act, slope, p, mask, seed, first_block);
}

__global__ void act_backward_kernel(const float* grad_in, float* grad_out, const float* y, const float* mask,
                                    size_t total, Act act, float slope) {
  for (size_t e = thread_index(); e < total; e += thread_stride())
    act_backward_element(e, grad_in, grad_out, y, mask, act, slope);
}

// A thread a column: the backward and the bias gradient in one pass (neighbouring threads read neighbouring columns).
__global__ void act_backward_sums_kernel(const float* grad_in, float* grad_out, const float* y, const float* mask,
                                         int rows, int cols, Act act, float slope, float* sums) {
  for (size_t c = thread_index(); c < static_cast<size_t>(cols); c += thread_stride())
    sums[c] = act_backward_column(c, grad_in, grad_out, y, mask, rows, cols, act, slope);
}

__global__ void column_sums_kernel(const float* g, int rows, int cols, float* out) {
  for (size_t c = thread_index(); c < static_cast<size_t>(cols); c += thread_stride())
    out[c] = column_sum(c, g, rows, cols);
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
    const BceTerm term = bce_term(logits[i], first ? target_a : 0.0f, n);
    grad[i] = term.grad;
    (first ? loss_a : loss_b) += term.loss;
    (first ? sig_a : sig_b) += term.sigmoid;
  }
  loss_a = block_sum(loss_a, scratch);
  loss_b = block_sum(loss_b, scratch);
  sig_a = block_sum(sig_a, scratch);
  sig_b = block_sum(sig_b, scratch);
  if (threadIdx.x == 0)
    store_loss_stats(ring[s->step % static_cast<unsigned long long>(ring_size)], stacked, n, loss_a, loss_b, sig_a,
                     sig_b);
}

__global__ void adam_kernel(float* param, const float* grad, float* m, float* v, size_t n, AdamFloats f,
                            const StepScalars* s, bool generator, float* average) {
  const AdamStep step = adam_step(*s, generator);
  const float decay = s->ema_decay;
  for (size_t i = thread_index(); i < n; i += thread_stride()) {
    adam_element(i, param, grad, m, v, f, step);
    if (average) ema_element(i, average, param, decay);
  }
}

}  // namespace

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
  gather_kernel<<<grid_for(static_cast<size_t>(batch) * cols), kThreads, 0, stream>>>(
      data, cols, labels, order, per_epoch, batch, s, out, label_out);
  check_launch("gather_batch");
}

void draw_labels(int* out, int count, int classes, const unsigned long long* key, uint64_t first_block,
                 cudaStream_t stream) {
  draw_labels_kernel<<<grid_for(static_cast<size_t>(count)), kThreads, 0, stream>>>(out, count, classes, key,
                                                                                    first_block);
  check_launch("draw_labels");
}

void append_one_hot(const float* x, int rows, int cols, const int* labels, int classes, float hot, float* out,
                    cudaStream_t stream) {
  append_one_hot_kernel<<<grid_for(static_cast<size_t>(rows) * (cols + classes)), kThreads, 0, stream>>>(
      x, rows, cols, labels, classes, hot, out);
  check_launch("append_one_hot");
}

void copy_columns(const float* src, int rows, int src_cols, float* dst, int dst_cols, cudaStream_t stream) {
  copy_columns_kernel<<<grid_for(static_cast<size_t>(rows) * dst_cols), kThreads, 0, stream>>>(src, rows, src_cols, dst,
                                                                                               dst_cols);
  check_launch("copy_columns");
}

void normal(float* out, size_t n, const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  normal_kernel<<<grid_for(blocks_for_values(n)), kThreads, 0, stream>>>(out, n, key, first_block);
  check_launch("normal");
}

void bias_act(float* y, int rows, int cols, const float* bias, Act act, float slope, float p, float* mask,
              const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  const size_t total = static_cast<size_t>(rows) * cols;
  bias_act_kernel<<<grid_for(blocks_for_values(total)), kThreads, 0, stream>>>(y, total, cols, bias, act, slope, p,
                                                                               mask, key, first_block);
  check_launch("bias_act");
}

void act_backward(const float* grad_in, float* grad_out, const float* y, const float* mask, int rows, int cols, Act act,
                  float slope, float* sums, cudaStream_t stream) {
  if (sums) {
    act_backward_sums_kernel<<<grid_for(static_cast<size_t>(cols)), kThreads, 0, stream>>>(
        grad_in, grad_out, y, mask, rows, cols, act, slope, sums);
  } else {
    const size_t total = static_cast<size_t>(rows) * cols;
    act_backward_kernel<<<grid_for(total), kThreads, 0, stream>>>(grad_in, grad_out, y, mask, total, act, slope);
  }
  check_launch("act_backward");
}

void column_sums(const float* g, int rows, int cols, float* out, cudaStream_t stream) {
  column_sums_kernel<<<grid_for(static_cast<size_t>(cols)), kThreads, 0, stream>>>(g, rows, cols, out);
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
          bool generator, float* average, cudaStream_t stream) {
  adam_kernel<<<grid_for(n), kThreads, 0, stream>>>(param, grad, m, v, n, adam_floats(c), s, generator, average);
  check_launch("adam");
}

}  // namespace gan::cuda
