// CudaLinalg on cuBLAS and cuSOLVER (dlopen'ed, headers used for types only) and the statically
// linked CUDA runtime. Row-major data is handed to the column-major libraries as its transpose:
// C = op(A) op(B) row-major is C^T = op(B)^T op(A)^T column-major, with the same buffers.
#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusolverDn.h>

#include <climits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/linalg/activation_hd.h"
#include "kernels/linalg/cuda/bias_activation.h"
#include "kernels/linalg/device_linalg.h"
#include "kernels/linalg/shared_library.h"

namespace csc::linalg {
namespace {

constexpr const char* kCublasSoname = "libcublas.so.13";
constexpr const char* kCusolverSoname = "libcusolver.so.12";

struct CublasApi {
  decltype(&cublasCreate_v2) create = nullptr;
  decltype(&cublasDestroy_v2) destroy = nullptr;
  decltype(&cublasGetStatusString) status_string = nullptr;
  decltype(&cublasSgemm_v2) sgemm = nullptr;
  decltype(&cublasDgemm_v2) dgemm = nullptr;
  decltype(&cublasSsyrk_v2) ssyrk = nullptr;
  decltype(&cublasDsyrk_v2) dsyrk = nullptr;

  bool bind(const SharedLibrary& lib, std::string& reason) {
    return lib.bind(create, "cublasCreate_v2", reason) && lib.bind(destroy, "cublasDestroy_v2", reason) &&
           lib.bind(status_string, "cublasGetStatusString", reason) && lib.bind(sgemm, "cublasSgemm_v2", reason) &&
           lib.bind(dgemm, "cublasDgemm_v2", reason) && lib.bind(ssyrk, "cublasSsyrk_v2", reason) &&
           lib.bind(dsyrk, "cublasDsyrk_v2", reason);
  }
};

struct CusolverApi {
  decltype(&cusolverDnCreate) create = nullptr;
  decltype(&cusolverDnDestroy) destroy = nullptr;
  decltype(&cusolverDnSsyevd_bufferSize) ssyevd_buffer_size = nullptr;
  decltype(&cusolverDnDsyevd_bufferSize) dsyevd_buffer_size = nullptr;
  decltype(&cusolverDnSsyevd) ssyevd = nullptr;
  decltype(&cusolverDnDsyevd) dsyevd = nullptr;

  bool bind(const SharedLibrary& lib, std::string& reason) {
    return lib.bind(create, "cusolverDnCreate", reason) && lib.bind(destroy, "cusolverDnDestroy", reason) &&
           lib.bind(ssyevd_buffer_size, "cusolverDnSsyevd_bufferSize", reason) &&
           lib.bind(dsyevd_buffer_size, "cusolverDnDsyevd_bufferSize", reason) &&
           lib.bind(ssyevd, "cusolverDnSsyevd", reason) && lib.bind(dsyevd, "cusolverDnDsyevd", reason);
  }
};

void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later calls start clean
    throw std::runtime_error(std::string("CUDA ") + what + " failed: " + cudaGetErrorString(status));
  }
}

int as_int(std::size_t value, const char* what) {
  if (value > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument(std::string("cuda ") + what + ": dimension exceeds the 32-bit cuBLAS interface");
  return static_cast<int>(value);
}

// A device allocation of `count` elements of T (none for count == 0).
template <class T>
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t count) {
    if (count > 0) check_cuda(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(T)), "cudaMalloc");
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (data_ != nullptr) cudaFree(data_);
  }
  T* get() const { return data_; }

 private:
  T* data_ = nullptr;
};

// Copies a rows x cols host matrix (leading dimension ld) into a packed device buffer (leading dimension cols).
template <class T>
void to_device(T* device, const T* host, std::size_t rows, std::size_t cols, std::size_t ld) {
  if (rows == 0 || cols == 0) return;
  check_cuda(cudaMemcpy2D(device, cols * sizeof(T), host, ld * sizeof(T), cols * sizeof(T), rows,
                          cudaMemcpyHostToDevice),
             "cudaMemcpy2D to device");
}

template <class T>
void to_host(T* host, std::size_t ld, const T* device, std::size_t rows, std::size_t cols) {
  if (rows == 0 || cols == 0) return;
  check_cuda(cudaMemcpy2D(host, ld * sizeof(T), device, cols * sizeof(T), cols * sizeof(T), rows,
                          cudaMemcpyDeviceToHost),
             "cudaMemcpy2D to host");
}

void require(bool ok, const char* message) {
  if (!ok) throw std::invalid_argument(message);
}

cublasOperation_t to_cublas(Op op) { return op == Op::none ? CUBLAS_OP_N : CUBLAS_OP_T; }

// Row-major triangle `tri` of a symmetric matrix is the opposite triangle of its column-major view.
cublasFillMode_t column_major_fill(Triangle tri) {
  return tri == Triangle::lower ? CUBLAS_FILL_MODE_UPPER : CUBLAS_FILL_MODE_LOWER;
}

class CublasCusolverLinalg final : public CudaLinalg {
 public:
  static std::unique_ptr<CublasCusolverLinalg> create(std::string& reason) {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      cudaGetLastError();
      reason = std::string("no CUDA device (") + cudaGetErrorName(status) + ": " + cudaGetErrorString(status) + ")";
      return nullptr;
    }
    if (count == 0) {
      reason = "no CUDA device";
      return nullptr;
    }
    auto self = std::unique_ptr<CublasCusolverLinalg>(new CublasCusolverLinalg);
    self->cublas_lib_ = SharedLibrary::open(kCublasSoname, reason);
    if (!self->cublas_lib_ || !self->cublas_.bind(*self->cublas_lib_, reason)) return nullptr;
    self->cusolver_lib_ = SharedLibrary::open(kCusolverSoname, reason);
    if (!self->cusolver_lib_ || !self->cusolver_.bind(*self->cusolver_lib_, reason)) return nullptr;

    int device = 0;
    cudaDeviceProp properties{};
    if (cudaGetDevice(&device) != cudaSuccess || cudaGetDeviceProperties(&properties, device) != cudaSuccess) {
      cudaGetLastError();
      reason = "no CUDA device (cannot query the current device)";
      return nullptr;
    }
    self->device_ = std::string(properties.name) + " (device " + std::to_string(device) + ")";
    if (const cublasStatus_t s = self->cublas_.create(&self->blas_); s != CUBLAS_STATUS_SUCCESS) {
      reason = std::string("unavailable: cublasCreate failed (") + self->cublas_.status_string(s) + ")";
      self->blas_ = nullptr;
      return nullptr;
    }
    if (self->cusolver_.create(&self->solver_) != CUSOLVER_STATUS_SUCCESS) {
      reason = "unavailable: cusolverDnCreate failed";
      self->solver_ = nullptr;
      return nullptr;
    }
    return self;
  }

  ~CublasCusolverLinalg() override {
    if (solver_ != nullptr) cusolver_.destroy(solver_);
    if (blas_ != nullptr) cublas_.destroy(blas_);
  }

  std::string device() const override { return device_; }

 private:
  CublasCusolverLinalg() = default;

  void check_blas(cublasStatus_t status, const char* what) const {
    if (status != CUBLAS_STATUS_SUCCESS)
      throw std::runtime_error(std::string("cuBLAS ") + what + " failed: " + cublas_.status_string(status));
  }

  template <class T, class Gemm>
  void gemm_impl(Gemm call, Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                 std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc,
                 const Epilogue<T>& epilogue) const {
    const std::size_t a_rows = op_a == Op::none ? m : k, a_cols = op_a == Op::none ? k : m;
    const std::size_t b_rows = op_b == Op::none ? k : n, b_cols = op_b == Op::none ? n : k;
    const bool reads_ab = alpha != T(0) && k > 0 && m > 0 && n > 0;
    require(m == 0 || n == 0 || (c != nullptr && ldc >= n), "cuda gemm: C is null or ldc < n");
    require(!reads_ab || (a != nullptr && lda >= a_cols), "cuda gemm: A is null or lda is too small");
    require(!reads_ab || (b != nullptr && ldb >= b_cols), "cuda gemm: B is null or ldb is too small");
    if (m == 0 || n == 0) return;
    const bool has_epilogue = epilogue.bias != nullptr || epilogue.activation != Activation::identity;
    if (!reads_ab) {
      // Nothing to multiply: C = beta * C, then the epilogue, cheaper on the host than a round trip.
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          T& e = c[i * ldc + j];
          e = bias_activate(beta == T(0) ? T(0) : beta * e, epilogue.bias, j, epilogue.activation);
        }
      return;
    }
    const int mi = as_int(m, "gemm"), ni = as_int(n, "gemm"), ki = as_int(k, "gemm");
    as_int(m * n, "gemm");
    std::lock_guard<std::mutex> lock(mutex_);
    DeviceBuffer<T> da(a_rows * a_cols), db(b_rows * b_cols), dc(m * n);
    to_device(da.get(), a, a_rows, a_cols, lda);
    to_device(db.get(), b, b_rows, b_cols, ldb);
    if (beta != T(0)) to_device(dc.get(), c, m, n, ldc);
    check_blas(call(blas_, to_cublas(op_b), to_cublas(op_a), ni, mi, ki, &alpha, db.get(),
                    as_int(b_cols, "gemm"), da.get(), as_int(a_cols, "gemm"), &beta, dc.get(), ni),
               "gemm");
    if (has_epilogue) {
      DeviceBuffer<T> dbias(epilogue.bias != nullptr ? n : 0);
      if (epilogue.bias != nullptr) to_device(dbias.get(), epilogue.bias, 1, n, n);
      check_cuda(cuda::launch_bias_activation(dc.get(), mi, ni, ni, dbias.get(), epilogue.activation, nullptr),
                 "epilogue kernel launch");
      to_host(c, ldc, dc.get(), m, n);  // synchronises with the kernel before dbias is freed
      return;
    }
    to_host(c, ldc, dc.get(), m, n);
  }

  template <class T, class Syrk>
  void syrk_impl(Syrk call, Triangle tri, Op op, std::size_t n, std::size_t k, T alpha, const T* x, std::size_t ldx,
                 T beta, T* c, std::size_t ldc) const {
    const std::size_t x_rows = op == Op::transpose ? k : n, x_cols = op == Op::transpose ? n : k;
    const bool reads_x = alpha != T(0) && k > 0 && n > 0;
    require(n == 0 || (c != nullptr && ldc >= n), "cuda syrk: C is null or ldc < n");
    require(!reads_x || (x != nullptr && ldx >= x_cols), "cuda syrk: X is null or ldx is too small");
    if (n == 0) return;
    auto in_triangle = [tri](std::size_t i, std::size_t j) { return tri == Triangle::lower ? j <= i : j >= i; };
    if (!reads_x) {
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (in_triangle(i, j)) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
      return;
    }
    const int ni = as_int(n, "syrk"), ki = as_int(k, "syrk");
    as_int(n * n, "syrk");
    std::lock_guard<std::mutex> lock(mutex_);
    DeviceBuffer<T> dx(x_rows * x_cols), dc(n * n);
    to_device(dx.get(), x, x_rows, x_cols, ldx);
    if (beta != T(0)) to_device(dc.get(), c, n, n, ldc);
    const cublasOperation_t trans = op == Op::transpose ? CUBLAS_OP_N : CUBLAS_OP_T;
    check_blas(call(blas_, column_major_fill(tri), trans, ni, ki, &alpha, dx.get(), as_int(x_cols, "syrk"), &beta,
                    dc.get(), ni),
               "syrk");
    // Only the computed triangle goes back: the other one of the caller's C stays untouched.
    std::vector<T> result(n * n);
    to_host(result.data(), n, dc.get(), n, n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (in_triangle(i, j)) c[i * ldc + j] = result[i * n + j];
  }

  template <class T, class BufferSize, class Syevd>
  void eigh_impl(BufferSize buffer_size, Syevd syevd, Triangle tri, std::size_t n, const T* a, std::size_t lda, T* w,
                 T* v, std::size_t ldv) const {
    require(n == 0 || (a != nullptr && lda >= n), "cuda eigh: A is null or lda < n");
    require(n == 0 || (w != nullptr && v != nullptr && ldv >= n), "cuda eigh: w/V is null or ldv < n");
    if (n == 0) return;
    const int ni = as_int(n, "eigh");
    as_int(n * n, "eigh");
    std::lock_guard<std::mutex> lock(mutex_);
    DeviceBuffer<T> da(n * n), dw(n);
    DeviceBuffer<int> dinfo(1);
    to_device(da.get(), a, n, n, lda);
    const cublasFillMode_t fill = column_major_fill(tri);
    int lwork = 0;
    if (buffer_size(solver_, CUSOLVER_EIG_MODE_VECTOR, fill, ni, da.get(), ni, dw.get(), &lwork) !=
        CUSOLVER_STATUS_SUCCESS)
      throw std::runtime_error("cuSOLVER syevd_bufferSize failed");
    DeviceBuffer<T> work(static_cast<std::size_t>(lwork));
    if (syevd(solver_, CUSOLVER_EIG_MODE_VECTOR, fill, ni, da.get(), ni, dw.get(), work.get(), lwork, dinfo.get()) !=
        CUSOLVER_STATUS_SUCCESS)
      throw std::runtime_error("cuSOLVER syevd failed");
    int info = 0;
    check_cuda(cudaMemcpy(&info, dinfo.get(), sizeof(int), cudaMemcpyDeviceToHost), "cudaMemcpy info");
    if (info != 0)
      throw std::runtime_error("cuSOLVER syevd did not converge (info " + std::to_string(info) + ")");
    check_cuda(cudaMemcpy(w, dw.get(), n * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy eigenvalues");
    // Column-major eigenvectors: component i of vector j sits at [i + j*n], which is V's row-major (i, j).
    std::vector<T> vectors(n * n);
    to_host(vectors.data(), n, da.get(), n, n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) v[i * ldv + j] = vectors[j * n + i];
  }

  void gemm_f32(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
                const Epilogue<float>& epilogue) const override {
    gemm_impl(cublas_.sgemm, op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  }
  void gemm_f64(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
                std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
                const Epilogue<double>& epilogue) const override {
    gemm_impl(cublas_.dgemm, op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  }
  void syrk_f32(Triangle tri, Op op, std::size_t n, std::size_t k, float alpha, const float* x, std::size_t ldx,
                float beta, float* c, std::size_t ldc) const override {
    syrk_impl(cublas_.ssyrk, tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void syrk_f64(Triangle tri, Op op, std::size_t n, std::size_t k, double alpha, const double* x, std::size_t ldx,
                double beta, double* c, std::size_t ldc) const override {
    syrk_impl(cublas_.dsyrk, tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void eigh_f32(Triangle tri, std::size_t n, const float* a, std::size_t lda, float* w, float* v,
                std::size_t ldv) const override {
    eigh_impl(cusolver_.ssyevd_buffer_size, cusolver_.ssyevd, tri, n, a, lda, w, v, ldv);
  }
  void eigh_f64(Triangle tri, std::size_t n, const double* a, std::size_t lda, double* w, double* v,
                std::size_t ldv) const override {
    eigh_impl(cusolver_.dsyevd_buffer_size, cusolver_.dsyevd, tri, n, a, lda, w, v, ldv);
  }

  std::unique_ptr<SharedLibrary> cublas_lib_;
  std::unique_ptr<SharedLibrary> cusolver_lib_;
  CublasApi cublas_;
  CusolverApi cusolver_;
  cublasHandle_t blas_ = nullptr;
  cusolverDnHandle_t solver_ = nullptr;
  std::string device_;
  mutable std::mutex mutex_;  // one handle, one stream: calls from several threads take turns
};

}  // namespace

const CudaLinalg* CudaLinalg::load(std::string& reason) {
  // Created once and deliberately never destroyed: unloading cuBLAS during exit races the CUDA runtime's
  // own teardown.
  static std::once_flag once;
  static const CudaLinalg* instance = nullptr;
  static std::string failure;
  std::call_once(once, [] { instance = CublasCusolverLinalg::create(failure).release(); });
  if (instance == nullptr) reason = failure;
  return instance;
}

}  // namespace csc::linalg
