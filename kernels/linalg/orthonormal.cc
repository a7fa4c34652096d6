// orthonormalize_columns: CholQR2 on our GEMM with a Householder fallback.
#include "kernels/linalg/orthonormal.h"

#include <Eigen/Cholesky>
#include <Eigen/QR>

#include "kernels/linalg/gemm.h"

namespace csc::linalg {
namespace {

// After the first Cholesky QR pass, yᵀy within this of the identity: the second pass then restores
// orthonormality to rounding (the first pass's loss grows as cond(y)² eps).
constexpr double kFirstPassTolerance = 0.1;

void householder(RowMatrix<double>& y) {
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(y);
  y = qr.householderQ() * Eigen::MatrixXd::Identity(y.rows(), y.cols());
}

// One pass: y = y R^-1 with yᵀy = RᵀR, the factor taken of D yᵀy D with D = diag(yᵀy)^-1/2 (unit
// columns, which is what its accuracy depends on) and D folded into R^-1: no pass over y to scale it.
// False (y unchanged) when the factor does not exist or, from the second pass on, when yᵀy is far
// from the identity.
bool cholesky_pass(RowMatrix<double>& y, RowMatrix<double>& product, bool expect_identity) {
  const std::size_t rows = static_cast<std::size_t>(y.rows()), cols = static_cast<std::size_t>(y.cols());
  RowMatrix<double> g(y.cols(), y.cols());
  // The full yᵀy through gemm's skinny kernel (it reads y in place; SYRK would pack the tall y first).
  gemm(Op::transpose, Op::none, cols, cols, rows, 1.0, y.data(), cols, y.data(), cols, 0.0, g.data(), cols);
  if (expect_identity &&
      (g - Eigen::MatrixXd::Identity(y.cols(), y.cols())).cwiseAbs().maxCoeff() > kFirstPassTolerance)
    return false;
  const Eigen::VectorXd diagonal = g.diagonal();
  if (!((diagonal.array() > 0).all() && diagonal.allFinite())) return false;
  const Eigen::VectorXd scale = diagonal.cwiseSqrt().cwiseInverse();
  const Eigen::LLT<Eigen::MatrixXd> llt(scale.asDiagonal() * g * scale.asDiagonal());
  if (llt.info() != Eigen::Success) return false;
  const RowMatrix<double> r_inverse =
      scale.asDiagonal() * llt.matrixU().solve(Eigen::MatrixXd::Identity(y.cols(), y.cols()));
  if (!r_inverse.allFinite()) return false;
  gemm(Op::none, Op::none, rows, cols, cols, 1.0, y.data(), cols, r_inverse.data(), cols, 0.0, product.data(), cols);
  y.swap(product);
  return true;
}

}  // namespace

void orthonormalize_columns(RowMatrix<double>& y, RowMatrix<double>& workspace) {
  if (y.cols() == 0) return;
  workspace.resize(y.rows(), y.cols());
  if (cholesky_pass(y, workspace, false) && cholesky_pass(y, workspace, true)) return;
  householder(y);
}

void orthonormalize_columns(RowMatrix<double>& y) {
  RowMatrix<double> workspace;
  orthonormalize_columns(y, workspace);
}

}  // namespace csc::linalg
