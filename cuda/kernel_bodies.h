// What one thread of each CUDA kernel computes, as plain functions of its index: nvcc builds them into the kernels
// (kernels.cu) and the host compiler into the CPU tests that hold them to the core's ops, on machines with no GPU.
// No CUDA headers here. Include it only from code built without fused multiply-adds where bits must match.
#pragma once
#include <math.h>

#include <cstddef>
#include <cstdint>

#include "det_math_impl.h"
#include "philox.h"

namespace gan::cuda {

// What one training step needs to know about itself; it lives on the GPU and begin_step / end_step keep it, so that
// a captured step replays correctly any number of times.
struct StepScalars {
  unsigned long long step = 0;  // the step being taken (counted from 0)
  unsigned long long key = 0;   // seed of its random stream: derive_seed(noise seed, step)
  long long adam_steps_d = 0;   // each optimiser's step count, after this step's update
  long long adam_steps_g = 0;
  float step_size_d = 0, bias_correction2_sqrt_d = 0;
  float step_size_g = 0, bias_correction2_sqrt_g = 0;
  float ema_decay = 0;
};

// What a step reports, one slot per step in a ring that the host reads back every few hundred steps.
struct DeviceStepStats {
  double d_loss, g_loss, d_real, d_fake;
};

struct AdamScalars {
  double lr, beta1, beta2, eps;
};

enum class Act : int { None = 0, Leaky = 1, Tanh = 2 };

// s.key, s.adam_steps_* += 1 and the Adam and EMA scalars of those counts, from s.step: the corrections in double,
// then rounded to float, as Adam::step forms them; the decay as Gan::train_step's moving average takes it.
GAN_HOST_DEVICE inline void begin_step_body(StepScalars& s, uint64_t noise_seed, AdamScalars adam, double ema) {
  s.key = derive_seed_bits(noise_seed, s.step);
  s.adam_steps_d += 1;
  s.adam_steps_g += 1;
  const double c1d = 1.0 - ::pow(adam.beta1, static_cast<double>(s.adam_steps_d));
  const double c2d = 1.0 - ::pow(adam.beta2, static_cast<double>(s.adam_steps_d));
  const double c1g = 1.0 - ::pow(adam.beta1, static_cast<double>(s.adam_steps_g));
  const double c2g = 1.0 - ::pow(adam.beta2, static_cast<double>(s.adam_steps_g));
  s.step_size_d = static_cast<float>(adam.lr / c1d);
  s.bias_correction2_sqrt_d = static_cast<float>(::sqrt(c2d));
  s.step_size_g = static_cast<float>(adam.lr / c1g);
  s.bias_correction2_sqrt_g = static_cast<float>(::sqrt(c2g));
  const double t = static_cast<double>(s.step);
  const double warm = (1.0 + t) / (10.0 + t);
  s.ema_decay = static_cast<float>(ema < warm ? ema : warm);
}

// Element e of the batch b = step % per_epoch: out[e] = data[order[b * batch + row], col], and with labels, the
// row's label once per row.
GAN_HOST_DEVICE inline void gather_element(size_t e, const float* data, int cols, const uint8_t* labels,
                                           const uint32_t* order, int64_t per_epoch, int batch, unsigned long long step,
                                           float* out, int* label_out) {
  const int64_t b = static_cast<int64_t>(step % static_cast<unsigned long long>(per_epoch));
  const size_t row = e / cols, col = e % cols;
  const uint32_t image = order[b * batch + static_cast<int64_t>(row)];
  out[e] = data[static_cast<size_t>(image) * cols + col];
  if (labels && col == 0) label_out[row] = labels[image];
}

// Label i, uniform in [0, classes), from its own Philox block first_block + i (as Rng::below draws them).
GAN_HOST_DEVICE inline int label_draw(size_t i, int classes, uint64_t seed, uint64_t first_block) {
  return static_cast<int>(u32_below(philox_block(seed, first_block + i).w[0], static_cast<uint32_t>(classes)));
}

// Element e of x's rows [rows, cols] followed by a one-hot of the row's label, hot entry `hot`.
GAN_HOST_DEVICE inline void one_hot_element(size_t e, const float* x, int cols, const int* labels, int classes,
                                            float hot, float* out) {
  const int width = cols + classes;
  const size_t row = e / width;
  const int col = static_cast<int>(e % width);
  out[e] = col < cols ? x[row * cols + col] : (col - cols == labels[row] ? hot : 0.0f);
}

// Element e of the first dst_cols columns of src.
GAN_HOST_DEVICE inline void copy_column_element(size_t e, const float* src, int src_cols, float* dst, int dst_cols) {
  dst[e] = src[(e / dst_cols) * src_cols + e % dst_cols];
}

// Values 4q..4q+3 (those below n) of the normals from block first_block on: block first_block + q, as Rng::normal.
GAN_HOST_DEVICE inline void normal_quad(size_t q, float* out, size_t n, uint64_t seed, uint64_t first_block) {
  float z[4];
  det_impl::normals_from_block(philox_block(seed, first_block + q), z);
  for (size_t j = 0; j < 4 && 4 * q + j < n; ++j) out[4 * q + j] = z[j];
}

GAN_HOST_DEVICE inline float activate(float v, Act act, float slope) {
  if (act == Act::Leaky) return v > 0.0f ? v : slope * v;
  if (act == Act::Tanh) return ::tanhf(v);
  return v;
}

// Inverted dropout's factor for a kept element (as dropout_forward).
GAN_HOST_DEVICE inline float keep_scale(float p) { return p < 1.0f ? 1.0f / (1.0f - p) : 0.0f; }

// Elements 4q..4q+3 of [rows, cols] y, in place: act(y + bias), then with mask, inverted dropout whose four keep
// decisions are the words of block first_block + q of the stream `seed` (as Rng::uniform draws them), the factors
// kept in mask.
GAN_HOST_DEVICE inline void bias_act_quad(size_t q, float* y, size_t total, int cols, const float* bias, Act act,
                                          float slope, float p, float* mask, uint64_t seed, uint64_t first_block) {
  PhiloxBlock bits{};
  if (mask) bits = philox_block(seed, first_block + q);
  for (int j = 0; j < 4; ++j) {
    const size_t e = 4 * q + j;
    if (e >= total) break;
    float v = activate(y[e] + bias[e % cols], act, slope);
    if (mask) {
      const float m = u32_to_unit_float(bits.w[j]) >= p ? keep_scale(p) : 0.0f;
      mask[e] = m;
      v *= m;
    }
    y[e] = v;
  }
}

// The gradient g at an activation's output y taken back through it (and through dropout's factor *m when given).
GAN_HOST_DEVICE inline float act_grad(float g, float y, const float* m, Act act, float slope) {
  if (act == Act::Leaky) {
    // The Dropout and LeakyReLU layers' backward in one pass: (y > 0 ? g * m : slope * g * m).
    if (m) return y > 0.0f ? g * *m : slope * g * *m;
    return y > 0.0f ? g : slope * g;
  }
  if (act == Act::Tanh) return g * (1.0f - y * y);
  return g;
}

// Element e: grad_out = act_grad(grad_in) at the output y (grad_out may be grad_in).
GAN_HOST_DEVICE inline void act_backward_element(size_t e, const float* grad_in, float* grad_out, const float* y,
                                                 const float* mask, Act act, float slope) {
  grad_out[e] = act_grad(grad_in[e], y[e], mask ? mask + e : nullptr, act, slope);
}

// Column c of [rows, cols] at once: its elements as act_backward_element, returning their sum in row order (the bias
// gradient, as column_sum would add the results up).
GAN_HOST_DEVICE inline float act_backward_column(size_t c, const float* grad_in, float* grad_out, const float* y,
                                                 const float* mask, int rows, int cols, Act act, float slope) {
  float sum = 0.0f;
  for (int r = 0; r < rows; ++r) {
    const size_t e = static_cast<size_t>(r) * cols + c;
    const float g = act_grad(grad_in[e], y[e], mask ? mask + e : nullptr, act, slope);
    grad_out[e] = g;
    sum += g;
  }
  return sum;
}

// Column c's sum over the rows of [rows, cols] g, in row order.
GAN_HOST_DEVICE inline float column_sum(size_t c, const float* g, int rows, int cols) {
  float sum = 0.0f;
  for (int r = 0; r < rows; ++r) sum += g[static_cast<size_t>(r) * cols + c];
  return sum;
}

// The logistic sigmoid, stable for large |x| (as the core's sigmoid).
GAN_HOST_DEVICE inline float sigmoid_body(float x) {
  if (x >= 0) return 1.0f / (1.0f + ::expf(-x));
  const float e = ::expf(x);
  return e / (1.0f + e);
}

// One logit's share of a mean BCE over n rows with target t (as bce_with_logits): its loss (in double, not yet
// divided by n), its sigmoid, and dL/dlogit.
struct BceTerm {
  double loss;
  float sigmoid;
  float grad;
};
GAN_HOST_DEVICE inline BceTerm bce_term(float logit, float t, int n) {
  const double x = logit;
  const float sig = sigmoid_body(logit);
  return BceTerm{::fmax(x, 0.0) - x * t + ::log1p(::exp(-::fabs(x))), sig, (sig - t) * 1.0f / static_cast<float>(n)};
}

// The loss kernel's sums over a step's rows (rows [0, n): loss_a, sig_a; the stacked rows [n, 2n): loss_b, sig_b)
// into the step's stats: d_loss, d_real and d_fake for the D step (stacked), g_loss for the G step.
GAN_HOST_DEVICE inline void store_loss_stats(DeviceStepStats& out, bool stacked, int n, double loss_a, double loss_b,
                                             double sig_a, double sig_b) {
  if (stacked) {
    out.d_loss = loss_a / n + loss_b / n;
    out.d_real = sig_a / n;
    out.d_fake = sig_b / n;
  } else {
    out.g_loss = loss_a / n;
  }
}

// Adam's constants in float: b1, 1 - b1, b2, 1 - b2 and eps, rounded from double as Adam::step rounds them.
struct AdamFloats {
  float b1, omb1, b2, omb2, eps;
};
GAN_HOST_DEVICE inline AdamFloats adam_floats(AdamScalars c) {
  return AdamFloats{static_cast<float>(c.beta1), static_cast<float>(1.0 - c.beta1), static_cast<float>(c.beta2),
                    static_cast<float>(1.0 - c.beta2), static_cast<float>(c.eps)};
}

// This step's size and bias correction for D's or G's optimiser (begin_step_body forms both).
struct AdamStep {
  float size, bias_correction2_sqrt;
};
GAN_HOST_DEVICE inline AdamStep adam_step(const StepScalars& s, bool generator) {
  return generator ? AdamStep{s.step_size_g, s.bias_correction2_sqrt_g}
                   : AdamStep{s.step_size_d, s.bias_correction2_sqrt_d};
}

// Element i of PyTorch's Adam (see src/adam.h).
GAN_HOST_DEVICE inline void adam_element(size_t i, float* param, const float* grad, float* m, float* v, AdamFloats f,
                                         AdamStep step) {
  const float g = grad[i];
  const float mi = f.b1 * m[i] + f.omb1 * g;
  const float vi = f.b2 * v[i] + f.omb2 * (g * g);
  m[i] = mi;
  v[i] = vi;
  param[i] -= step.size * (mi / (::sqrtf(vi) / step.bias_correction2_sqrt + f.eps));
}

// Element i of the moving average: decay * average + (1 - decay) * value.
GAN_HOST_DEVICE inline void ema_element(size_t i, float* average, const float* value, float decay) {
  average[i] = decay * average[i] + (1.0f - decay) * value[i];
}

}  // namespace gan::cuda
