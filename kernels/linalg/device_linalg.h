// Dense linear algebra on a CUDA device: cuBLAS GEMM/SYRK and cuSOLVER's symmetric eigensolver, both
// dlopen'ed (a machine without them, or without a GPU, still runs csc on the CPU). Host pointers in
// and out: each call copies its operands to the device, computes, and copies the result back.
#pragma once

#include <cstddef>
#include <string>

#include "kernels/linalg/gemm.h"
#include "kernels/linalg/syrk.h"

namespace csc::linalg {

class CudaLinalg {
 public:
  // The process-wide instance, created on the first call (thread-safe) and kept until exit; nullptr
  // when CUDA cannot be used, with `reason` saying why: "not compiled in", "no CUDA device (...)",
  // "unavailable: libcublas.so.13 not found (...)", "unavailable: libcusolver.so.12 has no ...".
  static const CudaLinalg* load(std::string& reason);

  CudaLinalg() = default;
  CudaLinalg(const CudaLinalg&) = delete;
  CudaLinalg& operator=(const CudaLinalg&) = delete;
  virtual ~CudaLinalg() = default;

  // Same contract as csc::linalg::gemm (row-major, beta == 0 ignores NaN in C, fused bias+activation).
  void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
            std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
            const Epilogue<float>& epilogue = {}) const {
    gemm_f32(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  }
  void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
            std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
            const Epilogue<double>& epilogue = {}) const {
    gemm_f64(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  }

  // Same contract as csc::linalg::syrk: one triangle of C = alpha * (X^T X or X X^T) + beta * C.
  void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, float alpha, const float* x, std::size_t ldx,
            float beta, float* c, std::size_t ldc) const {
    syrk_f32(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, double alpha, const double* x, std::size_t ldx,
            double beta, double* c, std::size_t ldc) const {
    syrk_f64(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }

  // Eigen-decomposition of the symmetric n x n matrix A (row-major, lda >= n) reading only triangle
  // `tri`: eigenvalues ascending in w (n), eigenvector j in column j of V (v[i*ldv + j], ldv >= n), as
  // Eigen's SelfAdjointEigenSolver returns them. Throws std::runtime_error if cuSOLVER does not converge.
  void eigh(Triangle tri, std::size_t n, const float* a, std::size_t lda, float* w, float* v, std::size_t ldv) const {
    eigh_f32(tri, n, a, lda, w, v, ldv);
  }
  void eigh(Triangle tri, std::size_t n, const double* a, std::size_t lda, double* w, double* v,
            std::size_t ldv) const {
    eigh_f64(tri, n, a, lda, w, v, ldv);
  }

  // The device the calls run on, e.g. "NVIDIA A100-SXM4-40GB (device 0)".
  virtual std::string device() const = 0;

 private:
  // Errors: std::invalid_argument for bad shapes (as on the CPU), std::runtime_error for CUDA failures.
  virtual void gemm_f32(Op, Op, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t,
                        const float*, std::size_t, float, float*, std::size_t, const Epilogue<float>&) const = 0;
  virtual void gemm_f64(Op, Op, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t,
                        const double*, std::size_t, double, double*, std::size_t, const Epilogue<double>&) const = 0;
  virtual void syrk_f32(Triangle, Op, std::size_t, std::size_t, float, const float*, std::size_t, float, float*,
                        std::size_t) const = 0;
  virtual void syrk_f64(Triangle, Op, std::size_t, std::size_t, double, const double*, std::size_t, double,
                        double*, std::size_t) const = 0;
  virtual void eigh_f32(Triangle, std::size_t, const float*, std::size_t, float*, float*, std::size_t) const = 0;
  virtual void eigh_f64(Triangle, std::size_t, const double*, std::size_t, double*, double*, std::size_t) const = 0;
};

}  // namespace csc::linalg
