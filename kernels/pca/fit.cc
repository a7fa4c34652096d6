// fit_in_place and fit_from_scatter: preprocessing, the chosen solver, signs and spectrum.
#include "kernels/pca/fit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "kernels/linalg/block_krylov.h"
#include "kernels/linalg/column_stats.h"
#include "kernels/linalg/device_linalg.h"
#include "kernels/linalg/gemm.h"
#include "kernels/linalg/randomized_range.h"
#include "kernels/pca/column_scatter.h"
#include "kernels/pca/gram.h"
#include "kernels/pca/preprocess.h"
#include "kernels/pca/sign_rule.h"
#include "kernels/pca/solver_choice.h"
#include "kernels/pca/spectrum.h"
#include "kernels/pca/top_eigen.h"

namespace csc::pca {

namespace {

// What a solver hands back: the leading squared singular values of A (descending) and their unit
// right singular vectors (rows of a k×d matrix).
struct Decomposition {
  std::vector<double> squared;
  std::vector<double> components;
  std::string detail;  // e.g. how the eigenproblem was solved
  double worst_residual = 0;  // randomized, krylov: the largest |A v - s u| / s over the triplets kept
  std::size_t iterations = 0;  // randomized: power iterations; krylov: the depth reached
};

// Under --solver auto, a block Krylov result whose worst residual exceeds this is replaced by the Gram
// solver's exact one. At 1e-3 the singular values are good to about 1e-6 relative (their error goes
// as the residual squared) and a float32 residual is still far above its rounding (~1e-5).
constexpr double kAutoResidualTolerance = 1e-3;

void check_shape(std::size_t n, std::size_t d) {
  if (n < 2) throw std::invalid_argument("PCA needs at least two samples");
  if (d < 1) throw std::invalid_argument("PCA needs at least one column");
}

void check_variance(const Preprocessing& p) {
  if (!(p.total_variance > 0)) throw std::invalid_argument("every column is constant: there is no variance to explain");
}

// The number of components to compute before the variance target picks K: the requested K, or the
// whole spectrum's worth for the solvers that cannot grow K cheaply.
std::size_t components_wanted(const FitOptions& options, std::size_t rank_bound) {
  if (options.variance_target > 0 || options.n_components == 0) return rank_bound;
  return std::min(options.n_components, rank_bound);
}

// Makes rows [first, k) of the k×d matrix v orthonormal to every row before them, replacing rows that
// carry no direction (from zero singular values) by unit coordinate vectors made orthogonal.
void complete_orthonormal_rows(std::vector<double>& v, std::size_t first, std::size_t k, std::size_t d) {
  std::size_t candidate = 0;
  for (std::size_t i = first; i < k; ++i) {
    double* row = v.data() + i * d;
    for (;;) {
      for (std::size_t p = 0; p < i; ++p) {
        const double* prev = v.data() + p * d;
        double dot = 0;
        for (std::size_t j = 0; j < d; ++j) dot += prev[j] * row[j];
        for (std::size_t j = 0; j < d; ++j) row[j] -= dot * prev[j];
      }
      double norm = 0;
      for (std::size_t j = 0; j < d; ++j) norm += row[j] * row[j];
      norm = std::sqrt(norm);
      if (norm > 0.5) {
        for (std::size_t j = 0; j < d; ++j) row[j] /= norm;
        break;
      }
      std::fill(row, row + d, 0.0);
      row[candidate++ % d] = 1.0;
    }
  }
}

// How closely subspace iteration resolves a Gram matrix's eigenpairs (top_eigen.h): to rounding for
// double data; for float32 data, whose Gram matrix is itself good to ~1e-7, to 1e-9 of the largest
// eigenvalue (the variances to ~1e-18, far past what the data determine), which saves a third of
// the iterations.
constexpr double kDoubleGramTolerance = 1e-12;
constexpr double kFloatGramTolerance = 1e-9;

// Leading eigenpairs of a Gram matrix, growing k until the variance target is met when one is set.
EigenPairs gram_eigenpairs(const std::vector<double>& g, std::size_t dim, std::size_t k_wanted,
                           const FitOptions& options, double total_sum_squares, bool float_data) {
  const double tolerance = float_data ? kFloatGramTolerance : kDoubleGramTolerance;
  if (options.variance_target <= 0) return top_eigenpairs(g.data(), dim, k_wanted, options.seed, tolerance);
  std::size_t k = std::min<std::size_t>(dim, 16);
  for (;;) {
    EigenPairs pairs = top_eigenpairs(g.data(), dim, k, options.seed, tolerance);
    if (k == dim) return pairs;
    std::vector<double> ratios(k);
    for (std::size_t i = 0; i < k; ++i) ratios[i] = std::max(pairs.values[i], 0.0) / total_sum_squares;
    if (components_for_variance(ratios, options.variance_target) != 0) return pairs;
    k = std::min(dim, 2 * k);
  }
}

// The Gram trick for d > n: eigenvectors u of AAᵀ (formed on `device` when given), then v = Aᵀu / s.
template <class T>
Decomposition samples_gram_solver(const T* a, std::size_t n, std::size_t d, std::size_t lda,
                                  const FitOptions& options, std::size_t k_wanted, double total_sum_squares,
                                  const linalg::CudaLinalg* device) {
  const std::vector<double> g = samples_gram(a, n, d, lda, device);
  EigenPairs pairs = gram_eigenpairs(g, n, std::min(k_wanted, n), options, total_sum_squares, sizeof(T) == 4);
  const std::size_t k = pairs.values.size();
  Decomposition out;
  out.squared = pairs.values;
  out.detail = pairs.method;
  // Right singular vectors from the left ones: v_i = Aᵀ u_i / s_i (computed as rows: Vt = Uᵀ A / s).
  std::vector<T> u(pairs.vectors.begin(), pairs.vectors.end());
  std::vector<T> vt(k * d);
  linalg::gemm(linalg::Op::none, linalg::Op::none, k, d, n, T(1), u.data(), n, a, lda, T(0), vt.data(), d);
  out.components.assign(vt.begin(), vt.end());
  const double floor = std::max(pairs.values[0], 0.0) * (sizeof(T) == 4 ? 1e-10 : 1e-24);
  std::size_t good = 0;
  while (good < k && pairs.values[good] > floor) {
    double* row = out.components.data() + good * d;
    double norm = 0;
    for (std::size_t j = 0; j < d; ++j) norm += row[j] * row[j];
    norm = std::sqrt(norm);
    for (std::size_t j = 0; j < d; ++j) row[j] /= norm;
    ++good;
  }
  complete_orthonormal_rows(out.components, good, k, d);
  return out;
}

// XᵀX of data already centred (and scaled) in place: formed on `device`, or on the CPU when a
// randomized fit falls back.
template <class T>
Decomposition features_gram_solver(const T* a, std::size_t n, std::size_t d, std::size_t lda,
                                   const FitOptions& options, std::size_t k_wanted, double total_sum_squares,
                                   const linalg::CudaLinalg* device) {
  const std::vector<double> g = device != nullptr ? features_gram(a, n, d, lda, *device)
                                                  : column_scatter(a, n, d, lda).scatter;
  EigenPairs pairs = gram_eigenpairs(g, d, std::min(k_wanted, d), options, total_sum_squares, sizeof(T) == 4);
  Decomposition out;
  out.squared = std::move(pairs.values);
  out.components = std::move(pairs.vectors);
  out.detail = pairs.method;
  return out;
}

template <class T>
Decomposition svd_solver(const T* a, std::size_t n, std::size_t d, std::size_t lda, std::size_t k) {
  Eigen::MatrixXd copy(n, d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) copy(i, j) = a[i * lda + j];
  Eigen::BDCSVD<Eigen::MatrixXd> svd(copy, Eigen::ComputeThinV);
  Decomposition out;
  out.squared.resize(k);
  out.components.resize(k * d);
  for (std::size_t i = 0; i < k; ++i) {
    out.squared[i] = svd.singularValues()(i) * svd.singularValues()(i);
    for (std::size_t j = 0; j < d; ++j) out.components[i * d + j] = svd.matrixV()(j, i);
  }
  out.detail = "BDCSVD";
  return out;
}

// A truncated SVD A ~ U S Vᵀ from `what` (a randomized solver), and how far it is from converged: for
// each triplet the relative residual |A v - s u| / s (|Aᵀ u - s v| is zero by construction), one more
// product with A. Rows of Vt left zero (zero singular values) become unit vectors orthogonal to the rest.
template <class T>
Decomposition from_truncated_svd(const linalg::TruncatedSvd<T>& svd, const T* a, std::size_t n, std::size_t d,
                                 std::size_t lda, std::size_t k, const std::string& what) {
  Decomposition out;
  out.squared.resize(k);
  out.components.resize(k * d);
  std::size_t good = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double s = svd.s(static_cast<Eigen::Index>(i));
    out.squared[i] = s * s;
    for (std::size_t j = 0; j < d; ++j) out.components[i * d + j] = svd.vt(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    if (good == i && svd.vt.row(static_cast<Eigen::Index>(i)).squaredNorm() > T(0.25)) ++good;
  }
  complete_orthonormal_rows(out.components, good, k, d);
  linalg::RowMatrix<T> av(n, k);
  linalg::gemm(linalg::Op::none, linalg::Op::transpose, n, k, d, T(1), a, lda, svd.vt.data(), d, T(0), av.data(), k);
  const Eigen::VectorXd s = svd.s.template cast<double>();
  const Eigen::RowVectorXd residual =
      (av.template cast<double>() - svd.u.template cast<double>() * s.asDiagonal()).colwise().norm();
  // Singular values at rounding level (a rank-deficient A) are not held to a relative residual.
  const double floor = std::max(s(0), 1e-300) * (sizeof(T) == 4 ? 1e-6 : 1e-14);
  out.worst_residual = (residual.array() / s.transpose().array().max(floor)).maxCoeff();
  char text[64];
  std::snprintf(text, sizeof text, ", worst residual |Av - su|/s = %.2g", out.worst_residual);
  out.detail = what + text;
  return out;
}

template <class T>
Decomposition randomized_solver(const T* a, std::size_t n, std::size_t d, std::size_t lda, std::size_t k,
                                std::size_t oversample, std::size_t power_iterations, std::uint64_t seed) {
  const auto svd = linalg::randomized_svd(a, n, d, lda, k, oversample, power_iterations, seed);
  Decomposition out = from_truncated_svd(svd, a, n, d, lda, k, "randomized range finder");
  out.iterations = power_iterations;
  return out;
}

// Block Krylov iteration stops when no leading Ritz value moved by more than this, relative, in the
// last step. Convergence is superlinear, so the values are then far closer than that: on the
// 2000 x 20000 benchmark (float) the step to depth 3 moved them 1.7e-6 and left a residual of 3e-6,
// eigenvalues good to ~1e-8, below the float data's own precision.
constexpr double kFloatKrylovTolerance = 1e-5;
constexpr double kDoubleKrylovTolerance = 1e-10;

template <class T>
Decomposition krylov_solver(const T* a, std::size_t n, std::size_t d, std::size_t lda, std::size_t k,
                            std::size_t oversample, std::size_t max_depth, std::uint64_t seed) {
  const double tolerance = sizeof(T) == 4 ? kFloatKrylovTolerance : kDoubleKrylovTolerance;
  const auto krylov = linalg::block_krylov_svd(a, n, d, lda, k, oversample, max_depth, tolerance, seed);
  const std::string what = "block Krylov, depth " + std::to_string(krylov.depth) + " of " +
                           std::to_string(max_depth) + (krylov.converged ? " (converged)" : " (not converged)");
  Decomposition out = from_truncated_svd(krylov.svd, a, n, d, lda, k, what);
  out.iterations = krylov.depth;
  return out;
}

// A model of n samples x d features carrying the preprocessing; the solver's results come later.
PcaModel model_from(Preprocessing&& prep, std::size_t n, std::size_t d, const FitOptions& options) {
  PcaModel model;
  model.n_samples = n;
  model.n_features = d;
  model.center = options.center;
  model.mean = std::move(prep.mean);
  model.scale = std::move(prep.scale);
  model.zero_variance_columns = std::move(prep.zero_variance_columns);
  model.total_variance = prep.total_variance;
  return model;
}

// Shared tail: signs, spectrum, K from the variance target, truncation.
void finish_model(PcaModel& model, Decomposition&& dec, const FitOptions& options) {
  const std::size_t d = model.n_features;
  std::size_t k = dec.squared.size();
  apply_sign_rule(dec.components.data(), k, d);
  fill_spectrum(model, dec.squared);
  if (options.variance_target > 0) {
    const std::size_t chosen = components_for_variance(model.explained_variance_ratio, options.variance_target);
    k = chosen == 0 ? k : chosen;
  } else if (options.n_components != 0) {
    k = std::min(k, options.n_components);
  }
  dec.squared.resize(k);
  fill_spectrum(model, dec.squared);
  dec.components.resize(k * d);
  model.components = std::move(dec.components);
}

// The Gram solver on the scatter matrix of n rows (from column_scatter or the streaming pass).
PcaModel fit_scatter_impl(std::size_t n, const std::vector<double>& mean, const std::vector<double>& scatter,
                          const std::vector<double>& min, const std::vector<double>& max, const FitOptions& options,
                          const std::string& reason, bool float_data) {
  const std::size_t d = mean.size();
  check_shape(n, d);
  if (scatter.size() != d * d || min.size() != d || max.size() != d)
    throw std::invalid_argument("fit_from_scatter: sizes do not match the column count");
  linalg::ColumnStats stats;
  stats.rows = n;
  stats.mean = mean;
  stats.min = min;
  stats.max = max;
  stats.nonfinite.assign(d, 0);
  stats.m2.resize(d);
  for (std::size_t j = 0; j < d; ++j) stats.m2[j] = std::max(scatter[j * d + j], 0.0);
  Preprocessing prep = make_preprocessing(stats, options.center, options.scale);
  check_variance(prep);

  // The Gram matrix of the analysed data: the scatter about the subtracted shift, divided by the scales.
  std::vector<double> g(d * d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double about_zero = options.center ? 0.0 : static_cast<double>(n) * mean[i] * mean[j];
      g[i * d + j] = (scatter[i * d + j] + about_zero) / (prep.scale[i] * prep.scale[j]);
    }

  PcaModel model = model_from(std::move(prep), n, d, options);
  model.solver = Solver::gram;

  const std::size_t rank_bound = std::min(n, d);
  const double total_sum_squares = model.total_variance * static_cast<double>(n - 1);
  EigenPairs pairs = gram_eigenpairs(g, d, std::min(components_wanted(options, rank_bound), d), options,
                                     total_sum_squares, float_data);
  model.solver_reason = reason + " [" + pairs.method + "]";
  Decomposition dec;
  dec.squared = pairs.values;
  dec.components = std::move(pairs.vectors);
  dec.squared.resize(std::min(dec.squared.size(), rank_bound));
  dec.components.resize(dec.squared.size() * d);
  finish_model(model, std::move(dec), options);
  return model;
}

template <class T>
PcaModel fit_impl(T* x, std::size_t n, std::size_t d, std::size_t ld, const FitOptions& options,
                  bool* data_preprocessed) {
  check_shape(n, d);
  if (ld < d) throw std::invalid_argument("fit_in_place: leading dimension smaller than the row width");
  const std::size_t rank_bound = std::min(n, d);
  const std::size_t k_fixed = options.variance_target > 0 ? 0 : std::min(options.n_components, rank_bound);
  const std::size_t k_wanted = components_wanted(options, rank_bound);
  const std::size_t q = options.power_iterations >= 0 ? static_cast<std::size_t>(options.power_iterations)
                                                      : default_power_iterations(std::max<std::size_t>(k_fixed, 1), n, d);
  const SolverChoice choice =
      options.device != nullptr
          ? choose_solver_with_device(options.solver, n, d, k_fixed, options.oversample, q, options.force_device,
                                      options.device->device())
          : choose_solver(options.solver, n, d, k_fixed, options.oversample, q);
  const linalg::CudaLinalg* device = choice.on_device ? options.device : nullptr;
  if (data_preprocessed != nullptr) *data_preprocessed = false;

  // XᵀX on the CPU needs no centred copy: one read of x gives the means, extremes and centred scatter.
  if (choice.solver == Solver::gram && !choice.gram_of_samples && device == nullptr) {
    const ColumnScatter cs = column_scatter(x, n, d, ld);
    if (!cs.nonfinite_columns.empty())
      throw std::invalid_argument("fit_in_place: non-finite value in column " + std::to_string(cs.nonfinite_columns[0]));
    return fit_scatter_impl(n, cs.mean, cs.scatter, cs.min, cs.max, options, choice.reason, sizeof(T) == 4);
  }

  const linalg::ColumnStats stats = linalg::column_stats(n, d, x, ld);
  for (std::size_t j = 0; j < d; ++j)
    if (stats.nonfinite[j] != 0) throw std::invalid_argument("fit_in_place: non-finite value in column " + std::to_string(j));
  Preprocessing prep = make_preprocessing(stats, options.center, options.scale);
  check_variance(prep);
  apply_preprocessing(x, n, d, ld, prep.mean, prep.scale);
  if (data_preprocessed != nullptr) *data_preprocessed = true;

  PcaModel model = model_from(std::move(prep), n, d, options);
  model.solver = choice.solver;
  model.gram_of_samples = choice.solver == Solver::gram && choice.gram_of_samples;
  if (device != nullptr) model.device = device->device();
  const double total_sum_squares = model.total_variance * static_cast<double>(n - 1);

  Decomposition dec;
  switch (choice.solver) {
    case Solver::gram:
      dec = choice.gram_of_samples ? samples_gram_solver(x, n, d, ld, options, k_wanted, total_sum_squares, device)
                                   : features_gram_solver(x, n, d, ld, options, k_wanted, total_sum_squares, device);
      break;
    case Solver::svd:
      dec = svd_solver(x, n, d, ld, rank_bound);
      break;
    case Solver::randomized:
    case Solver::krylov:
      dec = choice.solver == Solver::randomized
                ? randomized_solver(x, n, d, ld, k_wanted, options.oversample, q, options.seed)
                : krylov_solver(x, n, d, ld, k_wanted, options.oversample, q, options.seed);
      if (options.solver != Solver::automatic || dec.worst_residual <= kAutoResidualTolerance) {
        model.power_iterations = dec.iterations;
        model.oversample = options.oversample;
      } else {
        const std::string randomized = dec.detail;
        dec = d > n ? samples_gram_solver(x, n, d, ld, options, k_wanted, total_sum_squares, nullptr)
                    : features_gram_solver(x, n, d, ld, options, k_wanted, total_sum_squares, nullptr);
        char limit[32];
        std::snprintf(limit, sizeof limit, " > %g", kAutoResidualTolerance);
        dec.detail = randomized + limit + ", so the exact Gram solver instead: " + dec.detail;
        model.solver = Solver::gram;
        model.gram_of_samples = d > n;
      }
      break;
    case Solver::automatic:
      throw std::logic_error("choose_solver returned automatic");
  }
  model.solver_reason = choice.reason + " [" + dec.detail + "]";
  finish_model(model, std::move(dec), options);
  return model;
}

}  // namespace

PcaModel fit_in_place(float* x, std::size_t n, std::size_t d, std::size_t ld, const FitOptions& options,
                      bool* data_preprocessed) {
  return fit_impl(x, n, d, ld, options, data_preprocessed);
}
PcaModel fit_in_place(double* x, std::size_t n, std::size_t d, std::size_t ld, const FitOptions& options,
                      bool* data_preprocessed) {
  return fit_impl(x, n, d, ld, options, data_preprocessed);
}

PcaModel fit_from_scatter(std::size_t n, const std::vector<double>& mean, const std::vector<double>& scatter,
                          const std::vector<double>& min, const std::vector<double>& max,
                          const FitOptions& options) {
  const std::string note = options.solver == Solver::gram || options.solver == Solver::automatic
                               ? ""
                               : "--solver " + std::string(solver_name(options.solver)) + " needs the data in memory; ";
  return fit_scatter_impl(n, mean, scatter, min, max, options,
                          "out of core: one streaming pass accumulated XᵀX (d×d); " + note + "eigenvectors of XᵀX",
                          false);
}

}  // namespace csc::pca
