// Highway kernel behind huber_lse_objective.h: one pass over the points computes the log-sum-exp, the
// Huber value and the softmax weights that make up the analytic gradient; a ragged tail is padded with
// zero-weight points so every point goes through the same vector code.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/fit/huber_lse_objective_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <hwy/contrib/math/math-inl.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/fit/huber_lse_objective.h"

HWY_BEFORE_NAMESPACE();
namespace csc::fit::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Exp's input is clamped to +-kExpLimit: exp(-limit) is negligible next to a term of at least exp(0)
// = 1, and exp(+limit) keeps the sum of three terms finite. Past +limit the exact max-relative path runs.
template <class T>
constexpr T kExpLimit = sizeof(T) == 4 ? T(80) : T(700);

// out[0] receives the objective, out[1 + j] its derivative with respect to theta[j]. The terms are taken
// relative to E: z1 = (a - e) - alpha log N, z2 = (b - e) - beta log D, so the E term is exp(0) = 1 (one
// exp saved, and no cancellation of large a and alpha log N in float), and r = log(1 + e^z1 + e^z2) +
// (e - log L). A lane where z1 or z2 exceeds the limit shifts all three by m = max(z1, z2) instead.
template <class T, int kTerms>
void HuberLseSums(const T* HWY_RESTRICT log_n, const T* HWY_RESTRICT log_d, const T* HWY_RESTRICT log_loss,
                  const T* HWY_RESTRICT weight, std::size_t count, const double* theta, double delta,
                  double* HWY_RESTRICT out) {
  const hn::ScalableTag<T> d;
  using V = hn::Vec<decltype(d)>;
  const std::size_t lanes = hn::Lanes(d);
  const V a_e = hn::Set(d, static_cast<T>(theta[kLogA] - theta[kLogE]));
  const V b_e = hn::Set(d, static_cast<T>(theta[kLogB] - theta[kLogE]));
  const V e = hn::Set(d, static_cast<T>(theta[kLogE]));
  const V alpha = hn::Set(d, static_cast<T>(theta[kAlpha])), beta = hn::Set(d, static_cast<T>(theta[kBeta]));
  const V upper = hn::Set(d, static_cast<T>(delta)), lower = hn::Neg(upper), half = hn::Set(d, T(0.5));
  const V limit = hn::Set(d, kExpLimit<T>), floor = hn::Neg(limit), one = hn::Set(d, T(1)), zero = hn::Zero(d);
  V value = zero, ga = zero, gb = zero, ge = zero, galpha = zero, gbeta = zero;

  const auto accumulate = [&](V ln, V ld, V ll, V w) HWY_ATTR {
    V z1 = hn::NegMulAdd(alpha, ln, a_e);
    V z2 = kTerms == 2 ? hn::NegMulAdd(beta, ld, b_e) : floor;
    V m = zero, e3 = one;
    if (!hn::AllFalse(d, hn::Gt(hn::Max(z1, z2), limit))) {
      m = hn::Max(hn::Max(z1, z2), zero);
      z1 = hn::Sub(z1, m), z2 = hn::Sub(z2, m);
      e3 = hn::Exp(d, hn::Max(hn::Neg(m), floor));
    }
    const V e1 = hn::Exp(d, hn::Max(z1, floor));
    V s = hn::Add(e1, e3), e2 = zero;
    if constexpr (kTerms == 2) {
      e2 = hn::Exp(d, hn::Max(z2, floor));
      s = hn::Add(s, e2);
    }
    const V r = hn::Add(hn::Add(m, hn::Log(d, s)), hn::Sub(e, ll));
    const V c = hn::Min(hn::Max(r, lower), upper);  // Huber's derivative
    value = hn::MulAdd(w, hn::Mul(c, hn::NegMulAdd(half, c, r)), value);
    const V q = hn::Div(hn::Mul(w, c), s);
    const V q1 = hn::Mul(q, e1);
    ga = hn::Add(ga, q1);
    galpha = hn::NegMulAdd(q1, ln, galpha);
    ge = hn::MulAdd(q, e3, ge);
    if constexpr (kTerms == 2) {
      const V q2 = hn::Mul(q, e2);
      gb = hn::Add(gb, q2);
      gbeta = hn::NegMulAdd(q2, ld, gbeta);
    }
  };

  std::size_t i = 0;
  for (; i + lanes <= count; i += lanes)
    accumulate(hn::LoadU(d, log_n + i), hn::LoadU(d, log_d + i), hn::LoadU(d, log_loss + i),
               hn::LoadU(d, weight + i));
  if (i < count) {
    // Zero-weight padding: log values of 0 keep every term finite, the weight removes them from the sums.
    HWY_ALIGN T tail[4][HWY_MAX_BYTES / sizeof(T)] = {};
    const std::size_t rest = count - i;
    std::copy_n(log_n + i, rest, tail[0]);
    std::copy_n(log_d + i, rest, tail[1]);
    std::copy_n(log_loss + i, rest, tail[2]);
    std::copy_n(weight + i, rest, tail[3]);
    accumulate(hn::Load(d, tail[0]), hn::Load(d, tail[1]), hn::Load(d, tail[2]), hn::Load(d, tail[3]));
  }

  out[0] = hn::GetLane(hn::SumOfLanes(d, value));
  out[1 + kLogA] = hn::GetLane(hn::SumOfLanes(d, ga));
  out[1 + kLogB] = hn::GetLane(hn::SumOfLanes(d, gb));
  out[1 + kLogE] = hn::GetLane(hn::SumOfLanes(d, ge));
  out[1 + kAlpha] = hn::GetLane(hn::SumOfLanes(d, galpha));
  out[1 + kBeta] = hn::GetLane(hn::SumOfLanes(d, gbeta));
}

template <class T>
void HuberLse(const T* log_n, const T* log_d, const T* log_loss, const T* weight, std::size_t count, int terms,
              const double* theta, double delta, double* out) {
  if (terms == 1)
    HuberLseSums<T, 1>(log_n, log_d, log_loss, weight, count, theta, delta, out);
  else
    HuberLseSums<T, 2>(log_n, log_d, log_loss, weight, count, theta, delta, out);
}

void HuberLseDouble(const double* log_n, const double* log_d, const double* log_loss, const double* weight,
                    std::size_t count, int terms, const double* theta, double delta, double* out) {
  HuberLse<double>(log_n, log_d, log_loss, weight, count, terms, theta, delta, out);
}

void HuberLseFloat(const float* log_n, const float* log_d, const float* log_loss, const float* weight,
                   std::size_t count, int terms, const double* theta, double delta, double* out) {
  HuberLse<float>(log_n, log_d, log_loss, weight, count, terms, theta, delta, out);
}

}  // namespace csc::fit::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::fit {
HWY_EXPORT(HuberLseDouble);
HWY_EXPORT(HuberLseFloat);

namespace {
template <class Points, class Kernel>
double dispatch(const Points& points, int terms, const Theta& theta, double delta, Theta* grad, Kernel kernel) {
  if (terms != 1 && terms != 2) throw std::invalid_argument("huber_lse_objective: terms must be 1 or 2");
  if (grad) grad->fill(0.0);
  for (double t : theta)
    if (!std::isfinite(t)) return INFINITY;
  double out[1 + kParamCount];
  kernel(points.log_n.data(), points.log_d.data(), points.log_loss.data(), points.weight.data(), points.size(),
         terms, theta.data(), delta, out);
  if (grad) std::copy(out + 1, out + 1 + kParamCount, grad->begin());
  return out[0];
}
}  // namespace

double huber_lse_objective(const LogPoints& points, int terms, const Theta& theta, double delta, Theta* grad) {
  return dispatch(points, terms, theta, delta, grad, HWY_DYNAMIC_DISPATCH(HuberLseDouble));
}

double huber_lse_objective(const LogPointsF& points, int terms, const Theta& theta, double delta, Theta* grad) {
  return dispatch(points, terms, theta, delta, grad, HWY_DYNAMIC_DISPATCH(HuberLseFloat));
}

}  // namespace csc::fit
#endif
