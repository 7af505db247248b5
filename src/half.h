// IEEE-754 binary16 <-> binary32 conversion (round to nearest even), for F16 weight files.
#pragma once
#include <cstdint>

namespace gan {

uint16_t float_to_half(float f);
float half_to_float(uint16_t h);

}  // namespace gan
