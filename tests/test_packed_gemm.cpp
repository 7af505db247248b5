// The packed GEMM against Eigen's product: every transposition, sizes that are not multiples of the tile, depths
// past one block, accumulation and strided operands (tolerance: gemm_check.h).
#include <catch2/catch.hpp>

#include "gemm_check.h"
#include "packed_gemm.h"

using namespace gan;

namespace {

void check(int m, int n, int k, bool ta, bool tb, bool accumulate) {
  check_gemm([](int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate) {
    packed_gemm(m, n, k, a, b, c, ldc, accumulate);
  }, m, n, k, ta, tb, accumulate);
}

}  // namespace

TEST_CASE("packed GEMM matches Eigen for every transposition and awkward sizes", "[gemm]") {
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (bool accumulate : {false, true}) {
        check(1, 1, 1, ta, tb, accumulate);
        check(5, 13, 7, ta, tb, accumulate);
        check(4, 8, 256, ta, tb, accumulate);
        check(7, 9, 257, ta, tb, accumulate);
        check(60, 100, 784, ta, tb, accumulate);
      }
}

TEST_CASE("packed GEMM at the seed's training shapes", "[gemm]") {
  check(120, 1024, 784, false, true, false);  // D's first layer forward: x W^T
  check(1024, 784, 120, true, false, false);  // its weight gradient: dY^T x
  check(60, 784, 1024, false, false, false);  // G's last layer, input gradient: dY W
  check(120, 1, 256, false, true, false);     // D's logit head
}

TEST_CASE("packed GEMM with no depth gives zeros, or leaves C alone when accumulating", "[gemm]") {
  check_gemm_empty_sum([](int m, int n, int k, GemmOperand a, GemmOperand b, float* c, int ldc, bool accumulate) {
    packed_gemm(m, n, k, a, b, c, ldc, accumulate);
  });
}

TEST_CASE("a few rows read B where it lies and sum exactly as the packed panels do", "[gemm]") {
  // Rows 0..m-1 of a 12-row product (B packed: three strips) against the same rows alone (B read in place), with
  // B a block of a wider matrix (its rows 803 apart) and a depth past one block.
  const int n = 37, k = 300;
  const Matrix a = Gan::sample_z(3, 12, k);
  const Matrix b_wide = Gan::sample_z(4, k, 803);
  Matrix tall(12, n);
  packed_gemm(12, n, k, {a.data(), k}, {b_wide.data(), 803}, tall.data(), n);
  for (int m : {1, 4, 5, 8}) {
    INFO("rows " << m);
    Matrix few(m, n);
    packed_gemm(m, n, k, {a.data(), k}, {b_wide.data(), 803}, few.data(), n);
    REQUIRE(few == tall.topRows(m));
  }
}
