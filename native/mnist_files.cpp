// Looks for each standard file name, plain or gzipped, and checks images and labels agree.
#include "mnist_files.h"

#include "file_io.h"
#include "format_error.h"
#include "idx.h"

namespace gan {

namespace {

std::string find_file(const std::string& dir, const std::string& prefix, const std::string& kind) {
  for (const char* sep : {"-", "."})
    for (const char* ext : {".gz", ""}) {
      const std::string path = dir + "/" + prefix + "-" + kind + std::string(sep) + (kind == "images" ? "idx3" : "idx1") + "-ubyte" + ext;
      if (file_exists(path)) return path;
    }
  return "";
}

std::string split_prefix(const std::string& split) { return split == "train" ? "train" : "t10k"; }

}  // namespace

bool has_mnist_split(const std::string& dir, const std::string& split) {
  return !find_file(dir, split_prefix(split), "images").empty();
}

Dataset load_mnist_folder(const std::string& dir, const std::string& split) {
  const std::string prefix = split_prefix(split);
  const std::string images_path = find_file(dir, prefix, "images");
  if (images_path.empty())
    throw UserError("no " + prefix + "-images-idx3-ubyte[.gz] in " + dir +
                    "; run scripts/setup.sh for the bundled digits, or pass --data with a folder holding the standard "
                    "MNIST or Fashion-MNIST files");
  Dataset ds;
  const auto slash = dir.find_last_not_of('/');
  const std::string trimmed = dir.substr(0, slash + 1);
  ds.name = trimmed.substr(trimmed.find_last_of('/') + 1);
  const std::string advice = "pass --data with a folder holding the standard 28x28 MNIST or Fashion-MNIST files";
  ds.images_path = images_path;
  const auto bytes = read_file_maybe_gz(images_path);
  IdxImages images;
  try {
    images = parse_idx_images(bytes.data(), bytes.size(), images_path);
  } catch (const FormatError& e) {
    throw file_error(images_path, e.what(), advice);
  }
  ds.images = images_to_matrix(images);
  const std::string labels_path = find_file(dir, prefix, "labels");
  if (!labels_path.empty()) {
    ds.labels_path = labels_path;
    const auto lb = read_file_maybe_gz(labels_path);
    try {
      ds.labels = parse_idx_labels(lb.data(), lb.size(), labels_path);
    } catch (const FormatError& e) {
      throw file_error(labels_path, e.what(), advice);
    }
    if (ds.labels.size() != images.count)
      throw UserError(labels_path + " has " + std::to_string(ds.labels.size()) + " labels but " + images_path + " has " +
                      std::to_string(images.count) + " images; the two files do not belong together");
  }
  return ds;
}

void check_label_range(const Dataset& data, int classes, const std::string& advice) {
  for (size_t i = 0; i < data.labels.size(); ++i)
    if (data.labels[i] >= classes)
      throw UserError(data.labels_path + " has label " + std::to_string(data.labels[i]) + " (for image " +
                      std::to_string(i) + "), outside 0.." + std::to_string(classes - 1) + "; " + advice);
}

}  // namespace gan
