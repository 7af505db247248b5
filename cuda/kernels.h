// The CUDA backend's kernels, as host functions that enqueue them on a stream: everything of a training step that
// is not a matrix product (those are cuBLAS, gemm.h). What each thread computes is in kernel_bodies.h.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "kernel_bodies.h"

namespace gan::cuda {

// s.key, s.adam_steps_* += 1 and the Adam and EMA scalars of those counts, from s.step.
void begin_step(StepScalars* s, uint64_t noise_seed, AdamScalars adam, double ema, cudaStream_t stream);
// s.step += 1.
void end_step(StepScalars* s, cudaStream_t stream);

// out[i, :] = data[order[b * batch + i], :] for the batch b = s.step % per_epoch, and with labels, also
// label_out[i] = labels[order[b * batch + i]].
void gather_batch(const float* data, int cols, const uint8_t* labels, const uint32_t* order, int64_t per_epoch,
                  int batch, const StepScalars* s, float* out, int* label_out, cudaStream_t stream);

// count labels uniform in [0, classes), one Philox block each from block first_block (as Rng::below draws them).
void draw_labels(int* out, int count, int classes, const unsigned long long* key, uint64_t first_block,
                 cudaStream_t stream);
// out[r] = x[r] followed by a one-hot of labels[r] whose hot entry is `hot`: [rows, cols] -> [rows, cols + classes].
void append_one_hot(const float* x, int rows, int cols, const int* labels, int classes, float hot, float* out,
                    cudaStream_t stream);
// The first dst_cols columns of [rows, src_cols] src into [rows, dst_cols] dst.
void copy_columns(const float* src, int rows, int src_cols, float* dst, int dst_cols, cudaStream_t stream);

// n standard normals of the stream *key, from block `first_block` on: Rng(*key, first_block).normal(out, n).
void normal(float* out, size_t n, const unsigned long long* key, uint64_t first_block, cudaStream_t stream);

// In place over [rows, cols]: y = act(y + bias). With mask: then inverted dropout with probability p, the keep
// decisions from the stream *key at block first_block (as Rng::uniform draws them), the factors kept in mask.
void bias_act(float* y, int rows, int cols, const float* bias, Act act, float slope, float p, float* mask,
              const unsigned long long* key, uint64_t first_block, cudaStream_t stream);
// grad_out = grad_in * act'(from the output y) (* mask when given), over [rows, cols]; grad_out may be grad_in. With
// sums, also each column's sum of grad_out (the bias gradient, as column_sums gives it) in the same pass.
void act_backward(const float* grad_in, float* grad_out, const float* y, const float* mask, int rows, int cols, Act act,
                  float slope, float* sums, cudaStream_t stream);
// out[c] = sum over rows of g[r, c].
void column_sums(const float* g, int rows, int cols, float* out, cudaStream_t stream);

// The D step's loss from the stacked [2n, 1] logits (real rows first): grad = (sigmoid - target) / n, and the
// step's d_loss, d_real, d_fake into ring[s.step % ring_size].
void d_step_loss(const float* logits, int n, float real_label, float* grad, DeviceStepStats* ring, int ring_size,
                 const StepScalars* s, cudaStream_t stream);
// The G step's loss BCE(D(G(z)), 1) from [n, 1] logits: grad, and g_loss into the step's ring slot.
void g_step_loss(const float* logits, int n, float* grad, DeviceStepStats* ring, int ring_size, const StepScalars* s,
                 cudaStream_t stream);

// PyTorch's Adam over n parameters (see src/adam.h), with the D or G scalars of s. With `average` (G's moving
// average, --ema), in the same pass: average = decay * average + (1 - decay) * param, decay = s.ema_decay, of each
// updated parameter.
void adam(float* param, const float* grad, float* m, float* v, size_t n, AdamScalars config, const StepScalars* s,
          bool generator, float* average, cudaStream_t stream);

}  // namespace gan::cuda
