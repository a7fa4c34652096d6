// Solver names.
#include "kernels/pca/pca_model.h"

#include <stdexcept>
#include <string>

namespace csc::pca {

std::string_view solver_name(Solver solver) {
  switch (solver) {
    case Solver::automatic: return "auto";
    case Solver::gram: return "gram";
    case Solver::svd: return "svd";
    case Solver::randomized: return "randomized";
    case Solver::krylov: return "krylov";
  }
  return "?";
}

Solver parse_solver(std::string_view name) {
  for (Solver s : {Solver::automatic, Solver::gram, Solver::svd, Solver::randomized, Solver::krylov})
    if (solver_name(s) == name) return s;
  throw std::invalid_argument("unknown PCA solver '" + std::string(name) + "'");
}

}  // namespace csc::pca
