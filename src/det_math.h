// log, sin and cos built only from IEEE-754 +, -, *, / so that they round identically on every platform.
#pragma once

namespace gan::det {

// Natural logarithm for x > 0 (finite); about 1e-15 relative error.
double log(double x);
// sin and cos of theta in [0, 2*pi]; about 1e-15 absolute error.
void sincos(double theta, double* s, double* c);

}  // namespace gan::det
