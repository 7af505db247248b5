// Animated grey GIF89a encoding: the file's blocks and a variable-width LZW compressor, bytes out only.
#include "gif_encoder.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace gan {
namespace {

// The 256 grey levels are the colour indices themselves, so the LZW alphabet is a whole byte.
constexpr int kMinCodeSize = 8;
constexpr int kClearCode = 1 << kMinCodeSize;
constexpr int kEndCode = kClearCode + 1;
constexpr int kFirstFreeCode = kClearCode + 2;
constexpr int kMaxCodeBits = 12;  // GIF's ceiling: a table of 4096 codes
constexpr int kMaxCodes = 1 << kMaxCodeBits;
constexpr int kMaxSubBlock = 255;
constexpr int kMaxDimension = 65535;

// GIF stores every multi-byte number little-endian, whatever the host.
void put_u16(std::vector<uint8_t>& out, int value) {
  out.push_back(uint8_t(value & 0xFF));
  out.push_back(uint8_t((value >> 8) & 0xFF));
}

void put_text(std::vector<uint8_t>& out, const char* text) {
  for (; *text; ++text) out.push_back(uint8_t(*text));
}

// Signature and logical screen descriptor. The packed byte announces a global colour table of 2^(7+1) = 256
// entries with 8 bits per primary, so that no frame needs a local table.
void write_header(std::vector<uint8_t>& out, int width, int height) {
  put_text(out, "GIF89a");
  put_u16(out, width);
  put_u16(out, height);
  out.push_back(0x80 | (7 << 4) | 7);
  out.push_back(0);  // background colour index (never seen: every frame covers the whole screen)
  out.push_back(0);  // no pixel aspect ratio
}

// Entry i is (i, i, i), so a pixel's grey value is its colour index and frames need no mapping.
void write_gray_palette(std::vector<uint8_t>& out) {
  for (int i = 0; i < 256; ++i) out.insert(out.end(), 3, uint8_t(i));
}

// Netscape's application extension is the only widely honoured way to ask for looping; count 0 means forever.
void write_loop_extension(std::vector<uint8_t>& out) {
  out.push_back(0x21);
  out.push_back(0xFF);
  out.push_back(11);
  put_text(out, "NETSCAPE2.0");
  out.push_back(3);
  out.push_back(1);
  put_u16(out, 0);
  out.push_back(0);
}

// Carries the frame's delay. Disposal "leave in place" (1), no transparency: each frame is opaque and covers the
// whole screen, so nothing underneath ever shows.
void write_graphic_control(std::vector<uint8_t>& out, int delay_centiseconds) {
  out.push_back(0x21);
  out.push_back(0xF9);
  out.push_back(4);
  out.push_back(1 << 2);
  put_u16(out, delay_centiseconds);
  out.push_back(0);  // transparent index, unused
  out.push_back(0);
}

void write_image_descriptor(std::vector<uint8_t>& out, int width, int height) {
  out.push_back(0x2C);
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, width);
  put_u16(out, height);
  out.push_back(0);  // no local colour table, not interlaced
}

// A decoder finds the end of the data only by a zero-length block, so the data goes in length-prefixed pieces.
void write_sub_blocks(std::vector<uint8_t>& out, const std::vector<uint8_t>& data) {
  for (size_t start = 0; start < data.size(); start += kMaxSubBlock) {
    const size_t length = std::min<size_t>(kMaxSubBlock, data.size() - start);
    out.push_back(uint8_t(length));
    out.insert(out.end(), data.begin() + std::ptrdiff_t(start), data.begin() + std::ptrdiff_t(start + length));
  }
  out.push_back(0);
}

// Packs codes of varying width into bytes, least significant bit first as GIF requires.
class BitWriter {
 public:
  void put(int code, int width) {
    pending_ |= uint32_t(code) << pending_bits_;
    pending_bits_ += width;
    while (pending_bits_ >= 8) {
      bytes_.push_back(uint8_t(pending_ & 0xFF));
      pending_ >>= 8;
      pending_bits_ -= 8;
    }
  }

  std::vector<uint8_t> finish() {
    if (pending_bits_ > 0) bytes_.push_back(uint8_t(pending_ & 0xFF));
    pending_ = 0;
    pending_bits_ = 0;
    return std::move(bytes_);
  }

 private:
  std::vector<uint8_t> bytes_;
  uint32_t pending_ = 0;  // never more than 7 + 12 bits
  int pending_bits_ = 0;
};

// The LZW dictionary: "the string of code `prefix` followed by `pixel`" -> its code. An open-addressing hash table
// twice the size of the largest dictionary keeps probes short and clears with one fill, which matters because noisy
// frames fill and clear the dictionary every few thousand pixels.
class CodeTable {
 public:
  CodeTable() : keys_(kSlots, kEmpty), codes_(kSlots, 0) {}

  // -1 when the string is not in the dictionary yet.
  int find(int prefix, uint8_t pixel) const {
    const uint32_t key = make_key(prefix, pixel);
    for (size_t slot = home(key);; slot = (slot + 1) & (kSlots - 1)) {
      if (keys_[slot] == key) return codes_[slot];
      if (keys_[slot] == kEmpty) return -1;
    }
  }

  void add(int prefix, uint8_t pixel, int code) {
    const uint32_t key = make_key(prefix, pixel);
    size_t slot = home(key);
    while (keys_[slot] != kEmpty) slot = (slot + 1) & (kSlots - 1);
    keys_[slot] = key;
    codes_[slot] = uint16_t(code);
  }

  void clear() { std::fill(keys_.begin(), keys_.end(), kEmpty); }

 private:
  static constexpr int kSlotBits = kMaxCodeBits + 1;
  static constexpr size_t kSlots = size_t(1) << kSlotBits;
  static constexpr uint32_t kEmpty = 0xFFFFFFFF;  // no real key: a prefix is under 4096

  static uint32_t make_key(int prefix, uint8_t pixel) { return (uint32_t(prefix) << 8) | pixel; }
  // Fibonacci hashing: neighbouring keys (one prefix, many pixels) land far apart.
  static size_t home(uint32_t key) { return size_t((key * 2654435769u) >> (32 - kSlotBits)); }

  std::vector<uint32_t> keys_;
  std::vector<uint16_t> codes_;
};

// One frame's pixels as a GIF LZW code stream (before it is cut into sub-blocks).
std::vector<uint8_t> lzw_compress(const std::vector<uint8_t>& pixels) {
  BitWriter bits;
  CodeTable table;
  int width = kMinCodeSize + 1;
  int next_code = kFirstFreeCode;
  // Some decoders (stb_image among them) refuse a stream that does not open with a clear code.
  bits.put(kClearCode, width);

  int current = pixels[0];  // the code of the longest dictionary string matching the pixels read so far
  for (size_t i = 1; i < pixels.size(); ++i) {
    const uint8_t pixel = pixels[i];
    const int longer = table.find(current, pixel);
    if (longer >= 0) {
      current = longer;
      continue;
    }
    bits.put(current, width);
    table.add(current, pixel, next_code);
    // The decoder makes each entry one code later than we do (it needs the next code's first pixel), and widens
    // when its next free entry no longer fits: for us that is when the entry just made needs the extra bit.
    if (next_code == (1 << width) && width < kMaxCodeBits) ++width;
    ++next_code;
    if (next_code == kMaxCodes) {
      // Start the dictionary afresh rather than freeze it: frames of noise would otherwise keep stale strings.
      bits.put(kClearCode, width);
      table.clear();
      width = kMinCodeSize + 1;
      next_code = kFirstFreeCode;
    }
    current = pixel;
  }
  bits.put(current, width);
  // The decoder still makes an entry for that last code, and if it fills the width, it reads the end code wider.
  if (next_code == (1 << width) && width < kMaxCodeBits) ++width;
  bits.put(kEndCode, width);
  return bits.finish();
}

void write_frame(std::vector<uint8_t>& out, const std::vector<uint8_t>& pixels, int width, int height,
                 int delay_centiseconds) {
  write_graphic_control(out, delay_centiseconds);
  write_image_descriptor(out, width, height);
  out.push_back(uint8_t(kMinCodeSize));
  write_sub_blocks(out, lzw_compress(pixels));
}

void check_arguments(const std::vector<std::vector<uint8_t>>& frames, int width, int height, int delay_centiseconds) {
  if (frames.empty()) throw std::invalid_argument("a GIF needs at least one frame");
  if (width < 1 || width > kMaxDimension || height < 1 || height > kMaxDimension)
    throw std::invalid_argument("GIF size " + std::to_string(width) + "x" + std::to_string(height) +
                                " is outside 1..65535 in width or height");
  if (delay_centiseconds < 1 || delay_centiseconds > 0xFFFF)
    throw std::invalid_argument("GIF frame delay " + std::to_string(delay_centiseconds) +
                                " centiseconds is outside 1..65535");
  // 65535 * 65535 still fits a 32-bit size_t (wasm32).
  const size_t expected = size_t(width) * size_t(height);
  for (size_t i = 0; i < frames.size(); ++i)
    if (frames[i].size() != expected)
      throw std::invalid_argument("GIF frame " + std::to_string(i) + " has " + std::to_string(frames[i].size()) +
                                  " pixels; a " + std::to_string(width) + "x" + std::to_string(height) +
                                  " frame has " + std::to_string(expected));
}

}  // namespace

std::vector<uint8_t> encode_gray_gif(const std::vector<std::vector<uint8_t>>& frames, int width, int height,
                                     int delay_centiseconds) {
  check_arguments(frames, width, height, delay_centiseconds);
  std::vector<uint8_t> out;
  write_header(out, width, height);
  write_gray_palette(out);
  write_loop_extension(out);
  for (const auto& frame : frames) write_frame(out, frame, width, height, delay_centiseconds);
  out.push_back(0x3B);  // trailer
  return out;
}

}  // namespace gan
