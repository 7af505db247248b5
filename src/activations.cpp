// Activations and dropout as element-wise array expressions (Eigen vectorises them), split across the cores.
#include "activations.h"

#include <cassert>

#include "parallel.h"

namespace gan {

namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using ConstArray = Eigen::Map<const Eigen::ArrayXf>;

// Full rows of a row-major matrix are contiguous, so blocks of rows can be walked as flat arrays.
const float* flat(const ConstRowsRef& m) {
  assert(m.outerStride() == m.cols());
  return m.data();
}

template <class Fn>
void elementwise(Eigen::Index size, Fn&& fn) {
  parallel_chunks(static_cast<size_t>(size), [&](size_t begin, size_t end) {
    fn(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin));
  });
}

}  // namespace

void leaky_relu_forward(Matrix& x, float slope) {
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array a(x.data() + b, n);
    a = (a > 0.0f).select(a, slope * a);
  });
}

void leaky_relu_backward(const ConstRowsRef& y, Matrix& grad, float slope) {
  const float* yp = flat(y);
  elementwise(grad.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array g(grad.data() + b, n);
    g = (ConstArray(yp + b, n) > 0.0f).select(g, slope * g);
  });
}

void tanh_forward(Matrix& x) {
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array a(x.data() + b, n);
    a = a.tanh();
  });
}

void tanh_backward(const ConstRowsRef& y, Matrix& grad) {
  const float* yp = flat(y);
  elementwise(grad.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(grad.data() + b, n) *= 1.0f - ConstArray(yp + b, n).square();
  });
}

void dropout_forward(Matrix& x, Matrix& mask, float p, Rng& rng) {
  mask.resize(x.rows(), x.cols());
  rng.uniform(mask.data(), static_cast<size_t>(mask.size()));  // uniforms first, turned into factors in place
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array m(mask.data() + b, n);
    m = (m >= p).select(keep_scale, Eigen::ArrayXf::Zero(n));
    Array(x.data() + b, n) *= m;
  });
}

void dropout_backward(const ConstRowsRef& mask, Matrix& grad) { grad.array() *= mask.array(); }

}  // namespace gan
