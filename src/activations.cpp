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

void leaky_relu_forward(const Matrix& x, Matrix& y, float slope) {
  y.resize(x.rows(), x.cols());
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    const ConstArray a(x.data() + b, n);
    Array(y.data() + b, n) = (a > 0.0f).select(a, slope * a);
  });
}

void leaky_relu_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x, float slope) {
  const float* yp = flat(y);
  grad_x.resize(grad_y.rows(), grad_y.cols());
  elementwise(grad_y.size(), [&](Eigen::Index b, Eigen::Index n) {
    const ConstArray g(grad_y.data() + b, n);
    Array(grad_x.data() + b, n) = (ConstArray(yp + b, n) > 0.0f).select(g, slope * g);
  });
}

void relu_forward(const Matrix& x, Matrix& y) {
  y.resize(x.rows(), x.cols());
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(y.data() + b, n) = ConstArray(x.data() + b, n).max(0.0f);
  });
}

void relu_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x) {
  const float* yp = flat(y);
  grad_x.resize(grad_y.rows(), grad_y.cols());
  elementwise(grad_y.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(grad_x.data() + b, n) = (ConstArray(yp + b, n) > 0.0f).select(ConstArray(grad_y.data() + b, n), 0.0f);
  });
}

void tanh_forward(const Matrix& x, Matrix& y) {
  y.resize(x.rows(), x.cols());
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(y.data() + b, n) = ConstArray(x.data() + b, n).tanh();
  });
}

void tanh_backward(const ConstRowsRef& y, const Matrix& grad_y, Matrix& grad_x) {
  const float* yp = flat(y);
  grad_x.resize(grad_y.rows(), grad_y.cols());
  elementwise(grad_y.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(grad_x.data() + b, n) = ConstArray(grad_y.data() + b, n) * (1.0f - ConstArray(yp + b, n).square());
  });
}

void dropout_forward(const Matrix& x, Matrix& y, Matrix& mask, float p, Rng& rng) {
  mask.resize(x.rows(), x.cols());
  y.resize(x.rows(), x.cols());
  rng.uniform(mask.data(), static_cast<size_t>(mask.size()));  // uniforms first, turned into factors in place
  const float keep_scale = p < 1.0f ? 1.0f / (1.0f - p) : 0.0f;
  elementwise(x.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array m(mask.data() + b, n);
    m = (m >= p).select(keep_scale, Eigen::ArrayXf::Zero(n));
    Array(y.data() + b, n) = ConstArray(x.data() + b, n) * m;
  });
}

void dropout_backward(const ConstRowsRef& mask, const Matrix& grad_y, Matrix& grad_x) {
  const float* mp = flat(mask);
  grad_x.resize(grad_y.rows(), grad_y.cols());
  elementwise(grad_y.size(), [&](Eigen::Index b, Eigen::Index n) {
    Array(grad_x.data() + b, n) = ConstArray(grad_y.data() + b, n) * ConstArray(mp + b, n);
  });
}

}  // namespace gan
