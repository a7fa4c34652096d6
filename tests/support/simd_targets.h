// Runs a test body once per Highway target this CPU supports, forcing dispatch to that target.
#pragma once

#include <doctest/doctest.h>
#include <hwy/targets.h>

#include "kernels/simd/targets.h"

namespace csc::test {

template <class Body>
void for_each_simd_target(Body&& body) {
  for (int64_t target : csc::simd::supported_target_bits()) {
    hwy::SetSupportedTargetsForTest(target);
    CAPTURE(hwy::TargetName(target));
    body();
  }
  hwy::SetSupportedTargetsForTest(0);
}

}  // namespace csc::test
