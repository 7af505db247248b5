// whole_number_in: the one way untrusted JSON counts are read, refusing fractions, exponents, other types and range.
#include <catch2/catch.hpp>

#include "json_number.h"

using gan::whole_number_in;
using nlohmann::json;

TEST_CASE("whole numbers from JSON are read only when whole and in range", "[json]") {
  CHECK(whole_number_in(json::parse("7"), 0, 10) == 7);
  CHECK(whole_number_in(json::parse("-3"), -5, 10) == -3);
  CHECK(whole_number_in(json::parse("0"), 0, 0) == 0);
  CHECK_FALSE(whole_number_in(json::parse("11"), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("-1"), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("3.0"), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("1e300"), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("\"3\""), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("null"), 0, 10));
  CHECK_FALSE(whole_number_in(json::parse("18446744073709551615"), 0, INT64_MAX));  // 2^64 - 1 would wrap to -1
  CHECK(whole_number_in(json::parse("9223372036854775807"), 0, INT64_MAX) == INT64_MAX);
  CHECK_FALSE(whole_number_in(json::parse("5"), 0, -1));  // an empty range holds nothing
}
