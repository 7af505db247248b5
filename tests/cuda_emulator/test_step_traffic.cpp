// What the GPU training loop asks of the host, counted by the emulated GPU: the issue's "no host round trip inside a
// training step beyond the losses you choose to log". Emulator only: a real GPU has no such counters.
#include <catch2/catch.hpp>

#include "cuda_trainer.h"
#include "emulator.h"
#include "gan.h"
#include "quality_metric.h"

using namespace gan;

TEST_CASE("cuda: a captured run is one graph launch a step, and reads back only the losses", "[emulated]") {
  for (const bool conditional : {false, true}) {
    INFO((conditional ? "conditional" : "seed") << " GAN");
    GanConfig config;
    config.seed = 5;
    config.batch = 8;
    config.classes = conditional ? 10 : 0;
    config.ema = 0.999;
    Gan gan(config);
    const Matrix images = uniform_noise(80, 42);  // 10 batches an epoch
    const std::vector<uint8_t> labels(80, 3);
    cuda::emulator::reset_counts();
    auto trainer = cuda::make_cuda_trainer(gan, images, conditional ? &labels : nullptr);
    // At small batches a step costs about a launch latency per node, so a change that adds nodes shows here (then
    // update docs/benchmarks.md too). The seed's step: 30 products and 31 kernels (the moving average adds none: it
    // runs inside G's Adam); the conditional GAN's one-hot inputs (3), label draw and removal of the label columns add
    // 5.
    CHECK(cuda::emulator::counts().graph_nodes == (conditional ? 66u : 61u));
    // What the GPU cannot overlap: the gather and the weight gradients (with the logits' bias gradient) run on the
    // side stream, taking 8 nodes off the longest chain.
    CHECK(cuda::emulator::counts().graph_depth == (conditional ? 58u : 53u));
    cuda::emulator::reset_counts();
    const std::vector<StepStats> stats = trainer->run(35);
    const cuda::emulator::Counts n = cuda::emulator::counts();
    CHECK(stats.size() == 35);
    CHECK(n.graph_launches == 35);  // the whole step, its copies included, is the one captured graph
    CHECK(n.on_device == 0);
    CHECK(n.allocations == 0);
    CHECK(n.to_host == 1);    // the ring of 35 steps' losses, once
    CHECK(n.to_device == 3);  // the shuffled order of each new epoch: steps 10, 20 and 30
    CHECK(n.waits == 3 + 1);  // before each order's upload, for the last one's copy; and for the losses
  }
}
