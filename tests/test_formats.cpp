// Safetensors, IDX, .npy and half floats: round trips, the seed's names, and clear rejection of bad files.
#include <catch2/catch.hpp>
#include <cmath>
#include <algorithm>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>

#include "half.h"
#include "idx.h"
#include "npy.h"
#include "safetensors.h"
#include "weights.h"

using namespace gan;
using Catch::Matchers::Contains;

namespace {

std::vector<uint8_t> small_file() {
  SafeTensors f;
  f.metadata["note"] = "hello";
  const float a[6] = {1, -2, 3.5f, 0, 1e-3f, -7};
  const float b[2] = {0.25f, -0.5f};
  f.add("a", {2, 3}, a);
  f.add("b", {2}, b);
  return write_safetensors(f);
}

uint64_t header_len(const std::vector<uint8_t>& bytes) {
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  return n;
}

std::vector<uint8_t> with_header(const std::string& json, size_t data_bytes) {
  std::vector<uint8_t> out(8 + json.size() + data_bytes, 0);
  const uint64_t n = json.size();
  std::memcpy(out.data(), &n, 8);
  std::memcpy(out.data() + 8, json.data(), json.size());
  return out;
}

void check_rejected(const std::vector<uint8_t>& bytes, const std::string& fragment) {
  REQUIRE_THROWS_WITH(parse_safetensors(bytes.data(), bytes.size()), Contains(fragment));
}

Mlp seeded_generator() {
  Mlp g(generator_spec());
  Rng rng(4);
  g.reset_parameters(rng);
  return g;
}

}  // namespace

TEST_CASE("safetensors round trip keeps values, shapes and metadata; header is aligned", "[formats]") {
  const auto bytes = small_file();
  CHECK((8 + header_len(bytes)) % 8 == 0);
  const SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
  CHECK(f.metadata.at("note") == "hello");
  REQUIRE(f.find("a"));
  CHECK(f.find("a")->shape == std::vector<int64_t>{2, 3});
  CHECK(f.find("a")->values == std::vector<float>{1, -2, 3.5f, 0, 1e-3f, -7});
  CHECK(f.find("b")->values == std::vector<float>{0.25f, -0.5f});
}

TEST_CASE("safetensors rejects truncated and malformed files with clear messages", "[formats]") {
  auto good = small_file();
  check_rejected(std::vector<uint8_t>(good.begin(), good.begin() + 5), "shorter than the 8-byte header length");
  check_rejected(std::vector<uint8_t>(good.begin(), good.end() - 3), "outside");
  check_rejected(std::vector<uint8_t>(good.begin(), good.begin() + 40), "truncated");
  auto absurd = good;
  const uint64_t huge = uint64_t{1} << 40;
  std::memcpy(absurd.data(), &huge, 8);
  check_rejected(absurd, "more than the");
  check_rejected(with_header("not json", 0), "does not parse");
  const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  check_rejected(std::vector<uint8_t>(png, png + sizeof png), "it is a PNG image");
  const uint8_t zip[] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
  check_rejected(std::vector<uint8_t>(zip, zip + sizeof zip), "zip archive");
  check_rejected(with_header("[1,2]", 0), "not an object");
  check_rejected(with_header(R"({"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", 8), "I64 is not supported");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8), "need 12");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", 8), "outside");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8000000000]}})", 8), "outside");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8), "non-negative");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8),
                 "absurdly large");
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[2]}})", 8), "needs dtype, shape and data_offsets");
  check_rejected(with_header(R"({"__metadata__":{"a":1}})", 0), "not a string");
}

TEST_CASE("a generator file has exactly the seed's state_dict names, shapes and metadata", "[formats][weights]") {
  Mlp g = seeded_generator();
  const auto bytes = save_generator(g, "mnist", 1234);
  const auto header = nlohmann::json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(header_len(bytes)));
  const std::map<std::string, std::vector<int64_t>> expected = {
      {"main.0.weight", {256, 100}}, {"main.0.bias", {256}},  {"main.2.weight", {512, 256}},  {"main.2.bias", {512}},
      {"main.4.weight", {1024, 512}}, {"main.4.bias", {1024}}, {"main.6.weight", {784, 1024}}, {"main.6.bias", {784}}};
  CHECK(header.size() == expected.size() + 1);
  for (const auto& [name, shape] : expected) {
    INFO(name);
    REQUIRE(header.contains(name));
    CHECK(header[name]["dtype"] == "F32");
    CHECK(header[name]["shape"].get<std::vector<int64_t>>() == shape);
  }
  const auto& meta = header["__metadata__"];
  CHECK(meta["format_version"] == "1");
  CHECK(meta["kind"] == "generator");
  CHECK(meta["architecture"] == "seed-mlp-gan");
  CHECK(meta["z_dim"] == "100");
  CHECK(meta["dataset"] == "mnist");
  CHECK(meta["step"] == "1234");
  // A discriminator file records its generator's z size.
  const auto disc = save_discriminator(Mlp(discriminator_spec()), 64, "mnist", 7);
  const SafeTensors d = parse_safetensors(disc.data(), disc.size());
  CHECK(d.metadata.at("kind") == "discriminator");
  CHECK(d.metadata.at("z_dim") == "64");
  CHECK(d.metadata.at("widths") == "784,1024,512,256,1");
}

TEST_CASE("generator round trip: F32 exact, F16 within half precision", "[formats][weights]") {
  Mlp g = seeded_generator();
  const auto bytes = save_generator(g, "mnist", 5);
  GeneratorInfo info;
  Mlp back = load_generator(bytes.data(), bytes.size(), &info);
  CHECK(info.z_dim == 100);
  CHECK(info.metadata.at("step") == "5");
  for (size_t i = 0; i < g.layers().size(); ++i) {
    CHECK(back.layers()[i].weight == g.layers()[i].weight);
    CHECK(back.layers()[i].bias == g.layers()[i].bias);
  }
  const auto half_bytes = save_generator(g, "mnist", 5, DType::F16);
  CHECK(half_bytes.size() < bytes.size() * 6 / 10);
  Mlp h = load_generator(half_bytes.data(), half_bytes.size());
  const float err = (h.layers()[3].weight - g.layers()[3].weight).cwiseAbs().maxCoeff();
  CHECK(err <= 0.04f / 2048);  // weights are below 1/32, where half precision has 2^-16 spacing or finer
}

TEST_CASE("load_packed_generator reads every dtype into the same packed network as packing load_generator's Mlp", "[formats][weights]") {
  Mlp g = seeded_generator();
  const Matrix z = Gan::sample_z(5, 6, 100);
  for (DType dtype : {DType::F32, DType::F16, DType::I8}) {
    INFO("dtype " << static_cast<int>(dtype));
    const auto bytes = save_generator(g, "mnist", 5, dtype);
    GeneratorInfo slow_info, fast_info;
    InferenceMlp via_mlp(load_generator(bytes.data(), bytes.size(), &slow_info));
    InferenceMlp direct = load_packed_generator(bytes.data(), bytes.size(), &fast_info);
    CHECK(direct.spec().widths == via_mlp.spec().widths);
    CHECK(fast_info.z_dim == slow_info.z_dim);
    CHECK(fast_info.metadata == slow_info.metadata);
    Matrix a(6, 784), b(6, 784);
    via_mlp.forward(z.data(), 6, a.data());
    direct.forward(z.data(), 6, b.data());
    REQUIRE(a == b);  // the same weights, bit for bit
    if (dtype == DType::F32) CHECK((a - g.forward(z, false)).cwiseAbs().maxCoeff() < 1e-5f);
  }
}

TEST_CASE("8-bit generators: I8 weights with a scale per row, format version 2, within half a step of each weight", "[formats][weights]") {
  Mlp g = seeded_generator();
  const auto f16 = save_generator(g, "mnist", 5, DType::F16);
  const auto q8 = save_generator(g, "mnist", 5, DType::I8);
  CHECK(q8.size() < f16.size() * 52 / 100);
  const SafeTensors file = parse_safetensors(q8.data(), q8.size());
  CHECK(file.metadata.at("format_version") == "2");
  REQUIRE(file.find("main.0.weight_scale"));
  CHECK(file.find("main.0.weight_scale")->shape == std::vector<int64_t>{256});
  GeneratorInfo info;
  Mlp back = load_generator(q8.data(), q8.size(), &info);
  CHECK(info.metadata.at("step") == "5");
  for (size_t i = 0; i < g.layers().size(); ++i) {
    const Matrix& w = g.layers()[i].weight;
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      const float step = w.row(r).cwiseAbs().maxCoeff() / 127.0f;
      REQUIRE((back.layers()[i].weight.row(r) - w.row(r)).cwiseAbs().maxCoeff() <= 0.5001f * step);
    }
    CHECK(back.layers()[i].bias == g.layers()[i].bias);  // biases stay F32
  }
  // A scale of the wrong shape, or not finite, is refused like any other tensor.
  SafeTensors edited = parse_safetensors(q8.data(), q8.size());
  edited.find("main.2.weight_scale")->shape = {511};
  edited.find("main.2.weight_scale")->values.resize(511);
  auto bytes = write_safetensors(edited);
  REQUIRE_THROWS_WITH(load_generator(bytes.data(), bytes.size()), Contains("main.2.weight_scale\" has shape [511]"));
  edited = parse_safetensors(q8.data(), q8.size());
  edited.find("main.4.weight_scale")->values[9] = std::nanf("");
  bytes = write_safetensors(edited);
  REQUIRE_THROWS_WITH(load_generator(bytes.data(), bytes.size()), Contains("NaN or infinite"));
  // I8 stores whole numbers in [-128, 127] only.
  SafeTensors bad;
  const float v = 0.5f;
  bad.add("x", {1}, &v);
  bad.tensors.back().second.store_as = DType::I8;
  REQUIRE_THROWS_WITH(write_safetensors(bad), Contains("I8 cannot store"));
}

TEST_CASE("load_generator rejects wrong shapes, missing tensors, NaN weights and other kinds of file", "[formats][weights]") {
  Mlp g = seeded_generator();
  auto rebuild = [&](const std::function<void(SafeTensors&)>& edit) {
    const auto bytes = save_generator(g, "mnist", 0);
    SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
    edit(f);
    return write_safetensors(f);
  };
  auto rejected = [](const std::vector<uint8_t>& b, const std::string& fragment) {
    REQUIRE_THROWS_WITH(load_generator(b.data(), b.size()), Contains(fragment));
    REQUIRE_THROWS_WITH(load_packed_generator(b.data(), b.size()), Contains(fragment));  // the page's loader
  };
  auto tensor = [](SafeTensors& f, const std::string& name) -> Tensor& { return *f.find(name); };
  rejected(rebuild([&](SafeTensors& f) { tensor(f, "main.2.weight").shape = {512, 128, 2}; }),
           "has shape [512,128,2], expected [512,256]");
  rejected(rebuild([](SafeTensors& f) {
             f.tensors.erase(std::find_if(f.tensors.begin(), f.tensors.end(), [](auto& t) { return t.first == "main.6.bias"; }));
           }),
           "no tensor \"main.6.bias\"");
  rejected(rebuild([&](SafeTensors& f) { tensor(f, "main.4.weight").values[17] = std::nanf(""); }), "NaN or infinite");
  rejected(rebuild([&](SafeTensors& f) { tensor(f, "main.4.bias").values[3] = INFINITY; }), "NaN or infinite");
  rejected(rebuild([&](SafeTensors& f) { tensor(f, "main.6.weight").values.back() = -INFINITY; }), "\"main.6.weight\" holds NaN");
  rejected(rebuild([](SafeTensors& f) { f.metadata["format_version"] = "7"; }), "format_version 7");
  Mlp d(discriminator_spec());
  const auto disc = save_discriminator(d, 100, "mnist", 0);
  rejected(disc, "holds a discriminator, not a generator");
  // A PyTorch state_dict saved with safetensors has no metadata: it still loads.
  const auto plain = rebuild([](SafeTensors& f) { f.metadata.clear(); });
  CHECK_NOTHROW(load_generator(plain.data(), plain.size()));
}

TEST_CASE("checkpoints reject generator files and damaged metadata", "[formats][weights]") {
  Mlp g = seeded_generator();
  const auto gen = save_generator(g, "mnist", 0);
  TrainProgress p;
  REQUIRE_THROWS_WITH(load_checkpoint(gen.data(), gen.size(), &p), Contains("not a checkpoint"));
  Gan gan(GanConfig{});
  const auto ck = save_checkpoint(gan, TrainProgress{0, 0, "mnist", 9000});
  SafeTensors f = parse_safetensors(ck.data(), ck.size());
  f.metadata["step"] = "twelve";
  const auto bad = write_safetensors(f);
  REQUIRE_THROWS_WITH(load_checkpoint(bad.data(), bad.size(), &p), Contains("\"step\" is not an integer"));
}

TEST_CASE("half precision conversion rounds to nearest even and keeps specials", "[formats]") {
  CHECK(float_to_half(1.0f) == 0x3C00);
  CHECK(float_to_half(-2.0f) == 0xC000);
  CHECK(float_to_half(65504.0f) == 0x7BFF);
  CHECK(float_to_half(65520.0f) == 0x7C00);
  CHECK(float_to_half(5.9604645e-8f) == 0x0001);
  CHECK(float_to_half(1e-9f) == 0x0000);
  CHECK(float_to_half(INFINITY) == 0x7C00);
  CHECK(std::isnan(half_to_float(float_to_half(std::nanf("")))));
  CHECK(float_to_half(1.0f + 1.0f / 2048) == 0x3C00);        // tie goes to even
  CHECK(float_to_half(1.0f + 3.0f / 2048) == 0x3C02);        // tie goes to even (up)
  for (uint32_t h = 0; h < 0x7C00; ++h) REQUIRE(float_to_half(half_to_float(static_cast<uint16_t>(h))) == h);
}

TEST_CASE("IDX images parse and scale to [-1, 1]; bad files are rejected", "[formats][idx]") {
  IdxImages img{2, 28, 28, std::vector<uint8_t>(2 * 784, 0)};
  img.pixels[0] = 255;
  img.pixels[1] = 128;
  const auto bytes = write_idx_images(img);
  const IdxImages back = parse_idx_images(bytes.data(), bytes.size());
  CHECK(back.count == 2);
  const Matrix m = images_to_matrix(back);
  CHECK(m(0, 0) == 1.0f);
  CHECK(m(0, 1) == Approx(0.00392f).margin(1e-4));
  CHECK(m(1, 5) == -1.0f);

  auto bad_magic = bytes;
  bad_magic[3] = 0x01;
  REQUIRE_THROWS_WITH(parse_idx_images(bad_magic.data(), bad_magic.size(), "f"), Contains("bad magic number"));
  REQUIRE_THROWS_WITH(parse_idx_images(bytes.data(), bytes.size() - 1, "f"), Contains("truncated"));
  auto longer = bytes;
  longer.push_back(0);
  REQUIRE_THROWS_WITH(parse_idx_images(longer.data(), longer.size(), "f"), Contains("unexpected bytes"));
  IdxImages wrong{1, 32, 32, std::vector<uint8_t>(32 * 32, 0)};
  const auto wb = write_idx_images(wrong);
  REQUIRE_THROWS_WITH(parse_idx_images(wb.data(), wb.size(), "f"), Contains("the model needs 28x28"));
  const uint8_t gz[4] = {0x1f, 0x8b, 8, 0};
  REQUIRE_THROWS_WITH(parse_idx_images(gz, 4, "f"), Contains("still gzip-compressed"));
  const uint8_t huge[16] = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28};
  REQUIRE_THROWS_WITH(parse_idx_images(huge, 16, "f"), Contains("absurd size"));
  const uint8_t short_data[20] = {0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3, 4};
  REQUIRE_THROWS_WITH(parse_idx_images(short_data, 20, "f"), Contains("truncated"));
  const uint8_t labels[10] = {0, 0, 8, 1, 0, 0, 0, 2, 7, 3};
  CHECK(parse_idx_labels(labels, 10) == std::vector<uint8_t>{7, 3});
  REQUIRE_THROWS_WITH(parse_idx_labels(labels, 9, "l"), Contains("truncated"));
}

TEST_CASE(".npy round trip and rejections", "[formats][npy]") {
  Matrix m(3, 4);
  for (int i = 0; i < 12; ++i) m.data()[i] = 0.5f * static_cast<float>(i) - 2.0f;
  const auto bytes = write_npy(m);
  CHECK(bytes.size() % 64 == 48 % 64);  // 64-byte aligned header + 48 data bytes
  CHECK(parse_npy(bytes.data(), bytes.size()) == m);
  auto text = std::string(bytes.begin(), bytes.end());
  auto as_bytes = [](const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); };
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return as_bytes(t);
  };
  auto rejected = [](const std::vector<uint8_t>& b, const std::string& fragment) {
    REQUIRE_THROWS_WITH(parse_npy(b.data(), b.size(), "z.npy"), Contains(fragment));
  };
  rejected(replace("<f4", "<i4"), "<i4 is not supported");
  rejected(replace("False", "True "), "Fortran");
  rejected(replace("(3, 4)", "(3, 5)"), "needs 60 bytes");
  rejected(replace("(3, 4)", "(1,2,6)"), "3-D");
  rejected(as_bytes("PK\x03\x04 not numpy"), "not a .npy file");
  rejected(std::vector<uint8_t>(bytes.begin(), bytes.end() - 4), "needs 48 bytes");
}
