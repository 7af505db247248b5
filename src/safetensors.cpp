// safetensors parsing with every claim of the header checked against the bytes actually present.
#include "safetensors.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "half.h"

namespace gan {

using json = nlohmann::json;

namespace {

uint64_t read_u64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

[[noreturn]] void fail(const std::string& what) {
  throw FormatError("not a valid safetensors file: " + what);
}

TensorView::Stored stored_type(const std::string& dtype) {
  if (dtype == "F32") return TensorView::Stored::F32;
  if (dtype == "F16") return TensorView::Stored::F16;
  if (dtype == "BF16") return TensorView::Stored::BF16;
  if (dtype == "I8") return TensorView::Stored::I8;
  fail("tensor dtype " + printable(dtype) + " is not supported (use F32, F16, BF16 or I8)");
}

size_t stored_size(TensorView::Stored dtype) {
  switch (dtype) {
    case TensorView::Stored::F32: return 4;
    case TensorView::Stored::F16:
    case TensorView::Stored::BF16: return 2;
    case TensorView::Stored::I8: return 1;
  }
  return 4;
}

// Names common file types by their first bytes, for a message when a wrong file was passed.
// What a file that is not safetensors is, from its first bytes ("" when it is none of these).
std::string foreign_kind(const uint8_t* data, size_t size) {
  auto starts = [&](const char* magic, size_t n) { return size >= n && std::memcmp(data, magic, n) == 0; };
  if (starts("\x89PNG", 4)) return "a PNG image";
  if (starts("\xff\xd8\xff", 3)) return "a JPEG image";
  if (starts("\x1f\x8b", 2)) return "gzip-compressed data (unpack it first)";
  if (starts("PK\x03\x04", 4)) return "a zip archive, e.g. a PyTorch .pt/.pth file (save with safetensors instead)";
  if (starts("\x93NUMPY", 6)) return "a NumPy .npy array";
  if (starts("\x80", 1)) return "a Python pickle, e.g. from torch.save (save with safetensors instead)";
  return "";
}

// The JSON header, with a key given twice in one object refused (a JSON parser keeps one of the two values, so the
// file would mean different things to different readers). Parse errors say where, not the parser's own wording.
json parse_header(const uint8_t* text, uint64_t size) {
  if (size == 0) fail("the JSON header is empty (its length is 0)");
  std::vector<std::set<std::string>> keys;  // the keys seen so far in each open object
  const json::parser_callback_t no_duplicates = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty() && parsed.is_string()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(key).second)
        fail("the JSON header has the key \"" + printable(key) + "\" twice in one object");
    }
    return true;
  };
  try {
    return json::parse(text, text + size, no_duplicates);
  } catch (const json::parse_error& e) {
    fail("the JSON header does not parse (at byte " + std::to_string(e.byte) + " of " + std::to_string(size) + ")");
  } catch (const json::exception& e) {
    fail(std::string("the JSON header does not parse (") + (e.id == 406 ? "a number is out of range" : "bad value") +
         ")");
  }
}

int64_t product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

// Where one tensor's bytes lie in the data area; `index` is its place in SafeTensorsView::tensors.
struct ByteRange {
  uint64_t begin, end;
  size_t index;
};

// The reference reader's rule: the tensors' bytes tile the data area exactly, in some order. Overlapping tensors
// would share values, and bytes that belong to no tensor mean a damaged file (two files joined, a bad edit), which
// other tools refuse too.
void check_tiling(std::vector<ByteRange> ranges, const SafeTensorsView& file, uint64_t body_size) {
  std::sort(ranges.begin(), ranges.end(), [](const ByteRange& a, const ByteRange& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  auto name = [&](const ByteRange& r) { return "tensor \"" + printable(file.tensors[r.index].first, 80) + "\""; };
  auto span = [](const ByteRange& r) { return " [" + std::to_string(r.begin) + ", " + std::to_string(r.end) + "]"; };
  const std::string advice = "; the file is corrupt: write it again with the tool that made it";
  uint64_t at = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const ByteRange& r = ranges[i];
    if (r.begin < at) fail(name(r) + span(r) + " overlaps " + name(ranges[i - 1]) + span(ranges[i - 1]) + advice);
    if (r.begin > at)
      fail(std::to_string(r.begin - at) + " data bytes before " + name(r) + span(r) + " belong to no tensor" + advice);
    at = r.end;
  }
  if (at != body_size)
    fail(std::to_string(body_size - at) + " bytes after the last tensor's data belong to no tensor" + advice);
}

}  // namespace

int64_t Tensor::numel() const { return product(shape); }

const Tensor* SafeTensors::find(const std::string& name) const {
  for (const auto& [n, t] : tensors)
    if (n == name) return &t;
  return nullptr;
}

Tensor* SafeTensors::find(const std::string& name) {
  return const_cast<Tensor*>(static_cast<const SafeTensors&>(*this).find(name));
}

int64_t TensorView::numel() const { return product(shape); }

// Little-endian bytes to floats, the dtype resolved once per call, not per value: a string comparison per value
// made loading a generator take 65 ms in the browser.
void TensorView::decode(size_t first, size_t count, float* out) const {
  const uint8_t* p = bytes + first * stored_size(dtype);
  switch (dtype) {
    case Stored::F32:
      for (size_t i = 0; i < count; ++i, p += 4) {
        const uint32_t bits = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                              static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
        std::memcpy(out + i, &bits, 4);
      }
      break;
    case Stored::F16:
      for (size_t i = 0; i < count; ++i, p += 2) out[i] = half_to_float(static_cast<uint16_t>(p[0] | p[1] << 8));
      break;
    case Stored::BF16:  // the top half of an F32
      for (size_t i = 0; i < count; ++i, p += 2) {
        const uint32_t bits = static_cast<uint32_t>(p[0] | p[1] << 8) << 16;
        std::memcpy(out + i, &bits, 4);
      }
      break;
    case Stored::I8:
      for (size_t i = 0; i < count; ++i) out[i] = static_cast<float>(static_cast<int8_t>(p[i]));
      break;
  }
}

const TensorView* SafeTensorsView::find(const std::string& name) const {
  for (const auto& [n, t] : tensors)
    if (n == name) return &t;
  return nullptr;
}

void SafeTensors::add(std::string name, std::vector<int64_t> shape, const float* data) {
  Tensor t{std::move(shape), {}, std::nullopt};
  t.values.assign(data, data + t.numel());
  tensors.emplace_back(std::move(name), std::move(t));
}

SafeTensorsView index_safetensors(const uint8_t* data, size_t size, const SafeTensorsLimits& limits) {
  if (size < 8) fail("the file is only " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
  const uint64_t header_len = read_u64_le(data);
  // A header that cannot fit: when the first bytes say the file is another kind, that is named first (read as a
  // header length, its magic number makes a meaningless size). Only then: a valid header length may begin with
  // the same bytes (0x80, say).
  const std::string kind = foreign_kind(data, size);
  if (!kind.empty() && (header_len > limits.max_header_bytes || header_len > size - 8))
    throw FormatError("this is " + kind + ", not a safetensors file");
  if (header_len > limits.max_header_bytes)
    fail("the header claims " + std::to_string(header_len) + " bytes, more than the " +
         std::to_string(limits.max_header_bytes) + " allowed");
  if (header_len > size - 8)
    fail("the header claims " + std::to_string(header_len) + " bytes but the file has only " +
         std::to_string(size - 8) + " after the length; the file is truncated");
  const json header = parse_header(data + 8, header_len);
  if (!header.is_object()) fail("the JSON header is not an object");
  const uint8_t* body = data + 8 + header_len;
  const uint64_t body_size = size - 8 - header_len;

  SafeTensorsView out;
  std::vector<ByteRange> ranges;
  if (header.size() > limits.max_tensors + 1) fail("more than " + std::to_string(limits.max_tensors) + " tensors");
  int64_t total_elements = 0;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") {
      if (!info.is_object()) fail("__metadata__ is not an object");
      for (const auto& [key, value] : info.items()) {
        if (!value.is_string()) fail("metadata value of \"" + printable(key) + "\" is not a string");
        out.metadata[key] = value.get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor \"" + printable(name, 80) + "\": ";
    if (!info.is_object() || !info.contains("dtype") || !info.contains("shape") || !info.contains("data_offsets"))
      fail(where + "needs dtype, shape and data_offsets");
    if (!info["dtype"].is_string()) fail(where + "dtype is not a string");
    TensorView t;
    t.dtype = stored_type(info["dtype"].get<std::string>());
    const size_t elem = stored_size(t.dtype);
    const json& shape = info["shape"];
    if (!shape.is_array() || shape.size() > limits.max_rank) fail(where + "shape is not an array of at most 8 sizes");
    int64_t numel = 1;
    for (const auto& d : shape) {
      if (!d.is_number_unsigned()) fail(where + "shape holds something that is not a non-negative integer");
      const uint64_t v = d.get<uint64_t>();
      if (v > static_cast<uint64_t>(limits.max_elements) || (v > 0 && numel > limits.max_elements / static_cast<int64_t>(v)))
        fail(where + "shape is absurdly large");
      numel *= static_cast<int64_t>(v);
      t.shape.push_back(static_cast<int64_t>(v));
    }
    total_elements += numel;
    if (total_elements > limits.max_elements) fail("the tensors hold more than " + std::to_string(limits.max_elements) + " values in all");
    const json& offsets = info["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      fail(where + "data_offsets is not a pair of non-negative integers");
    const uint64_t begin = offsets[0].get<uint64_t>(), end = offsets[1].get<uint64_t>();
    if (begin > end || end > body_size)
      fail(where + "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "] lie outside the " +
           std::to_string(body_size) + " data bytes; the file is truncated or corrupt");
    if (end - begin != static_cast<uint64_t>(numel) * elem)
      fail(where + "holds " + std::to_string(end - begin) + " bytes but its shape and dtype need " +
           std::to_string(static_cast<uint64_t>(numel) * elem));
    t.bytes = body + begin;
    out.tensors.emplace_back(name, std::move(t));
    ranges.push_back({begin, end, out.tensors.size() - 1});
  }
  check_tiling(ranges, out, body_size);
  return out;
}

SafeTensors parse_safetensors(const uint8_t* data, size_t size, const SafeTensorsLimits& limits) {
  SafeTensorsView view = index_safetensors(data, size, limits);
  SafeTensors out;
  out.metadata = std::move(view.metadata);
  for (auto& [name, v] : view.tensors) {
    Tensor t{std::move(v.shape), {}, std::nullopt};
    t.values.resize(static_cast<size_t>(t.numel()));
    v.decode(0, t.values.size(), t.values.data());
    out.tensors.emplace_back(std::move(name), std::move(t));
  }
  return out;
}

std::vector<uint8_t> write_safetensors(const SafeTensors& file, DType dtype) {
  auto stored = [&](const Tensor& t) { return t.store_as.value_or(dtype); };
  auto elem_size = [](DType d) -> uint64_t { return d == DType::F32 ? 4 : d == DType::F16 ? 2 : 1; };
  auto name_of = [](DType d) { return d == DType::F32 ? "F32" : d == DType::F16 ? "F16" : "I8"; };
  json header = json::object();
  if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
  uint64_t offset = 0;
  for (const auto& [name, t] : file.tensors) {
    const uint64_t bytes = static_cast<uint64_t>(t.values.size()) * elem_size(stored(t));
    header[name] = {{"dtype", name_of(stored(t))}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  while ((8 + text.size()) % 8 != 0) text.push_back(' ');  // keeps tensor data 8-byte aligned, as the reference writer does
  std::vector<uint8_t> out(8 + text.size() + offset);
  const uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (8 * i));
  std::memcpy(out.data() + 8, text.data(), text.size());
  uint8_t* p = out.data() + 8 + text.size();
  for (const auto& [name, t] : file.tensors) {
    const DType d = stored(t);
    for (float v : t.values) {
      if (d == DType::F32) {
        uint32_t bits;
        std::memcpy(&bits, &v, 4);
        for (int i = 0; i < 4; ++i) *p++ = static_cast<uint8_t>(bits >> (8 * i));
      } else if (d == DType::F16) {
        const uint16_t h = float_to_half(v);
        *p++ = static_cast<uint8_t>(h);
        *p++ = static_cast<uint8_t>(h >> 8);
      } else {
        if (!(v >= -128.0f && v <= 127.0f && v == std::nearbyint(v)))
          throw std::invalid_argument("tensor \"" + name + "\" holds a value I8 cannot store: " + std::to_string(v));
        *p++ = static_cast<uint8_t>(static_cast<int8_t>(v));
      }
    }
  }
  return out;
}

}  // namespace gan
