// A wasm export's work with its exceptions caught: JavaScript gets 1 and reads the reason, never an abort.
#pragma once
#include <new>
#include <stdexcept>
#include <string>

namespace gan_web {

// Runs fn and returns 0, or puts the reason in `message` and returns 1 (`out_of_memory` names whose memory ran out).
template <class Fn>
int guarded_call(std::string& message, const char* out_of_memory, Fn&& fn) {
  try {
    fn();
    return 0;
  } catch (const std::bad_alloc&) {
    message = out_of_memory;
  } catch (const std::exception& e) {
    message = e.what();
  }
  return 1;
}

}  // namespace gan_web
