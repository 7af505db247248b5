// The layer list: im2col's adjoint, Conv2d and ConvTranspose2d against nested loops, every layer's gradients by
// finite differences, BatchNorm's running statistics, and the seed's MLPs as layer lists, bit for bit.
#include <catch2/catch.hpp>
#include <cmath>

#include "architectures.h"
#include "conv_geometry.h"
#include "grad_check.h"
#include "mlp.h"
#include "network.h"

using namespace gan;
using gan::testing::check_gradient;
using gan::testing::project;
using gan::testing::random_matrix;

namespace {


// Conv2d by its definition: out[o][y][x] = b[o] + sum_{c,ky,kx} w[o][c][ky][kx] * in[c][y*s-p+ky][x*s-p+kx].
Matrix conv2d_reference(const Matrix& x, Shape in, const LayerSpec& s, const float* w, const float* b, Shape out) {
  Matrix y = Matrix::Zero(x.rows(), out.size());
  for (Eigen::Index n = 0; n < x.rows(); ++n)
    for (int o = 0; o < out.channels; ++o)
      for (int oy = 0; oy < out.height; ++oy)
        for (int ox = 0; ox < out.width; ++ox) {
          double acc = b ? b[o] : 0;
          for (int c = 0; c < in.channels; ++c)
            for (int ky = 0; ky < s.kernel; ++ky)
              for (int kx = 0; kx < s.kernel; ++kx) {
                const int iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
                if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width) continue;
                acc += double(w[((o * in.channels + c) * s.kernel + ky) * s.kernel + kx]) *
                       x(n, (c * in.height + iy) * in.width + ix);
              }
          y(n, (o * out.height + oy) * out.width + ox) = static_cast<float>(acc);
        }
  return y;
}

// ConvTranspose2d by its definition: every input value scatters w[c][o] into the output at (y*s-p+ky, x*s-p+kx).
Matrix conv_transpose2d_reference(const Matrix& x, Shape in, const LayerSpec& s, const float* w, const float* b,
                                  Shape out) {
  Eigen::MatrixXd y = Eigen::MatrixXd::Zero(x.rows(), out.size());
  for (Eigen::Index n = 0; n < x.rows(); ++n) {
    for (int o = 0; o < out.channels; ++o)
      for (int p = 0; p < out.height * out.width; ++p) y(n, o * out.height * out.width + p) = b ? b[o] : 0;
    for (int c = 0; c < in.channels; ++c)
      for (int iy = 0; iy < in.height; ++iy)
        for (int ix = 0; ix < in.width; ++ix)
          for (int o = 0; o < out.channels; ++o)
            for (int ky = 0; ky < s.kernel; ++ky)
              for (int kx = 0; kx < s.kernel; ++kx) {
                const int oy = iy * s.stride - s.padding + ky, ox = ix * s.stride - s.padding + kx;
                if (oy < 0 || oy >= out.height || ox < 0 || ox >= out.width) continue;
                y(n, (o * out.height + oy) * out.width + ox) +=
                    double(w[((c * out.channels + o) * s.kernel + ky) * s.kernel + kx]) *
                    x(n, (c * in.height + iy) * in.width + ix);
              }
  }
  return y.cast<float>();
}

// Every parameter's and the input's gradient of sum(layer(x) .* r) against central differences.
void check_layer_gradients(const LayerSpec& spec, Shape in, int batch, bool train, uint64_t seed) {
  Network net({spec}, in);
  Rng init(seed);
  net.reset_parameters(init, Init::PyTorchDefault);
  for (auto& t : net.parameters()) {  // off the defaults (BatchNorm starts at 1 and 0), so every term matters
    Matrix noise = random_matrix(1, static_cast<int>(t.tensor.size), seed + 7, 0.3f);
    for (size_t k = 0; k < t.tensor.size; ++k) t.tensor.value[k] += noise(0, static_cast<Eigen::Index>(k));
  }
  Matrix x = random_matrix(batch, in.size(), seed + 1);
  const Matrix r = random_matrix(batch, net.output_shape().size(), seed + 2);
  // BatchNorm in training mode updates its running statistics on every forward: probe a copy.
  auto loss = [&] {
    Network probe(net);
    return project(probe.forward(x, train), r);
  };
  Network trained(net);
  trained.forward(x, train);
  Matrix grad_x;
  trained.backward(r, &grad_x, true);
  auto mine = net.parameters();
  auto theirs = trained.parameters();
  for (size_t p = 0; p < mine.size(); ++p) {
    INFO(pytorch_module(spec, in) << " " << mine[p].name);
    CHECK(check_gradient(mine[p].tensor.value, theirs[p].tensor.grad, mine[p].tensor.size, loss, 1e-2f, 2e-2, 2e-3) <= 1.0);
  }
  INFO(pytorch_module(spec, in) << " input");
  CHECK(check_gradient(x.data(), grad_x.data(), static_cast<size_t>(x.size()), loss, 1e-2f, 2e-2, 2e-3) <= 1.0);
}

}  // namespace

TEST_CASE("im2col and col2im are each other's adjoint, padding and odd sizes included", "[network]") {
  for (ConvGeometry g : {ConvGeometry{3, 7, 5, 3, 2, 1}, ConvGeometry{2, 6, 6, 4, 2, 1}, ConvGeometry{1, 1, 1, 3, 1, 1},
                         ConvGeometry{4, 5, 9, 2, 3, 0}}) {
    REQUIRE(g.valid());
    const Matrix image = random_matrix(1, g.channels * g.height * g.width, 1);
    const Matrix cols = random_matrix(1, g.patch() * g.positions(), 2);
    Matrix unrolled(1, cols.size());
    im2col(g, image.data(), unrolled.data());
    Matrix folded = Matrix::Zero(1, image.size());
    col2im(g, cols.data(), folded.data());
    // <im2col(image), cols> == <image, col2im(cols)>
    CHECK(project(unrolled, cols) == Approx(project(image, folded)).epsilon(1e-5));
    // The fold from the transposed matrix [positions, patch] gives the same image, up to the order of each sum.
    const Matrix by_position = Eigen::Map<const Matrix>(cols.data(), g.patch(), g.positions()).transpose();
    Matrix folded_by_position = Matrix::Zero(1, image.size());
    col2im_by_position(g, by_position.data(), folded_by_position.data());
    CHECK((folded_by_position - folded).cwiseAbs().maxCoeff() <= 1e-5f);
  }
}

TEST_CASE("Conv2d and ConvTranspose2d agree with their definitions as nested loops", "[network]") {
  struct Case { Shape in; LayerSpec spec; };
  const Case cases[] = {
      {{1, 28, 28}, conv2d(64, 4, 2, 1)},          {{3, 7, 5}, conv2d(4, 3, 2, 1)},
      {{2, 9, 6}, conv2d(5, 2, 3, 0, false)},      {{128, 7, 7}, conv_transpose2d(64, 4, 2, 1)},
      {{3, 5, 4}, conv_transpose2d(2, 3, 2, 1)},   {{2, 3, 3}, conv_transpose2d(3, 4, 1, 0, false)},
      // patches of 128 and more, which fold by input position: an odd kernel, and 4 x 4 with stride 3
      {{3, 5, 4}, conv_transpose2d(16, 3, 2, 1)},  {{2, 4, 3}, conv_transpose2d(8, 4, 3, 0)},
  };
  for (const Case& c : cases) {
    Network net({c.spec}, c.in);
    Rng rng(3);
    net.reset_parameters(rng, Init::PyTorchDefault);
    const auto params = net.parameters();
    const float* w = params[0].tensor.value;
    const float* b = params.size() > 1 ? params[1].tensor.value : nullptr;
    const Matrix x = random_matrix(3, c.in.size(), 4);
    const Matrix y = net.forward(x, false);
    const Matrix want = c.spec.kind == LayerSpec::Kind::Conv2d
                            ? conv2d_reference(x, c.in, c.spec, w, b, net.output_shape())
                            : conv_transpose2d_reference(x, c.in, c.spec, w, b, net.output_shape());
    INFO(pytorch_module(c.spec, c.in) << " -> " << net.output_shape().str());
    CHECK((y - want).cwiseAbs().maxCoeff() <= 1e-5f * (1 + want.cwiseAbs().maxCoeff()));
  }
}

TEST_CASE("every layer's gradients match finite differences", "[network][gradcheck]") {
  SECTION("Linear, with and without bias") {
    check_layer_gradients(linear(7), {5, 1, 1}, 4, true, 10);
    check_layer_gradients(linear(3, false), {2, 2, 2}, 3, true, 11);
  }
  SECTION("Conv2d") {
    check_layer_gradients(conv2d(4, 3, 2, 1), {3, 7, 5}, 2, true, 12);
    check_layer_gradients(conv2d(3, 4, 2, 1, false), {2, 8, 8}, 2, true, 13);
  }
  SECTION("ConvTranspose2d") {
    check_layer_gradients(conv_transpose2d(3, 4, 2, 1), {4, 3, 3}, 2, true, 14);
    check_layer_gradients(conv_transpose2d(2, 3, 2, 1, false), {3, 4, 5}, 2, true, 15);
  }
  SECTION("BatchNorm1d and BatchNorm2d, in training and in evaluation mode") {
    check_layer_gradients(batch_norm(), {6, 1, 1}, 5, true, 16);
    check_layer_gradients(batch_norm(), {6, 1, 1}, 5, false, 17);
    check_layer_gradients(batch_norm(), {3, 4, 3}, 3, true, 18);
    check_layer_gradients(batch_norm(), {3, 4, 3}, 3, false, 19);
  }
  SECTION("ReLU, LeakyReLU, Tanh, Reshape") {
    check_layer_gradients(relu(), {9, 1, 1}, 3, true, 20);
    check_layer_gradients(leaky_relu(0.2f), {9, 1, 1}, 3, true, 21);
    check_layer_gradients(tanh_layer(), {9, 1, 1}, 3, true, 22);
    check_layer_gradients(reshape({2, 3, 3}), {18, 1, 1}, 2, true, 23);
  }
}

TEST_CASE("BatchNorm keeps PyTorch's running statistics and normalises with them in evaluation mode", "[network]") {
  Network bn({batch_norm()}, {2, 3, 1});
  const Matrix x = random_matrix(4, 6, 5, 2.0f);
  const Matrix y = bn.forward(x, true);
  // Channel 0 is columns 0..2 of every row: 12 values.
  double mean = 0, sq = 0;
  for (int i = 0; i < 4; ++i)
    for (int s = 0; s < 3; ++s) mean += x(i, s);
  mean /= 12;
  for (int i = 0; i < 4; ++i)
    for (int s = 0; s < 3; ++s) sq += (x(i, s) - mean) * (x(i, s) - mean);
  const auto buffers = bn.buffers();
  REQUIRE(buffers.size() == 2);
  CHECK(buffers[0].name == "main.0.running_mean");
  CHECK(buffers[0].tensor.value[0] == Approx(0.1 * mean).epsilon(1e-5));
  CHECK(buffers[1].tensor.value[0] == Approx(0.9 + 0.1 * sq / 11).epsilon(1e-5));  // unbiased, as PyTorch keeps it
  CHECK(y(0, 0) == Approx((x(0, 0) - mean) / std::sqrt(sq / 12 + 1e-5)).epsilon(1e-4));
  const Matrix e = bn.forward(x, false);
  CHECK(e(0, 0) == Approx((x(0, 0) - buffers[0].tensor.value[0]) / std::sqrt(buffers[1].tensor.value[0] + 1e-5)).epsilon(1e-4));
}

namespace {

bool same_layers(const std::vector<LayerSpec>& a, const std::vector<LayerSpec>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].out != b[i].out || a[i].bias != b[i].bias || a[i].value != b[i].value)
      return false;
  return true;
}

}  // namespace

TEST_CASE("the seed's MLPs are the layer lists architectures.cpp describes, seen by their Linear layers",
          "[network]") {
  for (const char* name : {"seed", "conditional"}) {
    INFO(name);
    const Architecture arch = find_architecture(name);
    REQUIRE(arch.engine == Architecture::Engine::Mlp);
    Mlp G(generator_spec(100, arch.classes)), D(discriminator_spec(arch.classes));
    // The Mlp runs exactly the described modules (D with its three Dropout(0.5)), on the described input.
    CHECK(same_layers(G.network().specs(), arch.generator));
    CHECK(same_layers(D.network().specs(), arch.discriminator));
    CHECK(G.network().input_shape() == arch.generator_input());
    CHECK(D.network().input_shape() == arch.discriminator_input());
    // Its names are the network's state_dict names, and linear(i) is the storage of the i-th Linear module.
    const auto tensors = D.network().parameters();
    REQUIRE(tensors.size() == D.param_names().size());
    for (size_t p = 0; p < tensors.size(); ++p) CHECK(tensors[p].name == D.param_names()[p]);
    for (size_t i = 0; i < D.depth(); ++i) CHECK(D.linear(i).weight.data() == tensors[2 * i].tensor.value);
    // layer_output(i) is the i-th Linear's output after its activation and dropout.
    Rng init(9), rng(10);
    D.reset_parameters(init);
    const Matrix x = random_matrix(8, arch.discriminator_input().size(), 11);
    D.forward(x, true, &rng);
    CHECK(&D.layer_output(0) == &D.network().layer_output(2));
    CHECK(&D.layer_output(D.depth() - 1) == &D.network().layer_output(D.network().size() - 1));
    CHECK((D.layer_output(1).array() == 0).count() > 0);  // dropped units
  }
  // The MLPs have exactly these widths.
  CHECK(generator_spec().widths == std::vector<int>{100, 256, 512, 1024, 784});
  CHECK(discriminator_spec(10).widths == std::vector<int>{794, 1024, 512, 256, 1});
  CHECK(discriminator_spec().dropout == 0.5f);
  CHECK_THROWS_AS(mlp_spec(find_architecture("dcgan").generator, 100, 0), std::logic_error);
}

TEST_CASE("backward over part of the batch: the other rows count as zero, and BatchNorm refuses", "[network]") {
  const std::vector<LayerSpec> specs{conv2d(3, 3, 2, 1), leaky_relu(0.2f), dropout(0.5f), conv_transpose2d(2, 4, 2, 1),
                                     tanh_layer(), flatten(), linear(5)};
  Network net(specs, {2, 6, 6});
  Rng init(4);
  net.reset_parameters(init, Init::PyTorchDefault);
  const Matrix x = random_matrix(7, net.input_shape().size(), 5);
  Rng rng(6);
  net.forward(x, true, &rng);
  const Matrix part = random_matrix(3, 5, 7);  // rows 2, 3 and 4
  Matrix whole = Matrix::Zero(7, 5);
  whole.middleRows(2, 3) = part;
  Matrix grad_whole, grad_part;
  net.backward(whole, &grad_whole, true);
  std::vector<std::vector<float>> want;
  for (const ParamRef& p : net.params()) want.emplace_back(p.grad, p.grad + p.size);
  net.backward(part, &grad_part, true, false, 2);
  CHECK(grad_part == grad_whole.middleRows(2, 3));
  const auto got = net.params();
  for (size_t p = 0; p < got.size(); ++p)
    for (size_t k = 0; k < got[p].size; ++k) CHECK(got[p].grad[k] == Approx(want[p][k]).margin(1e-6));
  CHECK_THROWS_AS(net.backward(part, nullptr, true, false, 5), std::logic_error);  // rows 5-7 of 7

  Network normed({linear(4), batch_norm()}, {3, 1, 1});
  Rng init2(8);
  normed.reset_parameters(init2, Init::Dcgan);
  const Matrix input = random_matrix(6, 3, 9);  // the network keeps a pointer to its input for backward
  normed.forward(input, true);
  CHECK_THROWS_WITH(normed.backward(random_matrix(3, 4, 10), nullptr, true, false, 3),
                    Catch::Contains("BatchNorm's backward takes the whole batch"));
}
