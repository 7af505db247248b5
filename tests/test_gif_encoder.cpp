// The GIF encoder against an independent decoder (stb_image): every pixel, the frame count and the delays come back.
#include <catch2/catch.hpp>

#include <stb/stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "digit_animation.h"
#include "gif_encoder.h"
#include "image_grid.h"
#include "rng.h"

using namespace gan;

namespace {

using Frame = std::vector<uint8_t>;

struct DecodedGif {
  int width = 0, height = 0;
  std::vector<Frame> frames;  // grey, checked to be r = g = b with full alpha
  std::vector<int> delays_ms;
};

// Decodes to RGBA so that a wrong palette entry (not grey, or not opaque) shows up too.
DecodedGif decode(const std::vector<uint8_t>& gif) {
  int* delays = nullptr;
  int width = 0, height = 0, count = 0, channels = 0;
  stbi_uc* rgba = stbi_load_gif_from_memory(gif.data(), int(gif.size()), &delays, &width, &height, &count, &channels, 4);
  if (!rgba) FAIL("stb_image could not decode the GIF: " << stbi_failure_reason());
  DecodedGif out;
  out.width = width;
  out.height = height;
  const size_t pixels = size_t(width) * size_t(height);
  bool grey_and_opaque = true;
  for (int f = 0; f < count; ++f) {
    const stbi_uc* p = rgba + size_t(f) * pixels * 4;
    Frame frame(pixels);
    for (size_t i = 0; i < pixels; ++i, p += 4) {
      frame[i] = p[0];
      grey_and_opaque = grey_and_opaque && p[1] == p[0] && p[2] == p[0] && p[3] == 255;
    }
    out.frames.push_back(std::move(frame));
    out.delays_ms.push_back(delays ? delays[f] : -1);
  }
  stbi_image_free(rgba);
  stbi_image_free(delays);
  CHECK(grey_and_opaque);
  return out;
}

// Uniform random bytes: incompressible, so LZW fills its 4096-code table and clears it again and again.
Frame noise(size_t size, uint64_t seed) {
  Rng rng(seed);
  Frame frame(size);
  for (size_t i = 0; i < size; ++i) frame[i] = uint8_t(rng.block(i / 4)[i % 4] & 0xFF);
  return frame;
}

// Every grey value in turn, then again shifted, so that all 256 levels appear in many contexts.
Frame all_levels(size_t size) {
  Frame frame(size);
  for (size_t i = 0; i < size; ++i) frame[i] = uint8_t((i + i / 256) % 256);
  return frame;
}

// Long runs broken at irregular places: strings grow long and the decoder meets codes it has not finished making.
Frame runs(size_t size) {
  Frame frame(size);
  for (size_t i = 0; i < size; ++i) frame[i] = uint8_t((i / 37) % 3 == 0 ? 0 : (i * i / 1000) % 2 == 0 ? 255 : 128);
  return frame;
}

// The file's blocks as a strict reader sees them. stb_image forgives a lot (it stops at the last pixel), so this walks
// every block to the trailer and keeps each frame's delay and LZW code stream (its sub-blocks joined).
struct GifBlocks {
  std::vector<int> delays_centiseconds;
  std::vector<std::vector<uint8_t>> code_streams;
  int loop_extensions = 0;
};

GifBlocks read_blocks(const std::vector<uint8_t>& gif, int width, int height) {
  size_t at = 13 + 3 * 256;  // header, screen descriptor and the global colour table
  REQUIRE(gif.size() > at);
  CHECK(gif[10] == 0xF7);  // a global table of 256 entries
  const auto byte = [&]() {
    if (at >= gif.size()) FAIL("the GIF ends before its trailer");
    return gif[at++];
  };
  const auto u16 = [&]() {
    const int low = byte();  // two statements: the operands of | are read in no fixed order
    return low | (byte() << 8);
  };
  const auto sub_blocks = [&]() {
    std::vector<uint8_t> data;
    for (int length = byte(); length != 0; length = byte())
      for (int i = 0; i < length; ++i) data.push_back(byte());
    return data;
  };
  GifBlocks blocks;
  for (int kind = byte(); kind != 0x3B; kind = byte()) {
    if (kind == 0x21) {
      const int label = byte();
      const std::vector<uint8_t> data = sub_blocks();
      if (label == 0xF9) {
        REQUIRE(data.size() == 4);
        blocks.delays_centiseconds.push_back(data[1] | (data[2] << 8));
      } else {
        REQUIRE(label == 0xFF);
        REQUIRE(data.size() == 11 + 3);
        CHECK(std::string(data.begin(), data.begin() + 11) == "NETSCAPE2.0");
        CHECK(data[11] == 1);
        CHECK((data[12] | (data[13] << 8)) == 0);  // loop forever
        ++blocks.loop_extensions;
      }
    } else {
      REQUIRE(kind == 0x2C);
      CHECK(u16() == 0);
      CHECK(u16() == 0);
      CHECK(u16() == width);
      CHECK(u16() == height);
      CHECK(byte() == 0);  // no local colour table
      CHECK(byte() == 8);  // minimum code size
      blocks.code_streams.push_back(sub_blocks());
    }
  }
  CHECK(at == gif.size());  // nothing after the trailer
  return blocks;
}

struct CodeCounts {
  int codes = 0;   // pixel codes, without clear and end codes
  int clears = 0;  // clear codes after the first
  bool end_code_wider = false;  // the last pixel code filled the width, so the end code came one bit wider
};

// Reads a frame's codes at the widths a decoder expects, tracking only the width (not the strings): the stream must
// open with a clear code, never refer past the next free entry, clear before the table passes 4096 entries, and
// close with the end code followed only by the zero bits that fill its last byte.
CodeCounts check_code_stream(const std::vector<uint8_t>& data) {
  size_t bit = 0;
  const auto read = [&](int width) {
    if (bit + size_t(width) > data.size() * 8) FAIL("the code stream ends without an end code");
    int code = 0;
    for (int i = 0; i < width; ++i, ++bit) code |= ((data[bit / 8] >> (bit % 8)) & 1) << i;
    return code;
  };
  const int clear = 256, end = 257;
  int width = 9, next_free = clear + 2;
  bool first_after_clear = true;
  REQUIRE(read(width) == clear);
  CodeCounts counts;
  for (int code = read(width); code != end; code = read(width)) {
    counts.end_code_wider = false;
    if (code == clear) {
      width = 9, next_free = clear + 2, first_after_clear = true;
      ++counts.clears;
      continue;
    }
    ++counts.codes;
    if (first_after_clear) {
      if (code >= clear) FAIL("code " << code << " right after a clear code");  // only single pixels are known
      first_after_clear = false;
    } else {
      if (code > next_free) FAIL("code " << code << " is past the next free entry " << next_free);
      if (next_free == 4096) FAIL("the table is full and no clear code came");
      ++next_free;  // the decoder makes its entry for the previous code now
    }
    if (next_free == (1 << width) && width < 12) {
      ++width;
      counts.end_code_wider = true;
    }
  }
  CHECK(data.size() == (bit + 7) / 8);
  int padding = 0;
  for (; bit < data.size() * 8; ++bit) padding |= (data[bit / 8] >> (bit % 8)) & 1;
  CHECK(padding == 0);
  return counts;
}

// Decodes the frames both with stb_image (pixels and delays) and with the strict block and code readers above;
// returns each frame's code counts.
std::vector<CodeCounts> check_round_trip(const std::vector<Frame>& frames, int width, int height,
                                         int delay_centiseconds) {
  const std::vector<uint8_t> bytes = encode_gray_gif(frames, width, height, delay_centiseconds);
  const GifBlocks blocks = read_blocks(bytes, width, height);
  CHECK(blocks.loop_extensions == 1);
  REQUIRE(blocks.code_streams.size() == frames.size());
  CHECK(blocks.delays_centiseconds == std::vector<int>(frames.size(), delay_centiseconds));
  std::vector<CodeCounts> counts;
  for (const auto& stream : blocks.code_streams) counts.push_back(check_code_stream(stream));

  const DecodedGif gif = decode(bytes);
  REQUIRE(gif.width == width);
  REQUIRE(gif.height == height);
  REQUIRE(gif.frames.size() == frames.size());
  for (size_t f = 0; f < frames.size(); ++f) {
    INFO("frame " << f);
    CHECK(gif.frames[f] == frames[f]);
    CHECK(gif.delays_ms[f] == delay_centiseconds * 10);
  }
  return counts;
}

}  // namespace

TEST_CASE("GIF frames of noise, every grey level, runs and one constant grey decode pixel for pixel", "[gif]") {
  const int side = 200;
  const size_t size = size_t(side) * side;
  // 40000 noisy pixels take about ten times the 4096 codes a dictionary holds.
  const auto counts =
      check_round_trip({noise(size, 1), all_levels(size), Frame(size, 137), runs(size), noise(size, 2)}, side, side, 7);
  CHECK(counts[0].clears >= 5);
  CHECK(counts[4].clears >= 5);
  CHECK(counts[2].clears == 0);  // one grey: strings of 1, 2, 3... pixels, about 280 codes
}

TEST_CASE("GIF frames that are not square keep their rows and columns apart", "[gif]") {
  const int width = 37, height = 23;
  const size_t size = size_t(width) * height;
  check_round_trip({all_levels(size), noise(size, 3)}, width, height, 25);
  check_round_trip({noise(size, 4)}, height, width, 25);
  // One row and one column: the smallest frames that still need many codes.
  check_round_trip({all_levels(300)}, 300, 1, 3);
  check_round_trip({all_levels(300)}, 1, 300, 3);
}

TEST_CASE("GIF frames of a single pixel, at both ends of the grey scale", "[gif]") {
  check_round_trip({Frame{0}}, 1, 1, 1);
  check_round_trip({Frame{255}, Frame{0}, Frame{128}}, 1, 1, 50);
}

TEST_CASE("GIF frames whose code count lands on each code-width boundary", "[gif]") {
  // Noise of n pixels takes a little under n codes (few pixel pairs repeat). Windows of n around 512, 1024 and 2048
  // codes and the clear at 4096 make the last pixel's code and the end code meet every width change.
  const std::vector<std::pair<size_t, size_t>> windows{{240, 290}, {740, 830}, {1760, 1900}, {3800, 4050}};
  int end_code_wider = 0, cleared = 0;
  for (const auto& [from, to] : windows)
    for (size_t n = from; n < to; ++n) {
      INFO("pixels " << n);
      const CodeCounts counts = check_round_trip({noise(n, 10 + n)}, int(n), 1, 2)[0];
      end_code_wider += counts.end_code_wider;
      cleared += counts.clears > 0;
    }
  CHECK(end_code_wider >= 3);  // at 512, 1024 and 2048 entries
  CHECK(cleared > 0);
}

TEST_CASE("a GIF starts with GIF89a, loops with NETSCAPE2.0 and ends with the trailer", "[gif]") {
  const std::vector<uint8_t> gif = encode_gray_gif({Frame(16, 0), Frame(16, 255)}, 4, 4, 12);
  REQUIRE(gif.size() > 6);
  CHECK(std::string(gif.begin(), gif.begin() + 6) == "GIF89a");
  CHECK(gif.back() == 0x3B);
  const std::string netscape = "NETSCAPE2.0";
  CHECK(std::search(gif.begin(), gif.end(), netscape.begin(), netscape.end()) != gif.end());
  // Width and height, little-endian, right after the signature.
  CHECK(gif[6] == 4);
  CHECK(gif[7] == 0);
  CHECK(gif[8] == 4);
  CHECK(gif[9] == 0);
}

TEST_CASE("GIF frame delays come back as milliseconds, ten per centisecond", "[gif]") {
  for (const int delay : {1, 4, 100, 65535}) {
    INFO("delay " << delay);
    const DecodedGif gif = decode(encode_gray_gif({Frame(4, 10), Frame(4, 20), Frame(4, 30)}, 2, 2, delay));
    REQUIRE(gif.delays_ms.size() == 3);
    for (const int ms : gif.delays_ms) CHECK(ms == delay * 10);
  }
}

TEST_CASE("a GIF of no frames, a frame of the wrong size, a size or delay out of range is refused", "[gif]") {
  const std::vector<Frame> one{Frame(4, 0)};
  CHECK_THROWS_AS(encode_gray_gif({}, 2, 2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif({Frame(4, 0), Frame(5, 0)}, 2, 2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif({Frame(3, 0)}, 2, 2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif({Frame()}, 0, 2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, 0, 2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, 2, 0, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, -2, -2, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif({Frame(65536, 0)}, 65536, 1, 10), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, 2, 2, 0), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, 2, 2, -1), std::invalid_argument);
  CHECK_THROWS_AS(encode_gray_gif(one, 2, 2, 65536), std::invalid_argument);
  CHECK_THROWS_WITH(encode_gray_gif({Frame(4, 0), Frame(5, 0)}, 2, 2, 10), Catch::Contains("frame 1"));
  CHECK_NOTHROW(encode_gray_gif(one, 2, 2, 65535));
}

TEST_CASE("an animation of digits is a GIF of their pixels, each scale pixels wide", "[gif]") {
  Matrix frames(3, 784);
  for (Eigen::Index f = 0; f < frames.rows(); ++f)
    for (int i = 0; i < 784; ++i) frames(f, i) = std::sin(0.01f * float(i * (f + 1)));
  const DecodedGif gif = decode(digit_animation_gif(frames, 4, 4));
  REQUIRE(gif.width == 112);
  REQUIRE(gif.height == 112);
  REQUIRE(gif.frames.size() == 3);
  REQUIRE(gif.delays_ms == std::vector<int>{40, 40, 40});
  for (int f = 0; f < 3; ++f)
    for (int y = 0; y < 112; ++y)
      for (int x = 0; x < 112; ++x)
        REQUIRE(gif.frames[size_t(f)][size_t(y * 112 + x)] == to_gray(frames(f, (y / 4) * 28 + x / 4)));
  CHECK_THROWS_WITH(digit_animation_gif(Matrix(0, 784), 4, 4), Catch::Contains("1 to 1000 frames"));
  CHECK_THROWS_WITH(digit_animation_gif(frames, 17, 4), Catch::Contains("scale"));
}
