// Tensor and metadata checks shared by every file loader.
#include "file_checks.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "format_error.h"

namespace gan {

std::string shape_text(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}


// What to do about a file whose parts disagree with each other, by the `what` that names it in messages.
std::string damaged_advice(const std::string& what) {
  if (what == "checkpoint")
    return "the checkpoint is damaged or was edited: resume from an intact checkpoint, or start a new run with "
           "`gan train`";
  if (what == "classifier file") return "the file is damaged or was edited: train a new one with `gan classifier`";
  return "the file is inconsistent (damaged or edited): export the generator again with `gan train`, or `gan convert` "
         "from an intact copy";
}


// Tensor `name` with `shape`; its values are checked as they are read (read_finite).
const TensorView& require(const SafeTensorsView& file, const std::string& name, const std::vector<int64_t>& shape,
                          const std::string& what) {
  const TensorView* t = file.find(name);
  if (!t) throw FormatError(what + " has no tensor \"" + name + "\"; is it a " + what + " of another architecture, or damaged?");
  if (t->shape != shape)
    throw FormatError(what + ": tensor \"" + name + "\" has shape " + shape_text(t->shape) + ", expected " + shape_text(shape));
  return *t;
}


void check_finite(const float* values, size_t count, const std::string& name, const std::string& what) {
  for (size_t i = 0; i < count; ++i)
    if (!std::isfinite(values[i]))
      throw FormatError(what + ": tensor \"" + name + "\" holds NaN or infinite values; the training that wrote it diverged");
}


// Values [first, first + count) of a tensor that require() returned, refusing NaN and infinities.
void read_finite(const TensorView& t, size_t first, size_t count, float* out, const std::string& name,
                 const std::string& what) {
  t.decode(first, count, out);
  check_finite(out, count, name, what);
}


// Seeds are unsigned 64-bit, so values are parsed as unsigned and reinterpreted.
int64_t parse_int(const std::map<std::string, std::string>& meta, const std::string& key, const std::string& what) {
  auto it = meta.find(key);
  if (it == meta.end()) throw FormatError(what + ": metadata \"" + key + "\" is missing");
  try {
    size_t used = 0;
    if (it->second.empty() || it->second[0] == '-') throw std::invalid_argument(key);
    const auto v = static_cast<int64_t>(std::stoull(it->second, &used));
    if (used != it->second.size()) throw std::invalid_argument(key);
    return v;
  } catch (const std::exception&) {
    throw FormatError(what + ": metadata \"" + key + "\" is not an integer: \"" + printable(it->second) + "\"");
  }
}


// A metadata count that must lie in [0, max] (parse_int reads "-1" as not an integer and huge values as negative).
int64_t parse_count(const std::map<std::string, std::string>& meta, const std::string& key, int64_t max,
                    const std::string& what) {
  const int64_t v = parse_int(meta, key, what);
  if (v < 0 || v > max)
    throw FormatError(what + ": metadata \"" + key + "\" is out of range: " + printable(meta.at(key)) + "; " +
                      damaged_advice(what));
  return v;
}


// The Adam hyperparameters "lr,beta1,beta2,eps", each in the range `gan train` accepts (eps, which it does not set,
// above 0 and at most 1).
AdamConfig parse_adam(const std::map<std::string, std::string>& meta, const std::string& what) {
  auto it = meta.find("adam");
  if (it == meta.end()) throw FormatError(what + ": metadata \"adam\" is missing; " + damaged_advice(what));
  double v[4];
  const char* p = it->second.c_str();
  for (int i = 0; i < 4; ++i) {
    char* end = nullptr;
    v[i] = std::strtod(p, &end);
    if (end == p || *end != (i < 3 ? ',' : '\0'))
      throw FormatError(what + ": metadata \"adam\" is not four numbers lr,beta1,beta2,eps: \"" +
                        printable(it->second, 80) + "\"; " + damaged_advice(what));
    p = end + 1;
  }
  AdamConfig adam{v[0], v[1], v[2], v[3]};
  const char* bad = !(adam.lr > 0 && adam.lr <= 1)                 ? "lr (above 0, at most 1)"
                    : !(adam.beta1 >= 0 && adam.beta1 <= 0.999999) ? "beta1 (0 to 0.999999)"
                    : !(adam.beta2 >= 0 && adam.beta2 <= 0.999999) ? "beta2 (0 to 0.999999)"
                    : !(adam.eps > 0 && adam.eps <= 1)             ? "eps (above 0, at most 1)"
                                                                   : nullptr;
  if (bad)
    throw FormatError(what + ": metadata \"adam\" has " + bad + " out of range: \"" + printable(it->second, 80) +
                      "\"; " + damaged_advice(what));
  return adam;
}

double parse_real(const Metadata& meta, const std::string& key, double fallback, bool (*valid)(double),
                  const std::string& what) {
  auto it = meta.find(key);
  if (it == meta.end()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0' || !valid(v))
    throw FormatError(what + ": metadata \"" + key + "\" is malformed or out of range: \"" + printable(it->second) +
                      "\"; " + damaged_advice(what));
  return v;
}

}  // namespace gan
