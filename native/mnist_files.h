// Finds and loads the standard MNIST / Fashion-MNIST IDX files in a folder.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace gan {

struct Dataset {
  std::string name;             // folder name, e.g. "mnist" or "fashion-mnist"
  Matrix images;                // [N, 784] in [-1, 1]
  std::vector<uint8_t> labels;  // N labels, or empty when the folder has no label file
};

// split "train" reads train-images-idx3-ubyte[.gz] (also the train-images.idx3-ubyte spelling), "test" t10k-*.
Dataset load_mnist_folder(const std::string& dir, const std::string& split = "train");

}  // namespace gan
