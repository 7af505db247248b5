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
  std::string images_path, labels_path;  // the files read (labels_path empty when there is none)
};

// split "train" reads train-images-idx3-ubyte[.gz] (also the train-images.idx3-ubyte spelling), "test" t10k-*.
Dataset load_mnist_folder(const std::string& dir, const std::string& split = "train");

// Whether `dir` holds the images of `split` ("train" or "test").
bool has_mnist_split(const std::string& dir, const std::string& split);

// Throws UserError naming the label file, the first label outside 0..classes-1 and where it is; `advice` says what
// to do instead (after "; "). Does nothing for a data set without labels.
void check_label_range(const Dataset& data, int classes, const std::string& advice);

}  // namespace gan
