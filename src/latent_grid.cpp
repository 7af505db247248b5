// The viewer's model: a grid of latent vectors, the digits they make, and edits that regenerate only what changed.
#include "latent_grid.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "gan.h"
#include "labels.h"

namespace gan {

LatentGrid::LatentGrid(DigitGenerator generator, int count, uint64_t seed)
    : fast_(std::move(generator)), seed_(seed), classes_(fast_.classes()) {
  if (count <= 0) throw std::invalid_argument("LatentGrid: needs at least one digit");
  z_.resize(count, fast_.z_dim());
  labels_ = class_grid_labels(count, classes_);
  images_.resize(count, fast_.out_features());
  changed_.assign(count, false);
  reseed(seed);
}

int LatentGrid::check(int i) const {
  if (i < 0 || i >= count())
    throw std::out_of_range("digit " + std::to_string(i) + " is outside the grid of " + std::to_string(count()));
  return i;
}

void LatentGrid::reseed(uint64_t seed) {
  seed_ = seed;
  if (classes_ > 0) {
    z_ = class_grid_latents(Gan::sample_z(seed, class_grid_rows(count(), classes_), z_dim()), count(), classes_);
    labels_ = class_grid_labels(count(), classes_);
  } else {
    z_ = Gan::sample_z(seed, count(), z_dim());
  }
  regenerate_all();
}

std::vector<float> LatentGrid::seed_latent(int i, int* label) const {
  check(i);
  RowVector z;
  if (classes_ > 0) {
    z = class_grid_latents(Gan::sample_z(seed_, class_grid_rows(count(), classes_), z_dim()), count(), classes_).row(i);
    if (label) *label = class_grid_labels(count(), classes_)[static_cast<size_t>(i)];
  } else {
    z = Gan::sample_z(seed_, count(), z_dim()).row(i);
    if (label) *label = -1;
  }
  return std::vector<float>(z.data(), z.data() + z.size());
}

void LatentGrid::reset(int i) {
  int label = -1;
  const std::vector<float> z = seed_latent(i, &label);
  z_.row(check(i)) = Eigen::Map<const RowVector>(z.data(), z_dim());
  if (label >= 0) labels_[static_cast<size_t>(i)] = label;
  regenerate(i);
}

void LatentGrid::set_label(int i, int label) {
  if (label < 0 || label >= classes_)
    throw std::out_of_range(classes_ == 0 ? std::string("this generator is not class-conditional")
                                          : "class " + std::to_string(label) + " is outside 0.." + std::to_string(classes_ - 1));
  labels_[static_cast<size_t>(check(i))] = label;
  regenerate(i);
}

const float* LatentGrid::input(int i) {
  if (classes_ == 0) return z_.row(i).data();
  append_one_hot(z_.row(i), {labels_[static_cast<size_t>(i)]}, classes_, inputs_);
  return inputs_.data();
}

void LatentGrid::randomize(int i, uint64_t seed) {
  z_.row(check(i)) = Gan::sample_z(seed, 1, z_dim());
  regenerate(i);
}

void LatentGrid::set_value(int i, int dim, float value) {
  if (dim < 0 || dim >= z_dim()) throw std::out_of_range("latent dimension " + std::to_string(dim) + " is outside 0.." + std::to_string(z_dim() - 1));
  if (!std::isfinite(value)) throw std::invalid_argument("latent values must be finite numbers");
  z_(check(i), dim) = value;
  regenerate(i);
}

void LatentGrid::set_latent(int i, const float* z) {
  for (int d = 0; d < z_dim(); ++d)
    if (!std::isfinite(z[d])) throw std::invalid_argument("latent values must be finite numbers");
  z_.row(check(i)) = Eigen::Map<const RowVector>(z, z_dim());
  regenerate(i);
}

void LatentGrid::set_generator(DigitGenerator generator) {
  fast_ = std::move(generator);
  images_.resize(count(), fast_.out_features());
  const int classes = fast_.classes();
  if (classes == classes_ && fast_.z_dim() == z_dim()) {
    regenerate_all();
  } else {
    classes_ = classes;
    z_.resize(count(), fast_.z_dim());
    reseed(seed_);
  }
}

Matrix LatentGrid::draw(const Matrix& z, int label) {
  if (z.cols() != z_dim()) throw std::invalid_argument("draw: each latent vector needs " + std::to_string(z_dim()) + " values");
  if (!z.allFinite()) throw std::invalid_argument("latent values must be finite numbers");
  if (classes_ > 0 && (label < 0 || label >= classes_))
    throw std::out_of_range("class " + std::to_string(label) + " is outside 0.." + std::to_string(classes_ - 1));
  Matrix out(z.rows(), fast_.out_features()), input;
  if (classes_ > 0) append_one_hot(z, std::vector<int>(size_t(z.rows()), label), classes_, input);
  fast_.forward(classes_ > 0 ? input.data() : z.data(), static_cast<int>(z.rows()), out.data());
  return out;
}

std::vector<int> LatentGrid::take_changed() {
  std::vector<int> out;
  for (int i = 0; i < count(); ++i)
    if (changed_[i]) out.push_back(i);
  changed_.assign(count(), false);
  return out;
}

void LatentGrid::regenerate(int i) {
  fast_.forward(input(i), 1, images_.row(i).data());
  changed_[i] = true;
}

void LatentGrid::regenerate_all() {
  if (classes_ > 0) {
    append_one_hot(z_, labels_, classes_, inputs_);
    fast_.forward(inputs_.data(), count(), images_.data());
  } else {
    fast_.forward(z_.data(), count(), images_.data());
  }
  changed_.assign(count(), true);
}

std::vector<float> slerp(const float* a, const float* b, int n, float t) {
  double dot = 0, na = 0, nb = 0;
  for (int i = 0; i < n; ++i) {
    dot += double(a[i]) * b[i];
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  std::vector<float> out(n);
  const double cos_omega = (na > 0 && nb > 0) ? dot / std::sqrt(na * nb) : 1.0;
  const double omega = std::acos(std::fmax(-1.0, std::fmin(1.0, cos_omega)));
  double wa = 1 - t, wb = t;  // nearly parallel vectors: a straight line is the same path and has no 0/0
  if (std::sin(omega) > 1e-6) {
    wa = std::sin((1 - t) * omega) / std::sin(omega);
    wb = std::sin(t * omega) / std::sin(omega);
  }
  for (int i = 0; i < n; ++i) out[i] = static_cast<float>(wa * a[i] + wb * b[i]);
  return out;
}

}  // namespace gan
