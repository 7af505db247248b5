// The test executable's main: Catch2's session.
#include "catch_session.h"

int main(int argc, char** argv) { return gan::testing::run_catch_session(argc, argv); }
