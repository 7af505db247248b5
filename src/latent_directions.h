// Named directions in latent space (InterFaceGAN's linear fit): the way to move z that changes one attribute of the
// digit most while changing its class least, and what moving along it measurably does.
#pragma once
#include <vector>

#include "digit_attributes.h"
#include "digit_classifier.h"
#include "quality_metric.h"
#include "tensor.h"

namespace gan {

struct LatentDirection {
  Attribute attribute;
  RowVector direction;  // unit length, z_dim values
};

// The class scores fit_directions projects out: the classifier's log-probabilities of each digit ([N, 10]).
Matrix class_scores(DigitClassifier& judge, const Matrix& digits);

// From latent vectors z [N, z_dim], their digits' attributes [N, kAttributes] and their class scores [N, C] (the
// classifier's log-probabilities; no columns for none): per attribute, the ridge regression of the attribute on z,
// with the span of the class scores' own regression directions projected out, scaled to unit length.
std::vector<LatentDirection> fit_directions(const Matrix& z, const Matrix& attributes, const Matrix& class_scores);

struct DirectionEffect {
  double change = 0;      // mean change of the attribute, in its unit
  double class_kept = 0;  // share of digits the classifier gives the same class before and after
};

// Draws the digits of z (with `labels` for a conditional generator) once, and of z + step * direction for each
// direction, and measures each move.
std::vector<DirectionEffect> measure_direction_effects(const DigitSource& draw, DigitClassifier& judge, const Matrix& z,
                                                       const std::vector<int>* labels,
                                                       const std::vector<LatentDirection>& directions, float step);

}  // namespace gan
