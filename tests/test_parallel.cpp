// parallel_chunks: every index in exactly one chunk, chunk starts on the alignment, for counts that do not divide;
// the helper pool: every part once, job after job and after its helpers slept; polling for work while kept warm.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "parallel.h"
#include "thread_pool.h"

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

TEST_CASE("the helper pool runs every part exactly once, job after job", "[parallel]") {
  gan::release_pool();  // the helpers start (natively too: plain C++ threads)
  std::vector<std::atomic<int>> hits(97);
  for (int round = 0; round < 2000; ++round) {
    const size_t parts = 1 + static_cast<size_t>(round) % hits.size();
    for (size_t p = 0; p < parts; ++p) hits[p] = 0;
    gan::run_on_pool(parts, [&](size_t p) { ++hits[p]; });
    for (size_t p = 0; p < parts; ++p) REQUIRE(hits[p] == 1);
  }
}

TEST_CASE("the helper pool takes jobs again after its helpers went to sleep", "[parallel]") {
  gan::release_pool();
  // Between jobs the helpers sleep on a condition variable: a job after a pause must wake them (or be done by the
  // caller), never hang or lose a part.
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    std::vector<std::atomic<int>> hits(16);
    gan::run_on_pool(hits.size(), [&](size_t p) { ++hits[p]; });
    for (auto& h : hits) REQUIRE(h == 1);
  }
}

TEST_CASE("helpers kept warm poll for work, share it, and go back to sleep after the window", "[parallel]") {
  using namespace std::chrono_literals;
  gan::release_pool();
  if (gan::pool_threads() < 2) return;  // a one-core machine has no helpers
  // The helpers come up in the background: polling is reported only once they run.
  for (int i = 0; i < 200 && !gan::pool_polling(); ++i) {
    gan::keep_pool_warm(100);
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(gan::pool_polling());
  // A polling helper takes parts of the next job (each part long enough that the caller cannot take them all).
  std::mutex m;
  std::set<std::thread::id> ran_on;
  std::vector<std::atomic<int>> hits(40);
  gan::run_on_pool(hits.size(), [&](size_t p) {
    ++hits[p];
    std::this_thread::sleep_for(1ms);
    std::lock_guard<std::mutex> lock(m);
    ran_on.insert(std::this_thread::get_id());
  });
  for (auto& h : hits) REQUIRE(h == 1);
  REQUIRE(ran_on.size() == gan::pool_threads());
  // After the window they sleep, and the next job still runs every part once.
  std::this_thread::sleep_for(400ms);
  REQUIRE_FALSE(gan::pool_polling());
  for (auto& h : hits) h = 0;
  gan::run_on_pool(hits.size(), [&](size_t p) { ++hits[p]; });
  for (auto& h : hits) REQUIRE(h == 1);
}
