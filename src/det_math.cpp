// Deterministic log/sin/cos and normals: fixed polynomials evaluated in a fixed order (det_math_impl.h); this file
// is built with -ffp-contract=off so that no compiler fuses a multiply and an add differently on another platform.
#include "det_math.h"

#include "det_math_impl.h"

namespace gan::det {

double log(double x) { return det_impl::log(x); }
void sincos(double theta, double* s, double* c) { det_impl::sincos(theta, s, c); }
void normals_from_block(const PhiloxBlock& block, float out[4]) { det_impl::normals_from_block(block, out); }

}  // namespace gan::det
