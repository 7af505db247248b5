// Gradient checks for Linear, the activations, dropout and whole MLPs; PyTorch's initialisation bounds.
#include <catch2/catch.hpp>
#include <cmath>

#include "activations.h"
#include "grad_check.h"
#include "linear.h"
#include "mlp.h"

using namespace gan;
using gan::testing::check_gradient;
using gan::testing::project;
using gan::testing::random_matrix;

TEST_CASE("Linear: PyTorch layout and initialisation bounds", "[layers]") {
  Linear l(100, 256);
  Rng rng(1);
  l.reset_parameters(rng);
  CHECK(l.weight.rows() == 256);
  CHECK(l.weight.cols() == 100);
  const float bound = 0.1f;
  CHECK(l.weight.maxCoeff() < bound);
  CHECK(l.weight.minCoeff() >= -bound);
  CHECK(l.weight.maxCoeff() > 0.99f * bound);
  CHECK(l.bias.cwiseAbs().maxCoeff() < bound);
  CHECK(std::fabs(l.weight.mean()) < 0.002f);
  Matrix x = random_matrix(3, 100, 2), y;
  l.forward(x, y);
  CHECK(y(1, 5) == Approx((x.row(1).dot(l.weight.row(5))) + l.bias(5)).epsilon(1e-5));
}

TEST_CASE("Linear: gradients match finite differences", "[layers][gradcheck]") {
  Linear l(7, 5);
  Rng rng(3);
  l.reset_parameters(rng);
  Matrix x = random_matrix(4, 7, 4), r = random_matrix(4, 5, 5), y, gx;
  auto f = [&] { l.forward(x, y); return project(y, r); };
  f();
  l.backward(x, r, &gx, true);
  CHECK(check_gradient(l.weight.data(), l.grad_weight.data(), l.weight.size(), f, 1e-2f, 1e-3, 1e-4) <= 1.0);
  CHECK(check_gradient(l.bias.data(), l.grad_bias.data(), l.bias.size(), f, 1e-2f, 1e-3, 1e-4) <= 1.0);
  CHECK(check_gradient(x.data(), gx.data(), x.size(), f, 1e-2f, 1e-3, 1e-4) <= 1.0);
}

TEST_CASE("LeakyReLU and Tanh: values and gradients", "[layers][gradcheck]") {
  Matrix x = random_matrix(5, 6, 6), r = random_matrix(5, 6, 7);
  Matrix y = x;
  leaky_relu_forward(y, 0.2f);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    CHECK(y.data()[i] == (x.data()[i] > 0 ? x.data()[i] : 0.2f * x.data()[i]));
  Matrix g = r;
  leaky_relu_backward(y, g, 0.2f);
  auto f_leaky = [&] { Matrix t = x; leaky_relu_forward(t, 0.2f); return project(t, r); };
  CHECK(check_gradient(x.data(), g.data(), x.size(), f_leaky, 1e-3f, 1e-3, 1e-4) <= 1.0);

  Matrix t = x;
  tanh_forward(t);
  CHECK(t(2, 3) == Approx(std::tanh(x(2, 3))).epsilon(1e-6));
  Matrix gt = r;
  tanh_backward(t, gt);
  auto f_tanh = [&] { Matrix u = x; tanh_forward(u); return project(u, r); };
  CHECK(check_gradient(x.data(), gt.data(), x.size(), f_tanh, 1e-2f, 1e-3, 1e-4) <= 1.0);
}

TEST_CASE("Dropout keeps about 1 - p and scales kept values and the gradient flows through kept ones only", "[layers]") {
  Matrix x = Matrix::Ones(200, 500), mask;
  Rng rng(8);
  dropout_forward(x, mask, 0.5f, rng);
  const double kept = (x.array() > 0).cast<double>().mean();
  CHECK(kept == Approx(0.5).margin(0.01));
  CHECK(x.maxCoeff() == 2.0f);
  CHECK(x.minCoeff() == 0.0f);
  Matrix g = Matrix::Ones(200, 500);
  dropout_backward(mask, g);
  CHECK(g == x);
  // The same stream gives the same mask.
  Matrix y = Matrix::Ones(200, 500), mask2;
  Rng again(8);
  dropout_forward(y, mask2, 0.5f, again);
  CHECK(mask2 == mask);
}

TEST_CASE("MLP with dropout and either head: gradients match finite differences", "[layers][gradcheck]") {
  for (Head head : {Head::Tanh, Head::Logit}) {
    MlpSpec spec{{6, 9, 8, 3}, 0.2f, head == Head::Logit ? 0.5f : 0.0f, head};
    Mlp net(spec);
    Rng init(9);
    net.reset_parameters(init);
    Matrix x = random_matrix(5, 6, 10), r = random_matrix(5, 3, 11), gx;
    const Rng noise(12);
    auto f = [&] { Rng n = noise; return project(net.forward(x, true, &n), r); };
    f();
    net.backward(r, &gx, true);
    auto params = net.params();
    for (size_t p = 0; p < params.size(); ++p) {
      INFO("parameter " << net.param_names()[p]);
      CHECK(check_gradient(params[p].value, params[p].grad, params[p].size, f, 1e-3f, 2e-3, 2e-4) <= 1.0);
    }
    CHECK(check_gradient(x.data(), gx.data(), x.size(), f, 1e-3f, 2e-3, 2e-4) <= 1.0);
  }
}

TEST_CASE("the seed's networks have PyTorch's state_dict names and shapes", "[layers]") {
  Mlp G(generator_spec()), D(discriminator_spec());
  CHECK(G.param_names() == std::vector<std::string>{"main.0.weight", "main.0.bias", "main.2.weight", "main.2.bias",
                                                    "main.4.weight", "main.4.bias", "main.6.weight", "main.6.bias"});
  CHECK(D.param_names() == std::vector<std::string>{"main.0.weight", "main.0.bias", "main.3.weight", "main.3.bias",
                                                    "main.6.weight", "main.6.bias", "main.9.weight", "main.9.bias"});
  CHECK(G.linear(0).weight.rows() == 256);
  CHECK(G.linear(0).weight.cols() == 100);
  CHECK(G.linear(3).weight.rows() == 784);
  CHECK(D.linear(0).weight.cols() == 784);
  CHECK(D.linear(3).weight.rows() == 1);
  size_t total = 0;
  for (size_t s : G.param_sizes()) total += s;
  CHECK(total == 1486352);  // the seed's generator: 1,486,352 parameters
  CHECK(G.spec().parameter_count() == 1486352);
  // The sizes come from the spec (DeviceMlp and the page use them without building an Mlp): they are the tensors'.
  for (const Mlp* net : {&G, &D})
    for (size_t i = 0; i < net->depth(); ++i) {
      CHECK(net->param_sizes()[2 * i] == size_t(net->linear(i).weight.size()));
      CHECK(net->param_sizes()[2 * i + 1] == size_t(net->linear(i).bias.size()));
    }
}

TEST_CASE("a training forward draws exactly MlpSpec::dropout_blocks from its stream", "[layers]") {
  // The CUDA backend lays a step's draws out by these counts, so they must be what the CPU takes.
  for (const int rows : {1, 7, 120}) {
    INFO(rows << " rows");
    Mlp D(discriminator_spec()), cond(discriminator_spec(10)), G(generator_spec());
    Rng init(3);
    D.reset_parameters(init);
    const Matrix x = random_matrix(rows, 784, 4);
    Rng rng(5, 11);
    D.forward(x, true, &rng);
    CHECK(rng.counter() - 11 == D.spec().dropout_blocks(rows));
    CHECK(D.spec().dropout_blocks(rows) == blocks_for_values(uint64_t(rows) * 1024) +
                                               blocks_for_values(uint64_t(rows) * 512) +
                                               blocks_for_values(uint64_t(rows) * 256));
    CHECK(cond.spec().dropout_blocks(rows) == D.spec().dropout_blocks(rows));  // the label joins the input only
    CHECK(G.spec().dropout_blocks(rows) == 0);
    // Out of training, nothing is drawn.
    D.forward(x, false, &rng);
    CHECK(rng.counter() - 11 == D.spec().dropout_blocks(rows));
  }
}
