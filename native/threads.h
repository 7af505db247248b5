// How many threads Eigen's matrix products use.
#pragma once

namespace gan {

// 0 means every core. Returns the number now in use.
int set_threads(int threads);

}  // namespace gan
