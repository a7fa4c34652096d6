// Randomized block Krylov SVD: our GEMM for every product, Eigen for the small Ritz eigenproblem.
#include "kernels/linalg/block_krylov.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Eigenvalues>

#include "kernels/linalg/gaussian_stream.h"
#include "kernels/linalg/gemm.h"

namespace csc::linalg {
namespace {

void check(const void* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k) {
  if (k == 0) throw std::invalid_argument("block_krylov_svd: rank k must be at least 1");
  if (k > std::min(m, n)) throw std::invalid_argument("block_krylov_svd: rank k exceeds min(rows, cols)");
  if (lda < n) throw std::invalid_argument("block_krylov_svd: lda smaller than the number of columns");
  if (a == nullptr) throw std::invalid_argument("block_krylov_svd: null matrix");
}

// Columns [0, used) of `basis` (rows x width, row-major) are orthonormal; makes y (rows x b)
// orthogonal to them, y -= B (Bᵀ y) on our GEMM, and returns the largest |Bᵀ y| it removed.
double project_out(const RowMatrix<double>& basis, std::size_t used, RowMatrix<double>& y) {
  if (used == 0) return 0;
  const std::size_t rows = static_cast<std::size_t>(y.rows()), b = static_cast<std::size_t>(y.cols());
  const std::size_t width = static_cast<std::size_t>(basis.cols());
  RowMatrix<double> coefficients(used, b);
  gemm(Op::transpose, Op::none, used, b, rows, 1.0, basis.data(), width, y.data(), b, 0.0, coefficients.data(), b);
  gemm(Op::none, Op::none, rows, b, used, -1.0, basis.data(), width, coefficients.data(), b, 1.0, y.data(), b);
  return coefficients.cwiseAbs().maxCoeff();
}

// Makes y an orthonormal block orthogonal to basis columns [0, used): block Gram-Schmidt with
// reorthogonalisation (BCGS2), repeated while a pass still finds y leaning on the basis. That happens
// when the Krylov subspace is exhausted (A of low rank): the new block is then rounding noise, whose
// orthonormalisation can bring back components along the basis of order one.
void orthonormalize_against(const RowMatrix<double>& basis, std::size_t used, RowMatrix<double>& y,
                            RowMatrix<double>& workspace) {
  constexpr int kMaxPasses = 4;
  constexpr double kLeak = 1e-10;
  project_out(basis, used, y);
  orthonormalize_columns(y, workspace);
  for (int pass = 1; pass < kMaxPasses && used > 0; ++pass) {
    const double leak = project_out(basis, used, y);
    orthonormalize_columns(y, workspace);
    if (leak <= kLeak) break;
  }
}

template <class T>
KrylovSvd<T> krylov(const T* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k, std::size_t oversample,
                    std::size_t max_depth, double tolerance, std::uint64_t seed) {
  check(a, m, n, lda, k);
  const std::size_t b = std::min({k + std::min(oversample, std::min(m, n)), m, n});
  max_depth = std::min(max_depth, m / b - 1);  // the m-side basis holds at most m columns
  const std::size_t width = b * (max_depth + 1);

  RowMatrix<T> w(m, b);  // A times the latest n-side block
  {
    RowMatrix<T> omega(n, b);
    fill_gaussian(omega.data(), n * b, seed);
    gemm(Op::none, Op::none, m, b, n, T(1), a, lda, omega.data(), b, T(0), w.data(), b);
  }
  // (Aᵀ times the latest m-side block)ᵀ, formed as Yᵀ A: a b x n product on the GEMM engine, which
  // ran 19.9 ms against 21.6 for Aᵀ Y on the skinny path (2000 x 20000 floats, b = 30), and its rows
  // are Zᵀ's new rows as they are (a transposed copy of an n x b Z cost 2.8-3.7 ms per block).
  RowMatrix<T> z_rows(b, n);

  KrylovSvd<T> out;
  out.products = 1;
  // Q = [Y_0 ..] (m x width) and Zᵀ = (AᵀQ)ᵀ (width x n), filled block by block. Z is kept transposed
  // so that each block is contiguous: written into every row of an n x width matrix, the first block
  // touched all of its pages at once (26-44 ms for the first ZᵀZ step of the 2000 x 20000 benchmark
  // against ~8 later, page faults on 38 MB, Zen 3 VM); and ZᵀZ's new column is then one product of
  // rows, Zᵀ's first rows against its newest ones, which threads split by rows.
  RowMatrix<double> q(m, width), zt(width, n);
  RowMatrix<double> ritz = RowMatrix<double>::Zero(width, width);  // ZᵀZ = Qᵀ A Aᵀ Q
  RowMatrix<double> y, workspace, column(width, b);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen;
  Eigen::VectorXd previous;
  std::size_t used = 0;
  for (std::size_t depth = 0;; ++depth) {
    y = w.template cast<double>();
    orthonormalize_against(q, used, y, workspace);
    q.middleCols(used, b) = y;
    const RowMatrix<T> y_typed = y.template cast<T>();
    gemm(Op::transpose, Op::none, b, n, m, T(1), y_typed.data(), b, a, lda, T(0), z_rows.data(), n);
    ++out.products;
    zt.middleRows(used, b) = z_rows.template cast<double>();
    used += b;
    // The new block column of ZᵀZ, mirrored into its row.
    gemm(Op::none, Op::transpose, used, b, n, 1.0, zt.data(), n, zt.data() + (used - b) * n, n, 0.0, column.data(), b);
    ritz.block(0, used - b, used, b) = column.topRows(used);
    ritz.block(used - b, 0, b, used) = column.topRows(used).transpose();
    eigen.compute(ritz.topLeftCorner(used, used));
    const Eigen::VectorXd leading = eigen.eigenvalues().tail(k).reverse();
    out.depth = depth;
    if (depth > 0) {
      // Ritz values under (eps_T s_1)², rounding in T's products, count as settled when they move less
      // than tolerance times that.
      const double epsilon = std::numeric_limits<T>::epsilon();
      const double rounding = 100 * epsilon * epsilon * std::max(leading(0), 0.0);
      const Eigen::ArrayXd moved = (leading - previous).array().abs();
      out.converged = (moved <= tolerance * leading.array().abs().max(rounding)).all();
    }
    if (used == m) out.converged = true;  // the subspace is the whole space: the values are exact
    if (out.converged || depth == max_depth) break;
    previous = leading;
    gemm(Op::none, Op::transpose, m, b, n, T(1), a, lda, z_rows.data(), n, T(0), w.data(), b);
    ++out.products;
  }

  // Ritz vectors W (used x k, leading first): U = Q W, V = Z W / S.
  const RowMatrix<double> ritz_vectors = eigen.eigenvectors().rightCols(k).rowwise().reverse();
  const Eigen::VectorXd values = eigen.eigenvalues().tail(k).reverse();
  RowMatrix<double> u(m, k), v(n, k);
  gemm(Op::none, Op::none, m, k, used, 1.0, q.data(), width, ritz_vectors.data(), k, 0.0, u.data(), k);
  gemm(Op::transpose, Op::none, n, k, used, 1.0, zt.data(), n, ritz_vectors.data(), k, 0.0, v.data(), k);
  out.svd.s.resize(static_cast<Eigen::Index>(k));
  for (std::size_t j = 0; j < k; ++j) {
    const Eigen::Index e = static_cast<Eigen::Index>(j);
    const double s = std::sqrt(std::max(values(e), 0.0));
    out.svd.s(e) = static_cast<T>(s);
    // |Z w| is s in exact arithmetic; dividing by it keeps v a unit vector to rounding.
    const double norm = v.col(e).norm();
    if (s > 0 && norm > 0)
      v.col(e) /= norm;
    else
      v.col(e).setZero();
  }
  out.svd.u = u.cast<T>();
  out.svd.vt = v.transpose().cast<T>();
  for (std::size_t j = 0; j < k; ++j) {  // scikit-learn's svd_flip(u_based_decision=True)
    Eigen::Index at = 0;
    out.svd.u.col(static_cast<Eigen::Index>(j)).cwiseAbs().maxCoeff(&at);
    if (out.svd.u(at, static_cast<Eigen::Index>(j)) < T(0)) {
      out.svd.u.col(static_cast<Eigen::Index>(j)) *= T(-1);
      out.svd.vt.row(static_cast<Eigen::Index>(j)) *= T(-1);
    }
  }
  return out;
}

}  // namespace

KrylovSvd<float> block_krylov_svd(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                  std::size_t oversample, std::size_t max_depth, double tolerance,
                                  std::uint64_t seed) {
  return krylov(a, m, n, lda, k, oversample, max_depth, tolerance, seed);
}
KrylovSvd<double> block_krylov_svd(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t max_depth, double tolerance,
                                   std::uint64_t seed) {
  return krylov(a, m, n, lda, k, oversample, max_depth, tolerance, seed);
}

}  // namespace csc::linalg
