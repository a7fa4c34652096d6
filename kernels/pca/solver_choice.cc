// --solver auto: cost estimates by shape, and the sentence that explains the pick.
#include "kernels/pca/solver_choice.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace csc::pca {

namespace {

constexpr double kTinyCells = 50000;
constexpr std::size_t kMaxGramSide = 11585;  // 11585^2 doubles ~ 1 GiB
constexpr double kSkinnySlowdown = 1.5;  // multiply-adds of skinny products run this much slower

std::string giga(double madds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", madds * 1e-9);
  return text;
}

std::string gram_side_text(bool of_samples) {
  return of_samples ? "X Xᵀ (n×n, since d > n)" : "XᵀX (d×d)";
}

}  // namespace

std::size_t default_power_iterations(std::size_t k, std::size_t n, std::size_t d) {
  return 10 * k < std::min(n, d) ? 7 : 4;
}

SolverChoice choose_solver(Solver requested, std::size_t n, std::size_t d, std::size_t k, std::size_t oversample,
                           std::size_t power_iterations) {
  const std::size_t side = std::min(n, d);
  const bool of_samples = d > n;
  SolverChoice c;
  c.gram_of_samples = of_samples;
  switch (requested) {
    case Solver::gram:
      c.solver = Solver::gram;
      c.reason = "requested: eigenvectors of " + gram_side_text(of_samples);
      return c;
    case Solver::svd:
      c.solver = Solver::svd;
      c.reason = "requested: SVD of the centred data";
      return c;
    case Solver::randomized:
    case Solver::krylov:
      if (k == 0) {
        c.solver = Solver::gram;
        c.reason = std::string(solver_name(requested)) +
                   " needs K up front (-k); with --variance or all components the Gram solver "
                   "sees the whole spectrum: eigenvectors of " + gram_side_text(of_samples);
      } else {
        c.solver = requested;
        c.reason = requested == Solver::randomized ? "requested: randomized range finder"
                                                   : "requested: randomized block Krylov iteration";
      }
      return c;
    case Solver::automatic:
      break;
  }
  const double cells = static_cast<double>(n) * static_cast<double>(d);
  if (cells <= kTinyCells) {
    c.solver = Solver::svd;
    c.reason = "small matrix (n·d = " + std::to_string(n * d) + " <= 50000): exact SVD of the centred data";
    return c;
  }
  const double gram_cost = cells * static_cast<double>(side) / 2;
  if (k == 0) {
    c.solver = side <= kMaxGramSide ? Solver::gram : Solver::svd;
    c.reason = "K not fixed (--variance or all components): the whole spectrum is needed; " +
               (c.solver == Solver::gram ? "eigenvectors of " + gram_side_text(of_samples)
                                         : std::string("the Gram matrix would exceed 1 GiB, so SVD"));
    return c;
  }
  const std::size_t q = power_iterations;
  const double krylov_cost =
      static_cast<double>(2 * q + 2) * cells * static_cast<double>(std::min(k + oversample, side));
  // SYRK runs near GEMM speed; the skinny products (linalg's skinny kernels) run at about two thirds
  // of it, and add a residual check and the orthonormalisations: on the 2000 x 20000, K = 20
  // benchmark the Gram solver did 40 G multiply-adds in 0.75 s and the randomized range finder 19.2 G
  // in 0.55 s. Hence the Gram solver wins up to 1.5x the multiply-adds of block Krylov's depth limit
  // (its worst case; it stopped at depth 3 of 7 there); past that block Krylov runs, and under auto
  // its residual decides whether it stands (fit.cc).
  if (side <= kMaxGramSide && gram_cost <= kSkinnySlowdown * krylov_cost) {
    c.solver = Solver::gram;
    c.reason = "min(n, d) = " + std::to_string(side) + ": forming " + gram_side_text(of_samples) + " costs " +
               giga(gram_cost) + " G multiply-adds, block Krylov with K = " + std::to_string(k) +
               " could cost " + giga(krylov_cost) + " G; the Gram solver is exact";
  } else {
    c.solver = Solver::krylov;
    c.reason = "K = " + std::to_string(k) + " of min(n, d) = " + std::to_string(side) +
               ": block Krylov costs at most " + giga(krylov_cost) + " G multiply-adds, the Gram matrix " +
               (side > kMaxGramSide ? std::string("would exceed 1 GiB") : giga(gram_cost) + " G");
  }
  return c;
}

SolverChoice choose_solver_with_device(Solver requested, std::size_t n, std::size_t d, std::size_t k,
                                       std::size_t oversample, std::size_t power_iterations, bool forced,
                                       const std::string& device) {
  SolverChoice c = choose_solver(requested, n, d, k, oversample, power_iterations);
  const std::size_t side = std::min(n, d);
  const double gram_cost = static_cast<double>(n) * static_cast<double>(d) * static_cast<double>(side) / 2;
  const bool gram_possible = requested == Solver::automatic || c.solver == Solver::gram;
  if (!gram_possible) {
    c.reason += "; only the Gram solver has a CUDA path, so the CPU";
    return c;
  }
  if (side > kMaxGramSide) {
    c.reason += "; the Gram matrix would exceed 1 GiB, so the CPU";
    return c;
  }
  if (!forced && gram_cost < kDeviceMinMultiplyAdds) {
    c.reason += "; the CPU: the Gram matrix (" + giga(gram_cost) + " G multiply-adds) is too small to pay for " +
                device;
    return c;
  }
  c.on_device = true;
  if (requested == Solver::automatic) {
    c.solver = Solver::gram;
    c.gram_of_samples = d > n;
    c.reason = "CUDA device: eigenvectors of " + gram_side_text(c.gram_of_samples) + ", formed on " + device +
               " (" + giga(gram_cost) + " G multiply-adds)";
  } else {
    c.reason += ", formed on " + device;
  }
  return c;
}

}  // namespace csc::pca
