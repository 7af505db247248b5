// Reads the latent vectors `gan generate --z` draws: a .npy of shape (N, z) float32, or the page's latent JSON
// ({"z": [...], "class": c} from "Download latent JSON"; also {"z": [[...], ...]} with one class or a list of them, as
// `gan invert` writes, or a bare list of vectors).
#include "latent_file.h"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "file_io.h"
#include "format_error.h"
#include "json_number.h"
#include "npy.h"

namespace gan {

namespace {

bool looks_like_json(const std::vector<uint8_t>& bytes) {
  for (uint8_t c : bytes) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// One vector per row: the rows of a list of lists, or one row for a flat list of numbers.
Matrix json_rows(const nlohmann::json& z, const std::string& path) {
  if (!z.is_array() || z.empty())
    throw UserError(path + ": \"z\" must be a list of numbers, or a list of such lists (one per digit)");
  const bool nested = z.front().is_array();
  const size_t rows = nested ? z.size() : 1, cols = nested ? z.front().size() : z.size();
  Matrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (size_t r = 0; r < rows; ++r) {
    const nlohmann::json& row = nested ? z[r] : z;
    if (!row.is_array() || row.size() != cols)
      throw UserError(path + ": vector " + std::to_string(r) + " holds " + std::to_string(row.size()) + " values, the "
                      "first holds " + std::to_string(cols) + "; every vector must have the same size");
    for (size_t c = 0; c < cols; ++c) {
      if (!row[c].is_number())
        throw UserError(path + ": vector " + std::to_string(r) + " has a value that is not a number; every value of "
                        "\"z\" must be a number (save it again with the page's \"Download latent JSON\")");
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = row[c].get<float>();
    }
  }
  return m;
}

LatentFile parse_json(const std::vector<uint8_t>& bytes, const std::string& path) {
  const auto json = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (json.is_discarded())
    throw UserError(path + " is not valid JSON; save it again with the page's \"Download latent JSON\"");
  LatentFile out;
  if (json.is_array()) {
    out.z = json_rows(json, path);
    return out;
  }
  if (!json.is_object() || !json.contains("z"))
    throw UserError(path + " has no \"z\"; save it with the page's \"Download latent JSON\", or as a .npy");
  out.z = json_rows(json["z"], path);
  if (json.contains("class")) {
    const auto& c = json["class"];
    // Read as whole numbers that fit an int (the model's class range is checked where the labels are used).
    const auto label = [](const nlohmann::json& v) { return whole_number_in(v, INT32_MIN, INT32_MAX); };
    const bool per_digit = c.is_array() && c.size() == size_t(out.z.rows()) &&
                           std::all_of(c.begin(), c.end(), [&](const nlohmann::json& v) { return label(v).has_value(); });
    if (!label(c) && !per_digit)
      throw UserError(path + ": \"class\" is not a whole number (a digit 0-9) or a list of one per vector of \"z\"; "
                             "write the digits' classes there, as the page's \"Download latent JSON\" does");
    if (per_digit)
      for (const auto& v : c) out.labels.push_back(int(*label(v)));
    else
      out.labels.assign(static_cast<size_t>(out.z.rows()), int(*label(c)));
  }
  return out;
}

}  // namespace

LatentFile read_latent_file(const std::string& path, int z_dim) {
  const auto bytes = read_file(path, uint64_t{1} << 30);
  LatentFile out;
  if (looks_like_json(bytes)) {
    out = parse_json(bytes, path);
  } else {
    try {
      out.z = parse_npy(bytes.data(), bytes.size(), path);
    } catch (const FormatError& e) {
      throw file_error(path, e.what(), "save a float32 array of shape (N, " + std::to_string(z_dim) +
                       ") with np.save, or the page's latent JSON");
    }
  }
  const Matrix& z = out.z;
  if (z.cols() != z_dim)
    throw UserError(path + " holds vectors of " + std::to_string(z.cols()) + " values, the generator takes " +
                    std::to_string(z_dim) + "; save vectors of " + std::to_string(z_dim) + " values");
  if (z.rows() < 1 || z.rows() > 100000)
    throw UserError(path + " holds " + std::to_string(z.rows()) + " latent vectors; save 1 to 100000");
  if (!z.allFinite()) throw UserError(path + " holds NaN or infinite values; save finite latent vectors");
  return out;
}

}  // namespace gan
