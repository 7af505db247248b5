// Animated grayscale GIF output: giflib encodes into memory, write_file_atomic puts it on disk.
#include "gif_writer.h"

#include <gif_lib.h>

#include <memory>
#include <new>
#include <stdexcept>

#include "atomic_file.h"

namespace gan {
namespace {

struct GifSink {
  std::vector<unsigned char> bytes;
  bool failed = false;
};

// Called from C code: never let an exception unwind through giflib; returning a
// short count makes giflib report E_GIF_ERR_WRITE_FAILED instead.
int append_bytes(GifFileType* gif, const GifByteType* data, int size) {
  auto* sink = static_cast<GifSink*>(gif->UserData);
  try {
    sink->bytes.insert(sink->bytes.end(), data, data + size);
    return size;
  } catch (const std::bad_alloc&) {
    sink->failed = true;
    return 0;
  }
}

void check_frames(const std::string& path, const std::vector<std::vector<unsigned char>>& frames, int width, int height,
                  int delay) {
  const std::string where = "cannot write GIF " + path + ": ";
  if (frames.empty()) throw std::runtime_error(where + "no frames given; pass at least one frame");
  if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
    throw std::runtime_error(where + "frame size " + std::to_string(width) + "x" + std::to_string(height) +
                             " is invalid; GIF needs 1..65535 pixels per side");
  if (delay < 0 || delay > 65535)
    throw std::runtime_error(where + "delay " + std::to_string(delay) + " is out of range; use 0..65535 centiseconds");
  const size_t expected = static_cast<size_t>(width) * static_cast<size_t>(height);
  for (size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].size() != expected)
      throw std::runtime_error(where + "frame " + std::to_string(i) + " has " + std::to_string(frames[i].size()) +
                               " bytes but " + std::to_string(width) + "x" + std::to_string(height) + " needs " +
                               std::to_string(expected) + "; make all frames the same size");
  }
}

// Owns the giflib handle so every early exit closes it (which also frees it).
struct GifCloser {
  void operator()(GifFileType* gif) const {
    int ignored = 0;
    EGifCloseFile(gif, &ignored);
  }
};
using GifPtr = std::unique_ptr<GifFileType, GifCloser>;

// GifErrorString returns null for codes it does not know.
std::string gif_error_text(int code) {
  const char* msg = GifErrorString(code);
  return msg ? msg : "giflib error " + std::to_string(code);
}

void check(int rc, GifFileType* gif, const GifSink& sink, const std::string& path, const char* step) {
  if (rc == GIF_OK) return;
  if (sink.failed) throw std::bad_alloc();
  throw std::runtime_error("cannot encode GIF " + path + " (" + step + "): " + gif_error_text(gif->Error) +
                           "; this is likely a bug, please report it");
}

// Application extension that tells browsers/viewers to loop forever (count 0).
int put_loop_extension(GifFileType* gif) {
  static const GifByteType app_id[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  static const GifByteType loop_forever[] = {1, 0, 0};  // sub-block id 1, little-endian count 0
  if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) != GIF_OK) return GIF_ERROR;
  if (EGifPutExtensionBlock(gif, sizeof app_id, app_id) != GIF_OK) return GIF_ERROR;
  if (EGifPutExtensionBlock(gif, sizeof loop_forever, loop_forever) != GIF_OK) return GIF_ERROR;
  return EGifPutExtensionTrailer(gif);
}

int put_frame(GifFileType* gif, const std::vector<unsigned char>& frame, int width, int height, int delay) {
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = delay;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  size_t len = EGifGCBToExtension(&gcb, ext);
  if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(len), ext) != GIF_OK) return GIF_ERROR;
  if (EGifPutImageDesc(gif, 0, 0, width, height, false, nullptr) != GIF_OK) return GIF_ERROR;
  // EGifPutLine takes a non-const row and may mask it in place, so hand it a copy.
  std::vector<GifPixelType> row(static_cast<size_t>(width));
  for (int y = 0; y < height; ++y) {
    const unsigned char* src = frame.data() + static_cast<size_t>(y) * width;
    row.assign(src, src + width);
    if (EGifPutLine(gif, row.data(), width) != GIF_OK) return GIF_ERROR;
  }
  return GIF_OK;
}

std::vector<unsigned char> encode_gif(const std::string& path, const std::vector<std::vector<unsigned char>>& frames,
                                      int width, int height, int delay) {
  GifSink sink;
  int err = 0;
  GifPtr gif(EGifOpen(&sink, append_bytes, &err));
  if (!gif) throw std::runtime_error("cannot start GIF encoder for " + path + ": " + gif_error_text(err));

  GifColorType gray[256];
  for (int i = 0; i < 256; ++i) gray[i].Red = gray[i].Green = gray[i].Blue = static_cast<GifByteType>(i);
  std::unique_ptr<ColorMapObject, void (*)(ColorMapObject*)> palette(GifMakeMapObject(256, gray), GifFreeMapObject);
  if (!palette) throw std::bad_alloc();

  EGifSetGifVersion(gif.get(), true);  // loop and delay extensions need GIF89a
  check(EGifPutScreenDesc(gif.get(), width, height, 8, 0, palette.get()), gif.get(), sink, path, "header");
  check(put_loop_extension(gif.get()), gif.get(), sink, path, "loop extension");
  for (const auto& frame : frames)
    check(put_frame(gif.get(), frame, width, height, delay), gif.get(), sink, path, "frame");

  // Closing writes the trailer through append_bytes, so it must finish before we use the bytes.
  GifFileType* raw = gif.release();
  if (EGifCloseFile(raw, &err) != GIF_OK) {
    if (sink.failed) throw std::bad_alloc();
    throw std::runtime_error("cannot finish GIF " + path + ": " + gif_error_text(err));
  }
  return std::move(sink.bytes);
}

}  // namespace

void write_animated_gif(const std::string& path, const std::vector<std::vector<unsigned char>>& gray_frames, int width,
                        int height, int delay_centiseconds) {
  check_frames(path, gray_frames, width, height, delay_centiseconds);
  std::vector<unsigned char> bytes = encode_gif(path, gray_frames, width, height, delay_centiseconds);
  write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace gan
