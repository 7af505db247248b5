// log, sin and cos built only from IEEE-754 +, -, *, / so that they round identically on every platform.
#pragma once

#include "philox.h"

namespace gan::det {

// Natural logarithm for x > 0 (finite); about 1e-15 relative error.
double log(double x);
// sin and cos of theta in [0, 2*pi]; about 1e-15 absolute error.
void sincos(double theta, double* s, double* c);
// The four standard normals that the project's RNG makes of one Philox block (Box-Muller, in double).
void normals_from_block(const PhiloxBlock& block, float out[4]);

}  // namespace gan::det
