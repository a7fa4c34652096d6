// The GEMM epilogue on the device: one thread per element of C, math from kernels/linalg/activation_hd.h.
#include "kernels/linalg/cuda/bias_activation.h"

#include <algorithm>

#include "kernels/linalg/activation_hd.h"

namespace csc::linalg::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kMaxGridRows = 65535;  // gridDim.y limit; rows beyond it are strided

template <class T>
__global__ void bias_activation_kernel(T* c, int m, int n, int ldc, const T* bias, Activation activation) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= n) return;
  for (int i = blockIdx.y; i < m; i += gridDim.y) {
    T& element = c[static_cast<std::size_t>(i) * ldc + j];
    element = bias_activate(element, bias, static_cast<std::size_t>(j), activation);
  }
}

template <class T>
cudaError_t launch(T* c, int m, int n, int ldc, const T* bias, Activation activation, cudaStream_t stream) {
  if (m <= 0 || n <= 0) return cudaSuccess;
  const dim3 grid((n + kThreads - 1) / kThreads, std::min(m, kMaxGridRows));
  bias_activation_kernel<<<grid, kThreads, 0, stream>>>(c, m, n, ldc, bias, activation);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_bias_activation(float* c, int m, int n, int ldc, const float* bias, Activation activation,
                                   cudaStream_t stream) {
  return launch(c, m, n, ldc, bias, activation, stream);
}
cudaError_t launch_bias_activation(double* c, int m, int n, int ldc, const double* bias, Activation activation,
                                   cudaStream_t stream) {
  return launch(c, m, n, ldc, bias, activation, stream);
}

}  // namespace csc::linalg::cuda
