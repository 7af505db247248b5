// Runs Catch2's session: its implementation is compiled once (catch_session.cpp) and linked into every test executable.
#pragma once

namespace gan::testing {

int run_catch_session(int argc, char** argv);

}  // namespace gan::testing
