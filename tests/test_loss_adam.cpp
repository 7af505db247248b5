// The loss from logits against BCELoss's formula, and Adam against values worked out from PyTorch's update.
#include <catch2/catch.hpp>
#include <cmath>

#include "adam.h"
#include "grad_check.h"
#include "loss.h"

using namespace gan;

TEST_CASE("BCE from logits equals BCELoss on sigmoid outputs and stays finite", "[loss]") {
  Matrix logits(5, 1);
  logits << -3.0f, -0.5f, 0.0f, 0.7f, 4.0f;
  for (float t : {0.0f, 1.0f}) {
    double expected = 0;
    for (int i = 0; i < 5; ++i) {
      const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(logits(i, 0))));
      expected += -(t * std::log(p) + (1 - t) * std::log(1 - p));
    }
    CHECK(bce_with_logits(logits, t) == Approx(expected / 5).epsilon(1e-6));
  }
  // Where sigmoid saturates to exactly 0 or 1 in float, BCELoss would need its -100 clamp; we stay finite and exact.
  Matrix huge(2, 1);
  huge << 200.0f, -200.0f;
  const double l1 = bce_with_logits(huge, 1.0f), l0 = bce_with_logits(huge, 0.0f);
  CHECK(std::isfinite(l1));
  CHECK(l1 == Approx(100.0).epsilon(1e-6));  // (0 + 200) / 2
  CHECK(l0 == Approx(100.0).epsilon(1e-6));
  Matrix g;
  bce_with_logits(huge, 1.0f, &g);
  CHECK(std::isfinite(g(0, 0)));
  CHECK(g(1, 0) == Approx(-0.5f));
}

TEST_CASE("BCE from logits: gradient matches finite differences", "[loss][gradcheck]") {
  Matrix logits(6, 1);
  logits << -2.0f, -0.3f, 0.1f, 0.9f, 2.5f, 6.0f;
  for (float t : {0.0f, 1.0f}) {
    Matrix g;
    bce_with_logits(logits, t, &g, 2.0f);
    auto f = [&] { return 2.0 * bce_with_logits(logits, t); };
    CHECK(gan::testing::check_gradient(logits.data(), g.data(), 6, f, 1e-2f, 1e-3, 1e-5) <= 1.0);
  }
}

TEST_CASE("Adam follows PyTorch's update exactly (values worked out by hand)", "[adam]") {
  // torch.optim.Adam([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8) with p = 1 and grads 0.5, -0.25, 0.001:
  //   t=1: m = 0.05,   v = 0.00025,      p = 1 - 0.1/0.1 * 0.05 / (sqrt(0.00025)/sqrt(0.001) + 1e-8) = 0.900000002
  //   t=2: m = 0.02,   v = 0.00031225,   p = 0.873366298707846
  //   t=3: m = 0.0181, v = 0.00031193875, p = 0.852664024783447
  Adam adam(AdamConfig{0.1, 0.9, 0.999, 1e-8}, {1});
  float p = 1.0f, g = 0.0f;
  const double grads[3] = {0.5, -0.25, 1e-3};
  const double expected_m[3] = {0.05, 0.02, 0.0181};
  const double expected_v[3] = {0.00025, 0.00031225, 0.00031193875};
  const double expected_p[3] = {0.900000002, 0.873366298707846, 0.852664024783447};
  for (int t = 0; t < 3; ++t) {
    g = static_cast<float>(grads[t]);
    adam.step({{&p, &g, 1}});
    CHECK(adam.steps() == t + 1);
    CHECK(adam.exp_avg(0)(0) == Approx(expected_m[t]).epsilon(1e-6));
    CHECK(adam.exp_avg_sq(0)(0) == Approx(expected_v[t]).epsilon(1e-6));
    CHECK(p == Approx(expected_p[t]).epsilon(1e-6));
  }
}

TEST_CASE("Adam with the seed's settings: first step moves each parameter by lr against its gradient's sign", "[adam]") {
  Adam adam(AdamConfig{}, {3});
  float p[3] = {0.1f, 0.2f, 0.3f};
  const float g[3] = {2.0f, -1e-3f, 0.0f};
  adam.step({{p, g, 3}});
  // With bias correction, step one is lr * g / (|g| + eps') = lr * sign(g) for |g| >> eps.
  CHECK(p[0] == Approx(0.1f - 2e-4f).epsilon(1e-5));
  CHECK(p[1] == Approx(0.2f + 2e-4f).epsilon(1e-5));
  CHECK(p[2] == 0.3f);
}
