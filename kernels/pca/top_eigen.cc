// Top-k eigenpairs of a symmetric PSD matrix: dense Eigen or subspace iteration with Rayleigh–Ritz.
#include "kernels/pca/top_eigen.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "kernels/linalg/gaussian_stream.h"
#include "kernels/linalg/gemm.h"
#include "kernels/linalg/orthonormal.h"
#include "kernels/pca/tridiagonal_eigen.h"

namespace csc::pca {

namespace {

using RowMatrix = linalg::RowMatrix<double>;

// Below this order, or when most of the spectrum is wanted, the dense solver beats iterating.
constexpr std::size_t kDenseDim = 192;
// The dense solver's cost in subspace iterations: it tridiagonalises (4/3 dim^3 flops in Eigen's
// level-2 sweep, ~8 GFLOP/s at SSE2 here) while an iteration is a dim x dim x l product on our GEMM
// (~60 GFLOP/s in double) plus small work; measured at dim 1000, K 50, l 100: dense ~0.35 s, one
// iteration 6.6 ms, budget 40 iterations. Iterating stops once it has spent (or, from the
// residuals' rate of decrease, would spend) what the dense solver costs.
constexpr double kIterationFlopsPerDenseFlop = 6.0;
constexpr int kMinIterations = 8;
constexpr int kRateWindow = 3;  // iterations over which the residual's rate of decrease is measured

// Eigen's tridiagonalisation, then the k largest eigenvalues by bisection and their eigenvectors by
// inverse iteration on the tridiagonal matrix, mapped back by its Householder reflections; Eigen's
// full solver, which computes every eigenpair, if inverse iteration fails.
EigenPairs dense(const double* m, std::size_t dim, std::size_t k, std::uint64_t seed) {
  const Eigen::MatrixXd a = Eigen::Map<const RowMatrix>(m, static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(dim));
  const Eigen::Tridiagonalization<Eigen::MatrixXd> tri(a);  // reads the lower triangle
  const Eigen::VectorXd diag_vector = tri.diagonal(), off_vector = tri.subDiagonal();
  const std::vector<double> diag(diag_vector.data(), diag_vector.data() + diag_vector.size());
  const std::vector<double> off(off_vector.data(), off_vector.data() + off_vector.size());
  EigenPairs out;
  out.values = tridiagonal_top_eigenvalues(diag, off, k);
  try {
    const std::vector<double> z = tridiagonal_eigenvectors(diag, off, out.values, seed);
    // The reflections applied to a plain column-major copy: multiplying matrixQ() by the transposed
    // row-major map made Eigen form the whole dim x dim Q first (see BENCHMARKS.md, pca).
    Eigen::MatrixXd v =
        Eigen::Map<const RowMatrix>(z.data(), static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(dim)).transpose();
    tri.matrixQ().applyThisOnTheLeft(v);
    out.vectors.resize(k * dim);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < dim; ++j) out.vectors[i * dim + j] = v(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i));
    out.method = "dense";
  } catch (const std::runtime_error&) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> full(a);
    if (full.info() != Eigen::Success) throw std::runtime_error("symmetric eigensolver did not converge");
    out.vectors.resize(k * dim);
    for (std::size_t i = 0; i < k; ++i) {
      const auto col = static_cast<Eigen::Index>(dim - 1 - i);  // ascending order in Eigen
      out.values[i] = full.eigenvalues()(col);
      for (std::size_t j = 0; j < dim; ++j) out.vectors[i * dim + j] = full.eigenvectors()(static_cast<Eigen::Index>(j), col);
    }
    out.method = "dense (all eigenvectors)";
  }
  return out;
}

}  // namespace

EigenPairs top_eigenpairs(const double* m, std::size_t dim, std::size_t k, std::uint64_t seed, double tolerance) {
  if (k == 0 || k > dim) throw std::invalid_argument("top_eigenpairs: need 0 < k <= dim");
  const std::size_t l = std::min(dim, std::max(2 * k, k + 16));
  if (dim <= kDenseDim || 2 * l >= dim) return dense(m, dim, k, seed);
  const double dense_flops = 4.0 / 3.0 * std::pow(static_cast<double>(dim), 3);
  const double iteration_flops = 2.0 * static_cast<double>(dim) * static_cast<double>(dim) * static_cast<double>(l);
  const int max_iterations =
      std::max(kMinIterations, static_cast<int>(kIterationFlopsPerDenseFlop * dense_flops / iteration_flops));

  using linalg::Op;
  RowMatrix q(dim, l);
  linalg::fill_gaussian(q.data(), dim * l, seed);
  linalg::orthonormalize_columns(q);
  RowMatrix z(dim, l), x(dim, l), mx(dim, l), h(l, l), w(l, l), workspace(dim, l);
  std::vector<double> residuals;
  int iteration = 1;
  for (; iteration <= max_iterations; ++iteration) {
    linalg::gemm(Op::none, Op::none, dim, l, dim, 1.0, m, dim, q.data(), l, 0.0, z.data(), l);
    // Rayleigh–Ritz on span(q): h = qᵀ M q, its eigenvectors rotate q into Ritz vectors.
    linalg::gemm(Op::transpose, Op::none, l, l, dim, 1.0, q.data(), l, z.data(), l, 0.0, h.data(), l);
    h = (0.5 * (h + h.transpose())).eval();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> small(h);
    w = small.eigenvectors().rowwise().reverse();  // descending
    const Eigen::VectorXd theta = small.eigenvalues().reverse();
    linalg::gemm(Op::none, Op::none, dim, l, l, 1.0, q.data(), l, w.data(), l, 0.0, x.data(), l);
    linalg::gemm(Op::none, Op::none, dim, l, l, 1.0, z.data(), l, w.data(), l, 0.0, mx.data(), l);
    const double scale = std::max(std::abs(theta(0)), 1e-300);
    double worst = 0;  // the largest residual among the wanted pairs
    for (std::size_t i = 0; i < k; ++i) {
      const auto c = static_cast<Eigen::Index>(i);
      worst = std::max(worst, (mx.col(c) - theta(c) * x.col(c)).norm());
    }
    const bool converged = worst <= tolerance * scale;
    // After a few iterations the residual's rate of decrease predicts the iterations still needed;
    // when they would exceed the budget, go dense now rather than after spending it.
    residuals.push_back(worst);
    if (!converged && iteration > kRateWindow) {
      const double rate = std::pow(worst / residuals[residuals.size() - 1 - kRateWindow], 1.0 / kRateWindow);
      const double needed = rate < 1 ? std::log(tolerance * scale / worst) / std::log(rate) : INFINITY;
      if (iteration + needed > max_iterations) break;
    }
    if (converged || theta(0) == 0.0) {
      EigenPairs out;
      out.values.resize(k);
      out.vectors.resize(k * dim);
      for (std::size_t i = 0; i < k; ++i) {
        out.values[i] = theta(static_cast<Eigen::Index>(i));
        const double norm = x.col(static_cast<Eigen::Index>(i)).norm();
        for (std::size_t j = 0; j < dim; ++j) out.vectors[i * dim + j] = x(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) / norm;
      }
      out.method = "subspace iteration (" + std::to_string(iteration) + " iterations)";
      return out;
    }
    // Next basis: span(M x), columns normalised (they are nearly orthogonal, so Cholesky QR is
    // well conditioned); a column M x ~ 0 (a null direction) is replaced by its Ritz vector x.
    const double largest = mx.col(0).norm();
    for (std::size_t i = 0; i < l; ++i) {
      const auto c = static_cast<Eigen::Index>(i);
      const double norm = mx.col(c).norm();
      if (norm > 1e-13 * largest && norm > 0)
        mx.col(c) /= norm;
      else
        mx.col(c) = x.col(c).normalized();
    }
    q.swap(mx);
    linalg::orthonormalize_columns(q, workspace);
  }
  EigenPairs out = dense(m, dim, k, seed);
  out.method += " (subspace iteration would not converge within " + std::to_string(max_iterations) +
                " iterations; stopped after " + std::to_string(std::min(iteration, max_iterations)) + ")";
  return out;
}

}  // namespace csc::pca
