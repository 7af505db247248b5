// Tests for the native output helpers: PNG/atomic writes, loss plot, animated GIF, progress line.
#include <gif_lib.h>
#include <stb/stb_image.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "atomic_file.h"
#include "gif_writer.h"
#include "loss_plot.h"
#include "png_writer.h"
#include "progress_bar.h"

namespace fs = std::filesystem;

namespace {

// A fresh directory per test so runs never see each other's files; removed on scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path =
        fs::temp_directory_path() / ("gan_native_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool has_colour(const std::vector<unsigned char>& rgb, gan::Rgb c) {
  for (size_t i = 0; i + 2 < rgb.size(); i += 3)
    if (rgb[i] == c.r && rgb[i + 1] == c.g && rgb[i + 2] == c.b) return true;
  return false;
}

std::vector<gan::LossPoint> synthetic_losses(int n) {
  std::vector<gan::LossPoint> pts;
  for (int i = 0; i < n; ++i) {
    double t = static_cast<double>(i) / n;
    pts.push_back({static_cast<double>(i), 1.38 - 0.3 * t + 0.05 * std::sin(i * 0.7),
                   0.7 + 0.3 * t + 0.05 * std::cos(i * 1.3), 0.6 + 0.02 * std::sin(i * 0.3),
                   0.4 + 0.02 * std::cos(i * 0.5)});
  }
  return pts;
}

}  // namespace

TEST_CASE("write_png writes a valid PNG with the right size", "[png]") {
  TempDir dir;
  const int w = 37, h = 21;
  std::vector<unsigned char> rgb(static_cast<size_t>(w) * h * 3);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<unsigned char>(i * 7);
  const std::string path = dir.file("img.png");
  gan::write_png(path, rgb.data(), w, h, 3);

  const std::string bytes = read_all(path);
  REQUIRE(bytes.size() > 8);
  CHECK(bytes.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
  int rw = 0, rh = 0, rc = 0;
  REQUIRE(stbi_info(path.c_str(), &rw, &rh, &rc) == 1);
  CHECK(rw == w);
  CHECK(rh == h);
  CHECK(rc == 3);
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("encode_png rejects bad arguments", "[png]") {
  std::vector<unsigned char> px(16, 0);
  CHECK_THROWS_AS(gan::encode_png(px.data(), 0, 4, 1), std::runtime_error);
  CHECK_THROWS_AS(gan::encode_png(px.data(), 4, 4, 5), std::runtime_error);
  CHECK_THROWS_AS(gan::encode_png(nullptr, 4, 4, 1), std::runtime_error);
  CHECK_FALSE(gan::encode_png(px.data(), 4, 4, 1).empty());
}

TEST_CASE("write_file_atomic replaces an existing file completely", "[atomic]") {
  TempDir dir;
  const std::string path = dir.file("data.bin");
  { std::ofstream(path) << std::string(10000, 'x'); }
  const std::string fresh = "short new content";
  gan::write_file_atomic(path, fresh.data(), fresh.size());
  CHECK(read_all(path) == fresh);
  CHECK_FALSE(fs::exists(path + ".tmp"));

  gan::write_file_atomic(path, nullptr, 0);  // empty files are legitimate
  CHECK(fs::file_size(path) == 0);
}

TEST_CASE("writing into a missing folder throws a message naming the path", "[atomic]") {
  TempDir dir;
  const std::string path = dir.file("no/such/folder/out.png");
  std::vector<unsigned char> px(4 * 4, 128);
  try {
    gan::write_png(path, px.data(), 4, 4, 1);
    FAIL("expected write_png to throw");
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    CHECK(msg.find(path) != std::string::npos);
    CHECK(msg.find("No such file or directory") != std::string::npos);
    CHECK(msg.find("folder exists") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("write_file_atomic writes through a symbolic link and refuses a device", "[atomic]") {
  TempDir dir;
  const std::string target = dir.file("real.bin"), link = dir.file("link.bin");
  { std::ofstream(target) << "old"; }
  fs::create_symlink(target, link);
  gan::write_file_atomic(link, "new", 3);
  CHECK(fs::is_symlink(link));  // the link kept, its file replaced
  CHECK(read_all(target) == "new");

  const std::string device_link = dir.file("null.bin");
  fs::create_symlink("/dev/null", device_link);
  CHECK_THROWS_WITH(gan::write_file_atomic(device_link, "x", 1), Catch::Contains("not a regular file"));
  CHECK(fs::is_symlink(device_link));
  CHECK(fs::is_character_file("/dev/null"));

  const std::string dangling = dir.file("dangling.bin");
  fs::create_symlink(dir.file("no/such/file"), dangling);
  CHECK_THROWS_WITH(gan::write_file_atomic(dangling, "x", 1), Catch::Contains("missing file"));
}

TEST_CASE("write_files_atomic replaces all of its files or none", "[atomic]") {
  TempDir dir;
  const std::string a = dir.file("a.png"), b = dir.file("b.npy");
  { std::ofstream(a) << "old a"; }
  { std::ofstream(b) << "old b"; }
  // The second file cannot be written: the first must stay as it was.
  CHECK_THROWS(gan::write_files_atomic({{a, "new a", 5}, {dir.file("missing/b.npy"), "new b", 5}}));
  CHECK(read_all(a) == "old a");
  CHECK_FALSE(fs::exists(a + ".tmp"));
  gan::write_files_atomic({{a, "new a", 5}, {b, "new b", 5}});
  CHECK(read_all(a) == "new a");
  CHECK(read_all(b) == "new b");
}

TEST_CASE("loss plot has the right size and shows both curve colours", "[plot]") {
  const int w = 640, h = 400;
  for (int n : {3, 500, 20000}) {
    CAPTURE(n);
    std::vector<unsigned char> img = gan::render_loss_plot(synthetic_losses(n), w, h);
    REQUIRE(img.size() == static_cast<size_t>(w) * h * 3);
    CHECK(std::any_of(img.begin(), img.end(), [](unsigned char v) { return v != 255; }));
    CHECK(has_colour(img, gan::kDLossColour));
    CHECK(has_colour(img, gan::kGLossColour));
    CHECK(has_colour(img, gan::kDRealColour));
    CHECK(has_colour(img, gan::kDFakeColour));
  }
}

TEST_CASE("loss plot survives empty or single or constant or non-finite input", "[plot]") {
  std::vector<unsigned char> empty = gan::render_loss_plot({});
  CHECK(empty.size() == 800u * 480u * 3u);
  CHECK(std::any_of(empty.begin(), empty.end(), [](unsigned char v) { return v != 255; }));

  CHECK(gan::render_loss_plot({{5, 1.0, 1.0, 0.5, 0.5}}).size() == 800u * 480u * 3u);

  std::vector<gan::LossPoint> constant(1000, {0, 0.69, 0.69, 0.5, 0.5});
  for (size_t i = 0; i < constant.size(); ++i) constant[i].step = static_cast<double>(i);
  CHECK(has_colour(gan::render_loss_plot(constant), gan::kDLossColour));

  std::vector<gan::LossPoint> odd = synthetic_losses(300);
  odd[10].d_loss = NAN;
  odd[11].g_loss = INFINITY;
  odd[12].step = -INFINITY;
  odd[13].d_real = 1e300;
  CHECK(gan::render_loss_plot(odd).size() == 800u * 480u * 3u);
  CHECK_THROWS_AS(gan::render_loss_plot({}, 10, 10), std::runtime_error);
}

// The mean row of colour `c` in column x of a w-wide RGB image, or -1 when the column does not have it.
double mean_row(const std::vector<unsigned char>& rgb, int w, int x, gan::Rgb c) {
  double sum = 0, n = 0;
  for (size_t y = 0; (y * w + x) * 3 + 2 < rgb.size(); ++y) {
    const size_t i = (y * w + x) * 3;
    if (rgb[i] == c.r && rgb[i + 1] == c.g && rgb[i + 2] == c.b) sum += static_cast<double>(y), n += 1;
  }
  return n > 0 ? sum / n : -1;
}

TEST_CASE("a logarithmic panel draws a distance that falls by powers of ten as a straight line", "[plot]") {
  gan::PlotSeries s{"Frechet", gan::kDLossColour, {}, {}};
  for (int i = 0; i <= 20; ++i) {  // 1000 down to 10, a tenfold fall every 10 points
    s.x.push_back(i * 5000.0);
    s.y.push_back(1000.0 * std::pow(10.0, -i / 10.0));
  }
  s.x.push_back(105000.0), s.y.push_back(0.0);  // not on a log axis: skipped
  const int w = 800, h = 300;
  auto bend = [&](bool log_y) {  // how far the middle point sits from the straight line through the ends, in rows
    gan::PlotPanel panel{"distance", "distance", {s}};
    panel.log_y = log_y;
    const auto img = gan::render_panels({panel}, w, h);
    int first = -1, last = -1;
    for (int x = 0; x < w; ++x)
      if (mean_row(img, w, x, s.colour) >= 0) last = x, first = first < 0 ? x : first;
    REQUIRE(last > first + 100);
    const double a = mean_row(img, w, first, s.colour), b = mean_row(img, w, last, s.colour);
    return std::fabs(mean_row(img, w, (first + last) / 2, s.colour) - (a + b) / 2);
  };
  CHECK(bend(true) < 3.0);
  CHECK(bend(false) > 30.0);  // on a linear axis the same curve hugs the bottom after its first points
}

TEST_CASE("animated GIF decodes into looping frames of the right size", "[gif]") {
  TempDir dir;
  const int w = 28, h = 14;
  std::vector<std::vector<unsigned char>> frames(3, std::vector<unsigned char>(static_cast<size_t>(w) * h));
  for (size_t f = 0; f < frames.size(); ++f)
    for (size_t i = 0; i < frames[f].size(); ++i) frames[f][i] = static_cast<unsigned char>((i + f * 40) % 256);
  const std::string path = dir.file("anim.gif");
  gan::write_animated_gif(path, frames, w, h, 15);

  int err = 0;
  GifFileType* gif = DGifOpenFileName(path.c_str(), &err);
  REQUIRE(gif != nullptr);
  REQUIRE(DGifSlurp(gif) == GIF_OK);
  CHECK(gif->SWidth == w);
  CHECK(gif->SHeight == h);
  REQUIRE(gif->ImageCount == 3);
  bool loops = false;
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& img = gif->SavedImages[i];
    CHECK(img.ImageDesc.Width == w);
    CHECK(img.ImageDesc.Height == h);
    for (int b = 0; b + 1 < img.ExtensionBlockCount; ++b) {
      const ExtensionBlock& e = img.ExtensionBlocks[b];
      const ExtensionBlock& next = img.ExtensionBlocks[b + 1];
      if (e.Function == APPLICATION_EXT_FUNC_CODE && e.ByteCount == 11 &&
          std::string(reinterpret_cast<char*>(e.Bytes), 11) == "NETSCAPE2.0" && next.ByteCount == 3 &&
          next.Bytes[0] == 1 && next.Bytes[1] == 0 && next.Bytes[2] == 0)
        loops = true;
    }
  }
  CHECK(loops);
  GraphicsControlBlock gcb{};
  REQUIRE(DGifSavedExtensionToGCB(gif, 1, &gcb) == GIF_OK);
  CHECK(gcb.DelayTime == 15);
  // Gray palette means pixel index == gray level, so frame 2 must round-trip exactly.
  const unsigned char* raster = gif->SavedImages[2].RasterBits;
  CHECK(std::vector<unsigned char>(raster, raster + w * h) == frames[2]);
  DGifCloseFile(gif, &err);
}

TEST_CASE("animated GIF rejects zero frames and mismatched sizes", "[gif]") {
  TempDir dir;
  CHECK_THROWS_AS(gan::write_animated_gif(dir.file("a.gif"), {}, 4, 4), std::runtime_error);
  std::vector<std::vector<unsigned char>> frames = {std::vector<unsigned char>(16), std::vector<unsigned char>(15)};
  CHECK_THROWS_WITH(gan::write_animated_gif(dir.file("b.gif"), frames, 4, 4), Catch::Contains("frame 1"));
  CHECK_FALSE(fs::exists(dir.file("b.gif")));
}

TEST_CASE("format_progress_line shows bar and percent and rate and ETA", "[progress]") {
  const std::string line = gan::format_progress_line(4500, 10000, 62.3, 88, "train", "D 1.234 G 0.876", 20);
  CHECK(line == "train  [#########>          ]  45% 4500/10000  62.3 it/s  ETA 01:28  D 1.234 G 0.876");

  const std::string done = gan::format_progress_line(10, 10, 1500, 0, "eval", "", 10);
  CHECK(done == "eval  [##########] 100% 10/10  1500 it/s  ETA 00:00");

  CHECK(gan::format_duration(3723) == "1:02:03");
  CHECK(gan::format_duration(59.6) == "01:00");
  CHECK(gan::format_duration(NAN) == "--:--");
  CHECK(gan::format_progress_line(5, 0, 0, -1, "x", "", 10).find("-- it/s") != std::string::npos);
}
