// The CUDA backend's kernels (kernels.h) for the emulated GPU: each launch checks the device arrays it will touch,
// then runs its kernel's per-thread body (kernel_bodies.h) over every index on the stream, as the grid-stride loops
// of kernels.cu do. Built with -ffp-contract=off, as kernels.cu is built with --fmad=false.
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cuda_context.h"
#include "emulator.h"
#include "kernels.h"

namespace gan::cuda {

namespace {

using emulator::require_values;

// A kernel launch as kernels.cu makes it: queued on the stream (unless the emulator fails it), then checked.
void launch(const char* what, cudaStream_t stream, std::function<void()> work) {
  emulator::launch(stream, std::move(work));
  check_launch(what);
}

template <class Body>
void for_each_index(size_t n, const Body& body) {
  for (size_t i = 0; i < n; ++i) body(i);
}

size_t count(int rows, int cols) { return static_cast<size_t>(rows) * static_cast<size_t>(cols); }

}  // namespace

void begin_step(StepScalars* s, uint64_t noise_seed, AdamScalars adam, double ema, cudaStream_t stream) {
  require_values(s, 1, "begin_step: scalars");
  launch("begin_step", stream, [=] { begin_step_body(*s, noise_seed, adam, ema); });
}

void end_step(StepScalars* s, cudaStream_t stream) {
  require_values(s, 1, "end_step: scalars");
  launch("end_step", stream, [=] { s->step += 1; });
}

void gather_batch(const float* data, int cols, const uint8_t* labels, const uint32_t* order, int64_t per_epoch,
                  int batch, const StepScalars* s, float* out, int* label_out, cudaStream_t stream) {
  require_values(s, 1, "gather_batch: scalars");
  require_values(order, static_cast<size_t>(per_epoch) * batch, "gather_batch: order");
  require_values(out, count(batch, cols), "gather_batch: out");
  if (labels) require_values(label_out, static_cast<size_t>(batch), "gather_batch: label_out");
  launch("gather_batch", stream, [=] {
    // The images this batch reads, checked as the order names them.
    const int64_t b = static_cast<int64_t>(s->step % static_cast<unsigned long long>(per_epoch));
    for (int row = 0; row < batch; ++row) {
      const uint32_t image = order[b * batch + row];
      require_values(data + static_cast<size_t>(image) * cols, static_cast<size_t>(cols), "gather_batch: an image");
      if (labels) require_values(labels + image, 1, "gather_batch: a label");
    }
    for_each_index(count(batch, cols), [&](size_t e) {
      gather_element(e, data, cols, labels, order, per_epoch, batch, s->step, out, label_out);
    });
  });
}

void draw_labels(int* out, int n, int classes, const unsigned long long* key, uint64_t first_block,
                 cudaStream_t stream) {
  require_values(out, static_cast<size_t>(n), "draw_labels: out");
  require_values(key, 1, "draw_labels: key");
  launch("draw_labels", stream, [=] {
    for_each_index(static_cast<size_t>(n), [&](size_t i) { out[i] = label_draw(i, classes, *key, first_block); });
  });
}

void append_one_hot(const float* x, int rows, int cols, const int* labels, int classes, float hot, float* out,
                    cudaStream_t stream) {
  require_values(x, count(rows, cols), "append_one_hot: x");
  require_values(labels, static_cast<size_t>(rows), "append_one_hot: labels");
  require_values(out, count(rows, cols + classes), "append_one_hot: out");
  launch("append_one_hot", stream, [=] {
    for (int r = 0; r < rows; ++r)
      if (labels[r] < 0 || labels[r] >= classes)
        throw std::logic_error("emulated GPU: append_one_hot: label " + std::to_string(labels[r]) + " is not a class");
    for_each_index(count(rows, cols + classes),
                   [&](size_t e) { one_hot_element(e, x, cols, labels, classes, hot, out); });
  });
}

void copy_columns(const float* src, int rows, int src_cols, float* dst, int dst_cols, cudaStream_t stream) {
  require_values(src, count(rows, src_cols), "copy_columns: src");
  require_values(dst, count(rows, dst_cols), "copy_columns: dst");
  launch("copy_columns", stream, [=] {
    for_each_index(count(rows, dst_cols), [&](size_t e) { copy_column_element(e, src, src_cols, dst, dst_cols); });
  });
}

void normal(float* out, size_t n, const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  require_values(out, n, "normal: out");
  require_values(key, 1, "normal: key");
  launch("normal", stream,
         [=] { for_each_index(blocks_for_values(n), [&](size_t q) { normal_quad(q, out, n, *key, first_block); }); });
}

void bias_act(float* y, int rows, int cols, const float* bias, Act act, float slope, float p, float* mask,
              const unsigned long long* key, uint64_t first_block, cudaStream_t stream) {
  const size_t total = count(rows, cols);
  require_values(y, total, "bias_act: y");
  require_values(bias, static_cast<size_t>(cols), "bias_act: bias");
  if (mask) {
    require_values(mask, total, "bias_act: mask");
    require_values(key, 1, "bias_act: key");
  }
  launch("bias_act", stream, [=] {
    const uint64_t seed = mask ? *key : 0;
    for_each_index(blocks_for_values(total),
                   [&](size_t q) { bias_act_quad(q, y, total, cols, bias, act, slope, p, mask, seed, first_block); });
  });
}

void act_backward(const float* grad_in, float* grad_out, const float* y, const float* mask, int rows, int cols, Act act,
                  float slope, float* sums, cudaStream_t stream) {
  const size_t total = count(rows, cols);
  require_values(grad_in, total, "act_backward: grad_in");
  require_values(grad_out, total, "act_backward: grad_out");
  require_values(y, total, "act_backward: y");
  if (mask) require_values(mask, total, "act_backward: mask");
  if (sums) {
    require_values(sums, static_cast<size_t>(cols), "act_backward: sums");
    launch("act_backward", stream, [=] {
      for_each_index(static_cast<size_t>(cols), [&](size_t c) {
        sums[c] = act_backward_column(c, grad_in, grad_out, y, mask, rows, cols, act, slope);
      });
    });
  } else {
    launch("act_backward", stream, [=] {
      for_each_index(total, [&](size_t e) { act_backward_element(e, grad_in, grad_out, y, mask, act, slope); });
    });
  }
}

void column_sums(const float* g, int rows, int cols, float* out, cudaStream_t stream) {
  require_values(g, count(rows, cols), "column_sums: g");
  require_values(out, static_cast<size_t>(cols), "column_sums: out");
  launch("column_sums", stream,
         [=] { for_each_index(static_cast<size_t>(cols), [&](size_t c) { out[c] = column_sum(c, g, rows, cols); }); });
}

namespace {
// The BCE kernel's work in one pass: rows [0, n) with target_a, and when stacked rows [n, 2n) with target 0.
void bce(const char* what, const float* logits, int n, float target_a, bool stacked, float* grad, DeviceStepStats* ring,
         int ring_size, const StepScalars* s, cudaStream_t stream) {
  const size_t rows = static_cast<size_t>(stacked ? 2 * n : n);
  require_values(logits, rows, "loss: logits");
  require_values(grad, rows, "loss: grad");
  require_values(ring, static_cast<size_t>(ring_size), "loss: stats ring");
  require_values(s, 1, "loss: scalars");
  launch(what, stream, [=] {
    double loss[2] = {0, 0}, sig[2] = {0, 0};
    for (size_t i = 0; i < rows; ++i) {
      const bool first = i < static_cast<size_t>(n);
      const BceTerm term = bce_term(logits[i], first ? target_a : 0.0f, n);
      grad[i] = term.grad;
      loss[first ? 0 : 1] += term.loss;
      sig[first ? 0 : 1] += term.sigmoid;
    }
    store_loss_stats(ring[s->step % static_cast<unsigned long long>(ring_size)], stacked, n, loss[0], loss[1], sig[0],
                     sig[1]);
  });
}
}  // namespace

void d_step_loss(const float* logits, int n, float real_label, float* grad, DeviceStepStats* ring, int ring_size,
                 const StepScalars* s, cudaStream_t stream) {
  bce("d_step_loss", logits, n, real_label, true, grad, ring, ring_size, s, stream);
}

void g_step_loss(const float* logits, int n, float* grad, DeviceStepStats* ring, int ring_size, const StepScalars* s,
                 cudaStream_t stream) {
  bce("g_step_loss", logits, n, 1.0f, false, grad, ring, ring_size, s, stream);
}

void adam(float* param, const float* grad, float* m, float* v, size_t n, AdamScalars c, const StepScalars* s,
          bool generator, float* average, cudaStream_t stream) {
  require_values(param, n, "adam: param");
  require_values(grad, n, "adam: grad");
  require_values(m, n, "adam: m");
  require_values(v, n, "adam: v");
  require_values(s, 1, "adam: scalars");
  if (average) require_values(average, n, "adam: average");
  const AdamFloats f = adam_floats(c);
  launch("adam", stream, [=] {
    const AdamStep step = adam_step(*s, generator);
    const float decay = s->ema_decay;
    for_each_index(n, [&](size_t i) {
      adam_element(i, param, grad, m, v, f, step);
      if (average) ema_element(i, average, param, decay);
    });
  });
}

}  // namespace gan::cuda
