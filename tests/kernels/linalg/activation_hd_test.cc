// The per-element epilogue math the CUDA kernel runs (kernels/linalg/activation_hd.h), checked on the CPU.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/linalg/activation_hd.h"

namespace {

using csc::linalg::Activation;

long double reference(Activation activation, long double v) {
  switch (activation) {
    case Activation::identity:
      return v;
    case Activation::relu:
      return v < 0 ? 0.0L : v;
    case Activation::tanh:
      return std::tanh(v);
    case Activation::sigmoid:
      return 1.0L / (1.0L + std::exp(-v));
  }
  return NAN;
}

}  // namespace

TEST_CASE_TEMPLATE("activate matches long-double references", T, float, double) {
  const double tol = std::is_same_v<T, float> ? 4e-7 : 1e-15;
  for (Activation a : {Activation::identity, Activation::relu, Activation::tanh, Activation::sigmoid}) {
    for (double v = -40; v <= 40; v += 0.37) {
      CAPTURE(v);
      const long double ref = reference(a, static_cast<T>(v));
      CHECK(std::fabs(csc::linalg::activate(a, static_cast<T>(v)) - ref) <= tol * std::fabs(ref) + 1e-300);
    }
  }
}

TEST_CASE_TEMPLATE("activate edge cases: NaN, infinities and extremes", T, float, double) {
  using L = std::numeric_limits<T>;
  CHECK(std::isnan(csc::linalg::activate(Activation::relu, L::quiet_NaN())));
  CHECK(csc::linalg::activate(Activation::relu, -L::infinity()) == T(0));
  CHECK(csc::linalg::activate(Activation::sigmoid, T(-1000)) == T(0));
  CHECK(csc::linalg::activate(Activation::sigmoid, T(1000)) == T(1));
  CHECK(csc::linalg::activate(Activation::sigmoid, L::infinity()) == T(1));
  CHECK(csc::linalg::activate(Activation::sigmoid, -L::infinity()) == T(0));
  CHECK(csc::linalg::activate(Activation::tanh, -L::infinity()) == T(-1));
  CHECK(std::isnan(csc::linalg::activate(Activation::sigmoid, L::quiet_NaN())));
}

TEST_CASE_TEMPLATE("bias_activate adds the column's bias before the activation", T, float, double) {
  const std::vector<T> bias = {T(1), T(-2), T(0.5)};
  CHECK(csc::linalg::bias_activate(T(-0.5), bias.data(), 0, Activation::relu) == T(0.5));
  CHECK(csc::linalg::bias_activate(T(1), bias.data(), 1, Activation::relu) == T(0));
  CHECK(csc::linalg::bias_activate(T(0.25), bias.data(), 2, Activation::identity) == T(0.75));
  CHECK(csc::linalg::bias_activate(T(-3), static_cast<const T*>(nullptr), 7, Activation::identity) == T(-3));
  CHECK(csc::linalg::bias_activate(T(-0.5), bias.data(), 2, Activation::sigmoid) == T(0.5));
}
