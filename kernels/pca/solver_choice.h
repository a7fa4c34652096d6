// Which solver runs for a data shape, and why: what --solver auto decides and says.
#pragma once

#include <cstddef>
#include <string>

#include "kernels/pca/pca_model.h"

namespace csc::pca {

struct SolverChoice {
  Solver solver = Solver::gram;
  bool gram_of_samples = false;  // gram: use AAᵀ (n×n) instead of AᵀA (d×d)
  bool on_device = false;        // gram: form the Gram matrix on the CUDA device
  std::string reason;
};

// scikit-learn's iterated_power='auto': 7 when k < 0.1 min(n, d), else 4.
std::size_t default_power_iterations(std::size_t k, std::size_t n, std::size_t d);

// requested == automatic picks by cost: svd for tiny matrices (n·d <= 50000); otherwise gram (the
// Gram matrix of the smaller side, s = min(n, d): n·d·s/2 multiply-adds, exact) unless block Krylov
// (at most (2q + 2)·n·d·(k + oversample) multiply-adds, q the depth limit; it usually stops well
// before) is more than 1.5 times cheaper, or the s×s Gram matrix would exceed 1 GiB. k == 0 means
// "not known yet" (--variance or all components): gram or svd, which see the whole spectrum. An
// explicit request is honoured (randomized or krylov with k == 0 becomes gram: they need K up front);
// the reason says so.
SolverChoice choose_solver(Solver requested, std::size_t n, std::size_t d, std::size_t k, std::size_t oversample,
                           std::size_t power_iterations);

// The Gram matrix (n·d·s/2 multiply-adds) is worth a CUDA device from this size on: below it the CPU
// takes under ~0.1 s, which we expect to be less than the device's start-up and the copy of the data.
// An estimate: no GPU was at hand to measure the crossing.
constexpr double kDeviceMinMultiplyAdds = 1e10;

// choose_solver when a CUDA device `device` (its name) is at hand. The Gram solver is the one with a
// device path: auto picks it (whichever side is smaller) and an explicit gram keeps it, on the device
// when `forced` (--device cuda) or when the Gram matrix reaches kDeviceMinMultiplyAdds, and when that
// matrix fits in 1 GiB. Everything else is choose_solver's CPU choice, on_device false.
SolverChoice choose_solver_with_device(Solver requested, std::size_t n, std::size_t d, std::size_t k,
                                       std::size_t oversample, std::size_t power_iterations, bool forced,
                                       const std::string& device);

}  // namespace csc::pca
