// Highway targets: the one chosen at run time on this CPU, those this CPU supports, those compiled in.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace csc::simd {

std::string chosen_target();                    // e.g. "AVX3": what HWY_DYNAMIC_DISPATCH calls here
std::vector<std::string> supported_targets();   // compiled in AND supported by this CPU, best first
std::vector<std::string> compiled_targets();    // every target this binary carries, best first
std::vector<int64_t> supported_target_bits();   // the same as supported_targets(), as HWY_* bits

}  // namespace csc::simd
