// A fitted PCA (what scikit-learn's PCA holds after fit) and the options that produce one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace csc::linalg {
class CudaLinalg;
}

namespace csc::pca {

// gram: eigenvectors of the smaller Gram matrix (AᵀA, d×d, or AAᵀ, n×n) of the centred data A;
// svd: Eigen's BDCSVD of A; randomized: Halko–Martinsson–Tropp range finder on A (scikit-learn's
// algorithm); krylov: randomized block Krylov iteration on A (Musco & Musco), stopping when converged.
enum class Solver { automatic, gram, svd, randomized, krylov };

// "auto", "gram", "svd", "randomized", "krylov".
std::string_view solver_name(Solver solver);
// The inverse of solver_name; throws std::invalid_argument for anything else.
Solver parse_solver(std::string_view name);

struct FitOptions {
  // K. 0: decided by variance_target, or every component (min(n, d)) when that is 0 too.
  std::size_t n_components = 0;
  // In (0, 1]: the smallest K whose cumulative explained variance ratio exceeds it (reaches it for
  // 1), as scikit-learn's PCA(n_components=0.95) chooses. 0: not used.
  double variance_target = 0;
  bool center = true;
  // Divide each column by its population standard deviation (scikit-learn's StandardScaler);
  // constant columns are left unscaled.
  bool scale = false;
  Solver solver = Solver::automatic;
  std::size_t oversample = 10;  // randomized, krylov: extra columns of the sketch (block)
  // randomized: the power iterations; krylov: the largest Krylov depth. -1 = scikit-learn's 'auto'
  // (7 if K < 0.1 min(n, d), else 4).
  int power_iterations = -1;
  std::uint64_t seed = 1;       // randomized sketch and subspace-iteration start
  // A CUDA device for the Gram solver's SYRK (null: the CPU does everything). Only the Gram solver
  // runs there; with force_device (--device cuda) it does whatever the size, otherwise (--device
  // auto) only when the Gram matrix is big enough to pay for the copy (choose_solver_with_device).
  const linalg::CudaLinalg* device = nullptr;
  bool force_device = false;
};

struct PcaModel {
  std::size_t n_samples = 0;
  std::size_t n_features = 0;
  std::size_t n_components = 0;
  bool center = true;
  std::vector<double> mean;   // d; subtracted before projecting (zeros without centring)
  std::vector<double> scale;  // d; divided after centring (ones without --scale and for constant columns)
  std::vector<std::size_t> zero_variance_columns;  // constant columns (min == max), in column order

  std::vector<double> components;                // K x d row-major, orthonormal rows, sign rule applied
  std::vector<double> explained_variance;        // K: s_i^2 / (n - 1)
  std::vector<double> explained_variance_ratio;  // K: explained_variance / total_variance
  std::vector<double> singular_values;           // K: of the centred (scaled) data
  double total_variance = 0;                     // sum of the column variances of the analysed data
  double noise_variance = 0;                     // as PCA.noise_variance_: mean of the discarded variances

  Solver solver = Solver::gram;  // the solver that ran
  std::string solver_reason;     // why (for auto: what it saw)
  bool gram_of_samples = false;  // gram: the n×n Gram AAᵀ was used (d > n)
  std::string device;            // the CUDA device that formed the Gram matrix; empty: the CPU
  std::size_t power_iterations = 0;  // randomized: the count that ran; krylov: the depth it reached
  std::size_t oversample = 0;        // randomized, krylov: the oversampling that ran
};

}  // namespace csc::pca
