// Per-element GEMM epilogue math (bias, then activation) shared by the CUDA epilogue kernel and the
// CPU tests that check it; the same rules as the CPU GEMM's fused epilogue (kernels/linalg/gemm.h).
#pragma once

#include <cmath>
#include <cstddef>

#include "kernels/cuda_hd.h"
#include "kernels/linalg/gemm.h"

namespace csc::linalg {

// relu keeps NaN; sigmoid goes through e^-|v| <= 1 so it never overflows.
template <class T>
CSC_HD inline T activate(Activation activation, T v) {
  switch (activation) {
    case Activation::identity:
      return v;
    case Activation::relu:
      return v < T(0) ? T(0) : v;
    case Activation::tanh:
      return std::tanh(v);
    case Activation::sigmoid: {
      const T e = std::exp(-std::fabs(v));
      return v >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
    }
  }
  return v;
}

// C[i][j] = act(C[i][j] + bias[j]); bias may be null.
template <class T>
CSC_HD inline T bias_activate(T c, const T* bias, std::size_t j, Activation activation) {
  return activate(activation, bias != nullptr ? c + bias[j] : c);
}

}  // namespace csc::linalg
