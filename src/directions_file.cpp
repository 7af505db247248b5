// The directions sidecar as JSON: one object per direction with its vector, unit and measured effect.
#include "directions_file.h"

#include <cmath>
#include <limits>
#include <optional>
#include <nlohmann/json.hpp>

#include "format_error.h"
#include "json_number.h"

namespace gan {

namespace {

constexpr const char* kFormat = "gan-directions";
constexpr int kVersion = 1;

Attribute attribute_named(const std::string& name) {
  for (Attribute a : kAllAttributes)
    if (attribute_name(a) == name) return a;
  throw FormatError("the directions file names an attribute \"" + printable(name) +
                    "\" this version does not know (ink, slant, width, height); write it again with gan directions");
}

void check_owner(const DirectionsOwner& got, const DirectionsOwner& want) {
  const bool same = got.architecture == want.architecture && got.z_dim == want.z_dim && got.classes == want.classes &&
                    (got.dataset.empty() || want.dataset.empty() || got.dataset == want.dataset) &&
                    (got.step.empty() || want.step.empty() || got.step == want.step);
  if (!same)
    throw FormatError("these directions belong to another generator (" + printable(got.architecture) + ", step " +
                      printable(got.step) + ", not this " + want.architecture + ", step " + want.step +
                      "); run gan directions on this generator");
}

// A whole-number field within [lo, hi]; a fraction, a huge value or another type is refused with the field's name.
int int_field(const nlohmann::json& object, const char* key, int lo, int hi) {
  const std::optional<int64_t> v = whole_number_in(object.at(key), lo, hi);
  if (!v)
    throw FormatError(std::string("the directions file's \"") + key + "\" is not a whole number from " +
                      std::to_string(lo) + " to " + std::to_string(hi) + "; write it again with gan directions");
  return int(*v);
}

NamedDirection read_direction(const nlohmann::json& d, int z_dim) {
  const std::vector<float> z = d.at("z").get<std::vector<float>>();
  if (int(z.size()) != z_dim)
    throw FormatError("a direction holds " + std::to_string(z.size()) + " values, and this generator's z has " +
                      std::to_string(z_dim) + "; run gan directions on this generator");
  NamedDirection n;
  n.direction.attribute = attribute_named(d.at("name").get<std::string>());
  n.direction.direction = Eigen::Map<const RowVector>(z.data(), Eigen::Index(z.size()));
  if (!n.direction.direction.allFinite() || n.direction.direction.norm() < 1e-3f)
    throw FormatError("a direction's vector is not finite or is zero; write the file again with gan directions");
  n.at_plus_2 = {d.at("change_at_plus_2").get<double>(), d.at("class_kept_at_plus_2").get<double>()};
  return n;
}

}  // namespace

std::string write_directions_json(const DirectionsFile& file) {
  nlohmann::json dirs = nlohmann::json::array();
  for (const NamedDirection& d : file.directions) {
    const RowVector& v = d.direction.direction;
    dirs.push_back({{"name", attribute_name(d.direction.attribute)},
                    {"unit", attribute_unit(d.direction.attribute)},
                    {"change_at_plus_2", d.at_plus_2.change},
                    {"class_kept_at_plus_2", d.at_plus_2.class_kept},
                    {"z", std::vector<float>(v.data(), v.data() + v.size())}});
  }
  const DirectionsOwner& o = file.owner;
  const nlohmann::json j{{"format", kFormat},
                         {"version", kVersion},
                         {"generator", {{"architecture", o.architecture}, {"z_dim", o.z_dim}, {"classes", o.classes},
                                        {"dataset", o.dataset}, {"step", o.step}}},
                         {"fitted_on", file.fitted_on},
                         {"directions", dirs}};
  return j.dump(1) + "\n";
}

DirectionsFile parse_directions_json(const std::string& text, const DirectionsOwner& expected) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  const auto field_is = [&](const char* key, auto value) { return j.contains(key) && j[key] == value; };
  if (j.is_discarded() || !j.is_object() || !field_is("format", kFormat))
    throw FormatError("not a directions file (JSON with \"format\": \"gan-directions\"); write one with gan directions");
  if (!field_is("version", kVersion))
    throw FormatError("a directions file of another version; write it again with this gan directions");
  DirectionsFile out;
  try {
    const auto& g = j.at("generator");
    out.owner = {g.at("architecture").get<std::string>(), int_field(g, "z_dim", 1, 1 << 20),
                 int_field(g, "classes", 0, 1 << 20), g.at("dataset").get<std::string>(), g.at("step").get<std::string>()};
    check_owner(out.owner, expected);
    out.fitted_on = int_field(j, "fitted_on", 0, std::numeric_limits<int>::max());
    for (const auto& d : j.at("directions")) out.directions.push_back(read_direction(d, expected.z_dim));
  } catch (const nlohmann::json::exception&) {
    throw FormatError("the directions file lacks a field or has one of the wrong type; write it again with gan "
                      "directions");
  }
  return out;
}

}  // namespace gan
