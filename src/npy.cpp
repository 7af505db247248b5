// The .npy format: magic "\x93NUMPY", version, header length, a Python dict literal, then raw data.
#include "npy.h"

#include <cstring>
#include <regex>

namespace gan {

Matrix parse_npy(const uint8_t* data, size_t size, const std::string& name) {
  auto fail = [&](const std::string& what) -> FormatError { return FormatError(name + ": " + what); };
  if (size < 10 || std::memcmp(data, "\x93NUMPY", 6) != 0) throw fail("not a .npy file (no \\x93NUMPY magic)");
  const uint8_t major = data[6];
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = data[8] | static_cast<size_t>(data[9]) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) throw fail("truncated header");
    header_len = data[8] | static_cast<size_t>(data[9]) << 8 | static_cast<size_t>(data[10]) << 16 |
                 static_cast<size_t>(data[11]) << 24;
    offset = 12;
  } else {
    throw fail("unsupported .npy version " + std::to_string(major));
  }
  if (header_len > 65536 || header_len > size - offset) throw fail("header length is wrong or the file is truncated");
  const std::string header(reinterpret_cast<const char*>(data + offset), header_len);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')"))) throw fail("header has no 'descr'");
  const std::string descr = m[1];
  if (descr != "<f4" && descr != "<f8")
    throw fail("dtype " + printable(descr) +
               " is not supported; save float32 with np.save(path, a.astype(np.float32))");
  if (std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*True)")))
    throw fail("Fortran-ordered arrays are not supported; save np.ascontiguousarray(a)");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))"))) throw fail("header has no 'shape'");
  // The shape is a Python tuple of non-negative integers: "(3, 100)", "(100,)", or "()" for a scalar.
  const std::string shape = m[1];
  const std::string quoted = "(" + printable(shape) + ")";
  std::vector<std::string> items(1);
  for (char c : shape) {
    if (c == ',')
      items.emplace_back();
    else if (c != ' ' && c != '\t')
      items.back().push_back(c);
  }
  if (items.size() > 1 && items.back().empty()) items.pop_back();  // "(100,)"
  if (items.size() == 1 && items[0].empty()) items.clear();        // "()"
  std::vector<long long> dims;
  for (const std::string& item : items) {
    if (item.empty()) throw fail("shape " + quoted + " is not a tuple of sizes; save the array with np.save");
    if (item[0] == '-') throw fail("shape " + quoted + " has a negative size; save the array with np.save");
    if (item.find_first_not_of("0123456789") != std::string::npos)
      throw fail("shape " + quoted + " has a size that is not a whole number; save the array with np.save");
    if (item.size() > 9) throw fail("shape " + quoted + " is absurdly large");
    dims.push_back(std::stoll(item));
  }
  if (dims.empty() || dims.size() > 2) throw fail("expected a 1-D or 2-D array, got " + std::to_string(dims.size()) + "-D");
  const long long rows = dims.size() == 2 ? dims[0] : 1, cols = dims.back();
  const size_t elem = descr == "<f4" ? 4 : 8;
  const size_t body = size - offset - header_len;
  if (static_cast<unsigned long long>(rows) * static_cast<unsigned long long>(cols) * elem != body)
    throw fail("shape (" + std::to_string(rows) + ", " + std::to_string(cols) + ") needs " +
               std::to_string(rows * cols * static_cast<long long>(elem)) + " bytes of data, the file has " + std::to_string(body));
  Matrix out(rows, cols);
  const uint8_t* p = data + offset + header_len;
  for (long long i = 0; i < rows * cols; ++i) {
    if (elem == 4) {
      std::memcpy(out.data() + i, p + 4 * i, 4);
    } else {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      out.data()[i] = static_cast<float>(d);
    }
  }
  return out;
}

std::vector<uint8_t> write_npy(const Matrix& mat) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(mat.rows()) + ", " +
                       std::to_string(mat.cols()) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header.push_back(' ');
  header.push_back('\n');
  const uint8_t preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<uint8_t>(header.size()),
                                static_cast<uint8_t>(header.size() >> 8)};
  std::vector<uint8_t> out(10 + header.size() + static_cast<size_t>(mat.size()) * 4);
  std::memcpy(out.data(), preamble, 10);
  std::memcpy(out.data() + 10, header.data(), header.size());
  if (mat.size() > 0) std::memcpy(out.data() + 10 + header.size(), mat.data(), static_cast<size_t>(mat.size()) * 4);
  return out;
}

}  // namespace gan
