// The bodies of the deterministic log/sin/cos and of the Box-Muller normals, shared by det_math.cpp and the CUDA
// backend. Include it only from code built without fused multiply-adds (-ffp-contract=off, nvcc --fmad=false).
#pragma once
#include <math.h>

#include "philox.h"

namespace gan::det_impl {

GAN_HOST_DEVICE inline double log(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); frexp and ldexp are exact.
  int e = 0;
  double m = ::frexp(x, &e);  // m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    e -= 1;
  }
  // log(m) = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: the odd series converges fast.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double series = 1.0 / 25.0;
  for (int k = 23; k >= 1; k -= 2) series = 1.0 / k + s2 * series;
  const double ln2 = 0.69314718055994530942;
  return 2.0 * s * series + static_cast<double>(e) * ln2;
}

// Taylor series on |x| <= pi/4, evaluated by Horner's rule.
GAN_HOST_DEVICE inline double sin_small(double x) {
  const double x2 = x * x;
  double p = 1.0;
  for (int k = 19; k >= 3; k -= 2) p = 1.0 - x2 / (k * (k - 1)) * p;
  return x * p;
}
GAN_HOST_DEVICE inline double cos_small(double x) {
  const double x2 = x * x;
  double p = 1.0;
  for (int k = 20; k >= 2; k -= 2) p = 1.0 - x2 / (k * (k - 1)) * p;
  return p;
}

GAN_HOST_DEVICE inline void sincos(double theta, double* s, double* c) {
  const double half_pi = 1.57079632679489661923;
  // Quadrant q and remainder r in [-pi/4, pi/4]; theta is at most 2*pi so the reduction error stays tiny.
  const double qf = ::floor(theta / half_pi + 0.5);
  const double r = theta - qf * half_pi;
  const int q = static_cast<int>(qf) & 3;
  const double sr = sin_small(r);
  const double cr = cos_small(r);
  switch (q) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}

// Four standard normals from one block: two Box-Muller pairs, in double, rounded to float at the end.
GAN_HOST_DEVICE inline void normals_from_block(const PhiloxBlock& b, float out[4]) {
  constexpr double kTwoPi = 6.28318530717958647692;
  for (int pair = 0; pair < 2; ++pair) {
    // u1 in (0, 1] so the log is finite; u2 in [0, 1).
    const double u1 = (static_cast<double>(b.w[2 * pair] >> 8) + 1.0) * (1.0 / 16777216.0);
    const double u2 = static_cast<double>(b.w[2 * pair + 1] >> 8) * (1.0 / 16777216.0);
    const double r = ::sqrt(-2.0 * log(u1));
    double s = 0, c = 0;
    sincos(kTwoPi * u2, &s, &c);
    out[2 * pair] = static_cast<float>(r * c);
    out[2 * pair + 1] = static_cast<float>(r * s);
  }
}

}  // namespace gan::det_impl
