// Launchers for the GEMM epilogue kernel (C = act(C + bias) on the device), callable from host code.
#pragma once

#include <cuda_runtime_api.h>

#include "kernels/linalg/gemm.h"

namespace csc::linalg::cuda {

// c: m x n row-major device matrix (leading dimension ldc); bias: n device values or null. Returns the
// launch status (the kernel runs asynchronously on `stream`).
cudaError_t launch_bias_activation(float* c, int m, int n, int ldc, const float* bias, Activation activation,
                                   cudaStream_t stream);
cudaError_t launch_bias_activation(double* c, int m, int n, int ldc, const double* bias, Activation activation,
                                   cudaStream_t stream);

}  // namespace csc::linalg::cuda
