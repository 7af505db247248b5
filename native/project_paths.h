// Default paths (data/mnist, assets/...) found wherever `gan` runs from: the current folder first, then the folders
// above the executable (build/release/native/gan sits three below the project).
#pragma once
#include <string>

namespace gan {

// `relative` itself when it exists from the current folder, else the first folder above the executable that holds
// it, else `relative` unchanged (the command then says it is missing).
std::string locate_default(const std::string& relative);

}  // namespace gan
