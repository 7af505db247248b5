// Deterministic log/sin/cos: fixed polynomials evaluated in a fixed order; this file is built with
// -ffp-contract=off so that no compiler fuses a multiply and an add differently on another platform.
#include "det_math.h"

#include <cmath>

namespace gan::det {

double log(double x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); frexp and ldexp are exact.
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1)
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

namespace {
// Taylor series on |x| <= pi/4, evaluated by Horner's rule.
double sin_small(double x) {
  const double x2 = x * x;
  double p = 1.0;
  for (int k = 19; k >= 3; k -= 2) p = 1.0 - x2 / (k * (k - 1)) * p;
  return x * p;
}
double cos_small(double x) {
  const double x2 = x * x;
  double p = 1.0;
  for (int k = 20; k >= 2; k -= 2) p = 1.0 - x2 / (k * (k - 1)) * p;
  return p;
}
}  // namespace

void sincos(double theta, double* s, double* c) {
  const double half_pi = 1.57079632679489661923;
  // Quadrant q and remainder r in [-pi/4, pi/4]; theta is at most 2*pi so the reduction error stays tiny.
  const double qf = std::floor(theta / half_pi + 0.5);
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

}  // namespace gan::det
