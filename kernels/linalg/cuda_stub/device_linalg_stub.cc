// CudaLinalg for builds without CUDA: never available.
#include "kernels/linalg/device_linalg.h"

namespace csc::linalg {

const CudaLinalg* CudaLinalg::load(std::string& reason) {
  reason = "not compiled in";
  return nullptr;
}

}  // namespace csc::linalg
