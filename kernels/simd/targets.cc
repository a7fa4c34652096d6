// Asks Highway's dispatcher which target it picks; the per-target function only reports HWY_TARGET.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd/targets.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include "kernels/simd/targets.h"

HWY_BEFORE_NAMESPACE();
namespace csc::simd::HWY_NAMESPACE {
int64_t current_target() { return HWY_TARGET; }
}  // namespace csc::simd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <hwy/targets.h>

namespace csc::simd {
HWY_EXPORT(current_target);

namespace {
// Highway numbers targets so that a lower bit is a better target.
std::vector<int64_t> bits_of(int64_t mask) {
  std::vector<int64_t> bits;
  for (int64_t bit = 1; bit != 0 && bit <= mask; bit <<= 1)
    if (mask & bit) bits.push_back(bit);
  return bits;
}
std::vector<std::string> names_of(int64_t mask) {
  std::vector<std::string> names;
  for (int64_t bit : bits_of(mask)) names.emplace_back(hwy::TargetName(bit));
  return names;
}
}  // namespace

std::string chosen_target() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(current_target)()); }
// Highway 1.0.3 returns the supported-and-compiled targets as a list of bits, best first.
std::vector<std::string> supported_targets() {
  std::vector<std::string> names;
  for (int64_t bit : hwy::SupportedAndGeneratedTargets()) names.emplace_back(hwy::TargetName(bit));
  return names;
}
std::vector<std::string> compiled_targets() { return names_of(HWY_TARGETS); }
std::vector<int64_t> supported_target_bits() { return hwy::SupportedAndGeneratedTargets(); }

}  // namespace csc::simd
#endif  // HWY_ONCE
