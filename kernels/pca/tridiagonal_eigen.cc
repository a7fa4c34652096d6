// Bisection with Sturm counts (as LAPACK's dstebz) for the eigenvalues; inverse iteration on T - λI
// with a pivoted LU factorisation (as dlagtf/dlagts) and clustered re-orthogonalisation (as dstein).
#include "kernels/pca/tridiagonal_eigen.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "kernels/linalg/gaussian_stream.h"
#include "kernels/linalg/vector_ops.h"

namespace csc::pca {

namespace {

constexpr int kIterations = 3;  // with eigenvalues accurate to rounding, one step usually suffices
constexpr double kClusterGap = 1e-3;

// P(T - λI) = LU with partial pivoting: U has up to two super-diagonals, L one multiplier per row.
struct TridiagonalLu {
  std::vector<double> u0, u1, u2;  // U(i, i), U(i, i + 1), U(i, i + 2)
  std::vector<double> mult;        // L(i + 1, i)
  std::vector<char> swapped;       // rows i and i + 1 exchanged at step i

  TridiagonalLu(const std::vector<double>& diag, const std::vector<double>& off, double lambda, double tiny) {
    const std::size_t n = diag.size();
    u0.assign(n, 0.0);
    u1.assign(n, 0.0);
    u2.assign(n, 0.0);
    mult.assign(n, 0.0);
    swapped.assign(n, 0);
    double d = diag[0] - lambda;  // the pending row, columns i and i + 1
    double e = n > 1 ? off[0] : 0.0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const double b = off[i];                      // row i + 1, column i
      const double a = diag[i + 1] - lambda;        // row i + 1, column i + 1
      const double c = i + 2 < n ? off[i + 1] : 0;  // row i + 1, column i + 2
      if (std::abs(d) >= std::abs(b)) {
        u0[i] = d;
        u1[i] = e;
        mult[i] = d != 0 ? b / d : 0.0;
        d = a - mult[i] * e;
        e = c;
      } else {
        swapped[i] = 1;
        u0[i] = b;
        u1[i] = a;
        u2[i] = c;
        mult[i] = d / b;
        d = e - mult[i] * a;
        e = -mult[i] * c;
      }
    }
    u0[n - 1] = d;
    // Exactly singular pivots (λ is an eigenvalue to rounding) become tiny ones: the solve then
    // returns a huge multiple of the eigenvector, which is what inverse iteration wants.
    for (double& p : u0)
      if (std::abs(p) < tiny) p = p < 0 ? -tiny : tiny;
  }

  // x = (T - λI)^-1 x.
  void solve(std::vector<double>& x) const {
    const std::size_t n = x.size();
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (swapped[i]) std::swap(x[i], x[i + 1]);
      x[i + 1] -= mult[i] * x[i];
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = x[i];
      if (i + 1 < n) s -= u1[i] * x[i + 1];
      if (i + 2 < n) s -= u2[i] * x[i + 2];
      x[i] = s / u0[i];
    }
  }
};

}  // namespace

std::vector<double> tridiagonal_top_eigenvalues(const std::vector<double>& diag, const std::vector<double>& off,
                                                std::size_t k) {
  const std::size_t n = diag.size();
  if (n == 0 || off.size() + 1 != n || k > n)
    throw std::invalid_argument("tridiagonal_top_eigenvalues: need n >= 1, n - 1 off-diagonals and k <= n");
  // Gershgorin bounds hold every eigenvalue.
  double lo = INFINITY, hi = -INFINITY, largest_off = 1;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = (i > 0 ? std::abs(off[i - 1]) : 0.0) + (i + 1 < n ? std::abs(off[i]) : 0.0);
    lo = std::min(lo, diag[i] - r);
    hi = std::max(hi, diag[i] + r);
    if (i + 1 < n) largest_off = std::max(largest_off, off[i] * off[i]);
  }
  const double eps = std::numeric_limits<double>::epsilon();
  const double pivmin = std::numeric_limits<double>::min() * largest_off;
  // Absolute accuracy 2 eps max|λ|: what the reduction to tridiagonal form leaves anyway.
  const double tolerance = 2 * eps * std::max(std::abs(lo), std::abs(hi)) + pivmin;
  // All k bisections advance together: the Sturm count's division chain runs k independent
  // recurrences side by side instead of one latency-bound chain at a time.
  std::vector<double> a(k, lo), b(k, hi), mid(k), q(k);
  std::vector<double> below(k);  // a count, kept in double so that the loop below vectorises
  for (int step = 0; step < 200; ++step) {
    bool open = false;
    for (std::size_t j = 0; j < k; ++j) {
      mid[j] = 0.5 * (a[j] + b[j]);
      open = open || b[j] - a[j] > tolerance;
    }
    if (!open) break;
    // below[j]: eigenvalues under mid[j], the negative pivots of the LDLᵀ factorisation of T - mid I
    // (Sturm count); a pivot closer to zero than pivmin counts as -pivmin (as LAPACK's dstebz).
    std::fill(below.begin(), below.end(), 0.0);
    std::fill(q.begin(), q.end(), 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double off2 = i > 0 ? off[i - 1] * off[i - 1] : 0.0;
      for (std::size_t j = 0; j < k; ++j) {
        double p = diag[i] - mid[j] - off2 / q[j];
        p = std::abs(p) < pivmin ? -pivmin : p;
        q[j] = p;
        below[j] += p < 0 ? 1.0 : 0.0;
      }
    }
    // The j-th largest eigenvalue has n - 1 - j others below it.
    for (std::size_t j = 0; j < k; ++j) {
      if (below[j] <= static_cast<double>(n - 1 - j))
        a[j] = mid[j];
      else
        b[j] = mid[j];
    }
  }
  std::vector<double> values(k);
  for (std::size_t j = 0; j < k; ++j) values[j] = 0.5 * (a[j] + b[j]);
  return values;
}

std::vector<double> tridiagonal_eigenvectors(const std::vector<double>& diag, const std::vector<double>& off,
                                             const std::vector<double>& values, std::uint64_t seed) {
  const std::size_t n = diag.size();
  if (n == 0 || off.size() + 1 != n) throw std::invalid_argument("tridiagonal_eigenvectors: need n >= 1 and n - 1 off-diagonals");
  double t_norm = 0;  // the 1-norm of T
  for (std::size_t i = 0; i < n; ++i)
    t_norm = std::max(t_norm, std::abs(diag[i]) + (i > 0 ? std::abs(off[i - 1]) : 0.0) + (i + 1 < n ? std::abs(off[i]) : 0.0));
  const std::size_t k = values.size();
  std::vector<double> vectors(k * n, 0.0);
  if (t_norm == 0) {  // T = 0: every vector is an eigenvector, take the unit ones
    for (std::size_t j = 0; j < k && j < n; ++j) vectors[j * n + j] = 1.0;
    return vectors;
  }
  const double tiny = t_norm * std::numeric_limits<double>::epsilon();
  std::vector<double> x(n);
  std::size_t cluster_start = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (j > 0 && std::abs(values[j - 1] - values[j]) > kClusterGap * t_norm) cluster_start = j;
    const TridiagonalLu lu(diag, off, values[j], tiny);
    linalg::fill_gaussian(x.data(), n, seed + j);
    int done = 0;
    for (int attempt = 0; done < kIterations; ++attempt) {
      if (attempt == 4 * kIterations) throw std::runtime_error("inverse iteration did not converge");
      linalg::scal(n, 1.0 / linalg::nrm2(n, x.data()), x.data());
      lu.solve(x);
      // Orthogonal to the vectors already found in this cluster (modified Gram–Schmidt).
      for (std::size_t p = cluster_start; p < j; ++p) {
        const double* q = vectors.data() + p * n;
        linalg::axpy(n, -linalg::dot(n, q, x.data()), q, x.data());
      }
      const double s = linalg::nrm2(n, x.data());
      if (s > 0 && std::isfinite(s)) {
        ++done;
      } else {  // overflow or a start inside the cluster's span: start again elsewhere
        linalg::fill_gaussian(x.data(), n, seed + j + 7919 * static_cast<std::uint64_t>(attempt + 1));
      }
    }
    const double s = linalg::nrm2(n, x.data());
    for (std::size_t i = 0; i < n; ++i) vectors[j * n + i] = x[i] / s;
  }
  return vectors;
}

}  // namespace csc::pca
