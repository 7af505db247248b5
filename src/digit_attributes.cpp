// Attribute measures from the ink's zeroth, first and second moments.
#include "digit_attributes.h"

#include <cmath>

namespace gan {

std::string attribute_name(Attribute a) {
  switch (a) {
    case Attribute::Ink: return "ink";
    case Attribute::Slant: return "slant";
    case Attribute::Width: return "width";
    case Attribute::Height: return "height";
  }
  return "";
}

std::string attribute_unit(Attribute a) {
  switch (a) {
    case Attribute::Ink: return "share of the image";
    case Attribute::Slant: return "degrees";
    case Attribute::Width:
    case Attribute::Height: return "pixels";
  }
  return "";
}

Matrix measure_attributes(const Matrix& digits) {
  constexpr double kDegrees = 180.0 / 3.14159265358979323846;
  Matrix out = Matrix::Zero(digits.rows(), kAttributes);
  for (Eigen::Index r = 0; r < digits.rows(); ++r) {
    double m = 0, sx = 0, sy = 0;
    for (int p = 0; p < 784; ++p) {
      const double w = (digits(r, p) + 1.0) / 2.0;
      m += w, sx += w * (p % 28), sy += w * (p / 28);
    }
    if (m <= 1e-6) continue;
    const double cx = sx / m, cy = sy / m;
    double xx = 0, yy = 0, xy = 0;
    for (int p = 0; p < 784; ++p) {
      const double w = (digits(r, p) + 1.0) / 2.0, dx = p % 28 - cx, dy = p / 28 - cy;
      xx += w * dx * dx, yy += w * dy * dy, xy += w * dx * dy;
    }
    out(r, 0) = float(m / 784.0);
    out(r, 1) = float(yy > 0 ? std::atan(-xy / yy) * kDegrees : 0.0);
    out(r, 2) = float(4.0 * std::sqrt(xx / m));
    out(r, 3) = float(4.0 * std::sqrt(yy / m));
  }
  return out;
}

}  // namespace gan
