// Attributes anyone can see in a digit, measured from its pixels: stroke thickness (ink), slant, width and height.
#pragma once
#include <array>
#include <string>

#include "tensor.h"

namespace gan {

enum class Attribute { Ink, Slant, Width, Height };
constexpr int kAttributes = 4;
constexpr std::array<Attribute, kAttributes> kAllAttributes{Attribute::Ink, Attribute::Slant, Attribute::Width,
                                                            Attribute::Height};

// "ink", "slant", "width", "height"; and the unit of its measure ("share of the image", "degrees", "pixels").
std::string attribute_name(Attribute a);
std::string attribute_unit(Attribute a);

// One row per digit ([N, 784] in [-1, 1]), one column per attribute in kAllAttributes order, from the ink's
// moments (a pixel's ink is (v + 1) / 2):
//   ink    the mean ink over the 28x28 pixels (thicker strokes and bigger digits have more);
//   slant  the lean of the ink's principal axis from vertical, in degrees, positive when the top leans right
//          (atan of -mu11 / mu02, y downward);
//   width, height  4 standard deviations of the ink along x and along y, in pixels.
// A digit without ink measures 0 for each.
Matrix measure_attributes(const Matrix& digits);

}  // namespace gan
