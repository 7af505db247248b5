// parallel_chunks: every index in exactly one chunk, chunk starts on the alignment, for counts that do not divide.
#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

#include "parallel.h"

TEST_CASE("parallel_chunks covers every index exactly once", "[parallel]") {
  for (size_t n : {1, 2, 3, 13, 17, 97, 1000, 4099})
    for (size_t align : {1, 4, 16}) {
      INFO("n " << n << " align " << align);
      std::vector<std::atomic<int>> hits(n);
      std::atomic<bool> misaligned{false};
      gan::parallel_chunks(n, [&](size_t begin, size_t end) {
        if (begin % align != 0) misaligned = true;
        for (size_t i = begin; i < end; ++i) ++hits[i];
      }, align, 1);
      for (size_t i = 0; i < n; ++i) REQUIRE(hits[i] == 1);
      REQUIRE_FALSE(misaligned);
    }
}
