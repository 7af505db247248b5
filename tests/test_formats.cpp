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
  check_rejected(std::vector<uint8_t>(png, png + sizeof png), "this is a PNG image, not a safetensors file");
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

TEST_CASE("safetensors tensors must tile the data area: no overlap, gap or trailing bytes", "[formats]") {
  const auto two = [](const std::string& a, const std::string& b, size_t data_bytes) {
    return with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":)" + a +
                           R"(},"b":{"dtype":"F32","shape":[2],"data_offsets":)" + b + "}}",
                       data_bytes);
  };
  // Any order of tensors in the data is fine, and so is an empty tensor between two others.
  const auto swapped = two("[8,16]", "[0,8]", 16);
  CHECK_NOTHROW(index_safetensors(swapped.data(), swapped.size()));
  const auto empty = with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                 R"("e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},)"
                                 R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                 8);
  CHECK_NOTHROW(index_safetensors(empty.data(), empty.size()));
  check_rejected(two("[0,8]", "[4,12]", 12), "tensor \"b\" [4, 12] overlaps tensor \"a\" [0, 8]");
  check_rejected(two("[0,8]", "[0,8]", 8), "overlaps");
  check_rejected(two("[0,8]", "[12,20]", 20), "4 data bytes before tensor \"b\" [12, 20] belong to no tensor");
  check_rejected(two("[4,12]", "[12,20]", 20), "4 data bytes before tensor \"a\"");
  check_rejected(two("[0,8]", "[8,16]", 19), "3 bytes after the last tensor's data belong to no tensor; ");
  auto joined = small_file();
  const auto tail = small_file();
  joined.insert(joined.end(), tail.begin(), tail.end());
  check_rejected(joined, "bytes after the last tensor's data");
  check_rejected(with_header("{}", 4), "4 bytes after the last tensor's data");
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
  for (size_t i = 0; i < g.depth(); ++i) {
    CHECK(back.linear(i).weight == g.linear(i).weight);
    CHECK(back.linear(i).bias == g.linear(i).bias);
  }
  const auto half_bytes = save_generator(g, "mnist", 5, DType::F16);
  CHECK(half_bytes.size() < bytes.size() * 6 / 10);
  Mlp h = load_generator(half_bytes.data(), half_bytes.size());
  const float err = (h.linear(3).weight - g.linear(3).weight).cwiseAbs().maxCoeff();
  CHECK(err <= 0.04f / 2048);  // weights are below 1/32, where half precision has 2^-16 spacing or finer
}

TEST_CASE("load_packed_generator reads F32 and F16 into the same packed network as packing load_generator's Mlp, I8 into 8-bit layers", "[formats][weights]") {
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
    if (dtype == DType::I8)
      REQUIRE((a - b).cwiseAbs().maxCoeff() < 1e-4f);  // integer layers: within their inputs' rounding (test_quantized_panels)
    else
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
  for (size_t i = 0; i < g.depth(); ++i) {
    const Matrix& w = g.linear(i).weight;
    for (Eigen::Index r = 0; r < w.rows(); ++r) {
      const float step = w.row(r).cwiseAbs().maxCoeff() / 127.0f;
      REQUIRE((back.linear(i).weight.row(r) - w.row(r)).cwiseAbs().maxCoeff() <= 0.5001f * step);
    }
    CHECK(back.linear(i).bias == g.linear(i).bias);  // biases stay F32
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

TEST_CASE("safetensors header errors say where, without the JSON parser's own text; duplicate keys are refused",
          "[formats]") {
  auto message = [](const std::vector<uint8_t>& b) {
    try {
      parse_safetensors(b.data(), b.size());
    } catch (const FormatError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string bad_json = message(with_header("{\"a\": nope}", 0));
  CHECK_THAT(bad_json, Contains("the JSON header does not parse (at byte"));
  CHECK(bad_json.find("json.exception") == std::string::npos);
  CHECK(bad_json.find("; ") == std::string::npos);  // the caller adds what to do
  CHECK_THAT(message(with_header("", 0)), Contains("the JSON header is empty"));
  check_rejected(with_header(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                             R"("x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                             4),
                 "has the key \"x\" twice");
  check_rejected(with_header(R"({"__metadata__":{"z_dim":"100","z_dim":"50"}})", 0), "has the key \"z_dim\" twice");
}

TEST_CASE("generator metadata that disagrees with the tensors is refused", "[formats][weights]") {
  Mlp g = seeded_generator();
  Mlp conditional(generator_spec(100, 10));
  auto edited = [](const Mlp& net, const std::function<void(SafeTensors&)>& edit) {
    const auto bytes = save_generator(net, "mnist", 0);
    SafeTensors f = parse_safetensors(bytes.data(), bytes.size());
    edit(f);
    return write_safetensors(f);
  };
  auto rejected = [](const std::vector<uint8_t>& b, const std::string& fragment) {
    REQUIRE_THROWS_WITH(load_generator(b.data(), b.size()), Contains(fragment) && Contains("; "));
    REQUIRE_THROWS_WITH(load_packed_generator(b.data(), b.size()), Contains(fragment));
  };
  auto meta = [&](const Mlp& net, const std::string& key, const std::string& value) {
    return edited(net, [&](SafeTensors& f) { f.metadata[key] = value; });
  };
  for (const char* z : {"50", "-1", "nan", "99999999999999999999999", ""}) {
    INFO("z_dim " << z);
    rejected(meta(g, "z_dim", z), "\"z_dim\" is \"");
  }
  for (const char* w : {"garbage", "-100,256,512,1024,784", "", "100,256,512,1024"}) {
    INFO("widths " << w);
    rejected(meta(g, "widths", w), "metadata \"widths\" is \"");
  }
  rejected(edited(g,
                  [](SafeTensors& f) {
                    f.metadata["architecture"] = kConditionalArchitecture;
                    f.metadata["classes"] = "10";
                  }),
           "leaves a latent size of 90");
  rejected(meta(conditional, "architecture", kArchitecture), "\"classes\" is set");
  rejected(edited(conditional,
                  [](SafeTensors& f) {
                    f.metadata["architecture"] = kArchitecture;
                    f.metadata.erase("classes");
                  }),
           "makes a latent size of 110");
  rejected(meta(conditional, "classes", "20"), "leaves a latent size of 90");
  const auto negative_step = meta(g, "step", "-5");  // `gan convert` would carry it into the file it writes
  REQUIRE_THROWS_WITH(load_generator(negative_step.data(), negative_step.size()),
                      Contains("metadata \"step\" is not an integer"));
  // A swapped first layer: the expected shape is the seed's [256, z], not one derived from the swapped tensor.
  rejected(edited(g,
                  [](SafeTensors& f) {
                    f.find("main.0.weight")->shape = {100, 256};
                  }),
           "has shape [100,256], expected [256,100]");
  rejected(edited(g,
                  [](SafeTensors& f) {
                    f.find("main.0.weight")->shape = {100, 256};
                    f.metadata.erase("z_dim");
                  }),
           "expected [256,N] with N the latent size");
  // The files gan writes still load, and so does a PyTorch file without metadata.
  const auto good = save_generator(conditional, "mnist", 3, DType::I8);
  GeneratorInfo info;
  CHECK_NOTHROW(load_generator(good.data(), good.size(), &info));
  CHECK(info.classes == 10);
  CHECK(info.z_dim == 100);
}

TEST_CASE("an 8-bit generator without a scale tensor is refused, naming it", "[formats][weights]") {
  const auto q8 = save_generator(seeded_generator(), "mnist", 5, DType::I8);
  // Rebuild the file without main.4.weight_scale, keeping the I8 weights I8.
  const SafeTensorsView view = index_safetensors(q8.data(), q8.size());
  SafeTensors f;
  f.metadata = view.metadata;
  for (const auto& [name, t] : view.tensors) {
    if (name == "main.4.weight_scale") continue;
    std::vector<float> v(static_cast<size_t>(t.numel()));
    t.decode(0, v.size(), v.data());
    f.add(name, t.shape, v.data());
    f.tensors.back().second.store_as = t.dtype == TensorView::Stored::I8 ? DType::I8 : DType::F32;
  }
  const auto bytes = write_safetensors(f);
  REQUIRE_THROWS_WITH(
      load_generator(bytes.data(), bytes.size()),
      Contains("\"main.4.weight\" holds 8-bit values but its scale tensor \"main.4.weight_scale\" is missing"));
  REQUIRE_THROWS_WITH(load_packed_generator(bytes.data(), bytes.size()), Contains("main.4.weight_scale\" is missing"));
}

TEST_CASE("checkpoints refuse implausible hyperparameters, optimizer state and training positions",
          "[formats][weights]") {
  GanConfig config;
  config.batch = 10;
  Gan gan(config);
  const auto good = save_checkpoint(gan, TrainProgress{0, 0, "mnist", 100});
  TrainProgress p;
  REQUIRE_NOTHROW(load_checkpoint(good.data(), good.size(), &p));
  auto rejected = [&](const std::function<void(SafeTensors&)>& edit, const std::string& fragment) {
    SafeTensors f = parse_safetensors(good.data(), good.size());
    edit(f);
    const auto bytes = write_safetensors(f);
    REQUIRE_THROWS_WITH(load_checkpoint(bytes.data(), bytes.size(), &p), Contains(fragment) && Contains("; "));
  };
  auto meta = [&](const std::string& key, const std::string& value, const std::string& fragment) {
    INFO(key << " = " << value);
    rejected([&](SafeTensors& f) { f.metadata[key] = value; }, fragment);
  };
  meta("adam", "nan,nan,nan,nan", "lr (above 0, at most 1) out of range");
  meta("adam", "1e30,0.5,0.999,1e-8", "lr (above 0, at most 1) out of range");
  meta("adam", "0.0002,1.5,0.999,1e-8", "beta1");
  meta("adam", "0.0002,0.5,inf,1e-8", "beta2");
  meta("adam", "0.0002,0.5,0.999,0", "eps");
  meta("adam", "0.0002,0.5,0.999", "not four numbers");
  meta("adam", "0.0002,0.5,0.999,1e-8,7", "not four numbers");
  meta("batch_in_epoch", "999999", "\"batch_in_epoch\" is out of range");
  meta("epoch", "4000000000", "\"epoch\" is out of range");
  meta("widths", "1,2", "metadata \"widths\" is \"1,2\"");
  meta("adam_steps_g", "18446744073709551615", "\"adam_steps_g\" is out of range");
  meta("dataset_size", "5", "less than one batch of 10");
  meta("batch", "0", "out of range");
  rejected([](SafeTensors& f) { f.find("opt_G.2.exp_avg_sq")->values[7] = -1.0f; },
           "\"opt_G.2.exp_avg_sq\" holds negative");
  rejected([](SafeTensors& f) { f.find("opt_D.0.exp_avg_sq")->values[0] = INFINITY; }, "NaN or infinite");
  // A position inside the run is fine: 12 steps of 10 per epoch are epoch 1, batch 2.
  for (int s = 0; s < 12; ++s) gan.train_step(Matrix::Zero(10, 784));
  const auto later = save_checkpoint(gan, TrainProgress{1, 2, "mnist", 100});
  CHECK_NOTHROW(load_checkpoint(later.data(), later.size(), &p));
  CHECK(p.batch_in_epoch == 2);
  SafeTensors f = parse_safetensors(later.data(), later.size());
  f.metadata["batch_in_epoch"] = "10";  // an epoch of 100 images in batches of 10 has batches 0..9
  const auto bad = write_safetensors(f);
  REQUIRE_THROWS_WITH(load_checkpoint(bad.data(), bad.size(), &p), Contains("does not fit step 12"));
  // Inside the epoch's range but not where step 12 is: epoch 1, batch 3 is step 13, epoch 0, batch 2 is step 2.
  for (const auto& [epoch, batch] : {std::pair{"1", "3"}, std::pair{"0", "2"}}) {
    INFO("epoch " << epoch << ", batch " << batch);
    f.metadata["epoch"] = epoch;
    f.metadata["batch_in_epoch"] = batch;
    const auto off = write_safetensors(f);
    REQUIRE_THROWS_WITH(load_checkpoint(off.data(), off.size(), &p),
                        Contains("does not fit step 12 with 10 batches per epoch (that is epoch 1, batch 2); "));
  }
}

TEST_CASE(".npy shapes must be tuples of non-negative whole numbers", "[formats][npy]") {
  Matrix m = Matrix::Zero(3, 100);
  const auto bytes = write_npy(m);
  const std::string text(bytes.begin(), bytes.end());
  auto with_shape = [&](const std::string& shape) {
    std::string t = text;
    t.replace(t.find("(3, 100)"), 8, shape);
    return std::vector<uint8_t>(t.begin(), t.end());
  };
  auto rejected = [](const std::vector<uint8_t>& b, const std::string& fragment) {
    REQUIRE_THROWS_WITH(parse_npy(b.data(), b.size(), "z.npy"), Contains(fragment));
  };
  rejected(with_shape("(-3, 100)"), "shape (-3, 100) has a negative size");
  rejected(with_shape("(3.0, 100)"), "shape (3.0, 100) has a size that is not a whole number");
  rejected(with_shape("(3,,100)"), "is not a tuple of sizes");
  rejected(with_shape("(1e9, 1)"), "not a whole number");
  rejected(with_shape("()"), "got 0-D");
  rejected(with_shape("(3000000000, 1)"), "absurdly large");
  // "(300,)" is one row of 300 values: accepted (padded to keep the header's length).
  const auto one_row = with_shape("(300,)  ");
  CHECK(parse_npy(one_row.data(), one_row.size()).cols() == 300);
}
