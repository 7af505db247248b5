// The named directions of a generator as a JSON sidecar (generator-q8.directions.json): written by `gan directions`,
// read by the page, checked against the generator it is loaded with.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "latent_directions.h"

namespace gan {

// Which generator the directions were fitted to: a file with other values here is another generator.
struct DirectionsOwner {
  std::string architecture;  // "seed", "conditional", "dcgan", "conditional-dcgan"
  int z_dim = 0, classes = 0;
  std::string dataset, step;  // from the generator's metadata; empty when it has none
};

struct NamedDirection {
  LatentDirection direction;
  DirectionEffect at_plus_2;  // measured when fitted: the attribute's mean change and the class kept, 2 units along
};

struct DirectionsFile {
  DirectionsOwner owner;
  int fitted_on = 0;  // digits the fit used
  std::vector<NamedDirection> directions;
};

std::string write_directions_json(const DirectionsFile& file);
// Throws FormatError with a one-line message when the text is not such a file, a vector holds other than
// `expected.z_dim` finite values, or it belongs to another generator than `expected` (dataset and step are compared
// only when both sides have them).
DirectionsFile parse_directions_json(const std::string& text, const DirectionsOwner& expected);

}  // namespace gan
