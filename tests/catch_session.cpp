// Catch2's implementation, compiled once and linked into every test executable (each main only starts it): it is the
// slowest file of the tests to compile, about two minutes a copy under the sanitizers.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "catch_session.h"

int gan::testing::run_catch_session(int argc, char** argv) { return Catch::Session().run(argc, argv); }
