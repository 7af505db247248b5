// The sample grid's latent vectors, drawn from the run's seed on a stream of their own.
#include "sample_grid.h"

#include "labels.h"

namespace gan {

SampleGrid::SampleGrid(const GanConfig& config) {
  const uint64_t seed = derive_seed(config.seed, static_cast<uint64_t>(Stream::FixedZ));
  const int count = config.classes > 0 ? 5 * config.classes : 25;
  columns = config.classes > 0 ? config.classes : 5;
  labels = class_grid_labels(count, config.classes);
  z = class_grid_latents(Gan::sample_z(seed, class_grid_rows(count, config.classes), config.z_dim), count,
                         config.classes);
}

}  // namespace gan
