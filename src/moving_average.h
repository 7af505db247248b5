// The moving average of a generator's weights (`--ema`): shared by the MLP GAN and the layer-list GANs.
#pragma once
#include <cstdint>
#include <vector>

#include "adam.h"

namespace gan {

// average = decay * average + (1 - decay) * live for every parameter, with decay min(ema, (1 + step) / (10 + step))
// so that the average warms up over the first steps instead of remembering the initial weights.
void update_moving_average(const std::vector<ParamRef>& live, const std::vector<ParamRef>& average, double ema,
                           int64_t step);

}  // namespace gan
