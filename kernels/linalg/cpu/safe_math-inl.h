// Per-target exp/log/tanh/sigmoid/relu: Highway's contrib math plus the IEEE edge cases it leaves
// out (NaN in, overflow to +inf, log of 0/negative/+inf), so arrays behave like std:: element-wise.
#if defined(CSC_LINALG_CPU_SAFE_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CSC_LINALG_CPU_SAFE_MATH_INL_H_
#undef CSC_LINALG_CPU_SAFE_MATH_INL_H_
#else
#define CSC_LINALG_CPU_SAFE_MATH_INL_H_
#endif

#include <limits>

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// hn::Exp is only valid on [-max, +104] (float) / [-max, +706] (double) and maps NaN to 0 or garbage.
// Arguments are clamped into its range first (so the scalar target never converts NaN or huge values
// to integers), then overflow and NaN are patched in.
template <class D, class V>
HWY_INLINE V SafeExp(D d, V x) {
  using T = hn::TFromD<D>;
  // ln(max finite): above it the true result overflows. Below `lowest` the result is 0 anyway.
  const V max_arg = hn::Set(d, sizeof(T) == 4 ? T(88.72283905206835) : T(709.782712893384));
  const V lowest = hn::Set(d, sizeof(T) == 4 ? T(-105) : T(-1001));
  const auto nan = hn::IsNaN(x);
  const V safe = hn::Min(hn::Max(hn::IfThenZeroElse(nan, x), lowest), max_arg);
  V y = hn::Exp(d, safe);
  y = hn::IfThenElse(hn::Gt(x, max_arg), hn::Set(d, std::numeric_limits<T>::infinity()), y);
  return hn::IfThenElse(nan, x, y);
}

// hn::Log is only valid on (0, max]; add log(0) = -inf, log(<0) = NaN, log(+inf) = +inf, NaN -> NaN.
template <class D, class V>
HWY_INLINE V SafeLog(D d, V x) {
  using T = hn::TFromD<D>;
  const V zero = hn::Zero(d);
  const V inf = hn::Set(d, std::numeric_limits<T>::infinity());
  const auto valid = hn::And(hn::Gt(x, zero), hn::Lt(x, inf));  // false for NaN
  V y = hn::Log(d, hn::IfThenElse(valid, x, hn::Set(d, T(1))));
  y = hn::IfThenElse(hn::Eq(x, inf), inf, y);
  y = hn::IfThenElse(hn::Eq(x, zero), hn::Neg(inf), y);
  y = hn::IfThenElse(hn::Lt(x, zero), hn::Set(d, std::numeric_limits<T>::quiet_NaN()), y);
  return hn::IfThenElse(hn::IsNaN(x), x, y);
}

template <class D, class V>
HWY_INLINE V SafeTanh(D d, V x) {
  const auto nan = hn::IsNaN(x);
  return hn::IfThenElse(nan, x, hn::Tanh(d, hn::IfThenZeroElse(nan, x)));
}

// 1 / (1 + e^-x) evaluated through e^-|x| <= 1, so neither side overflows.
template <class D, class V>
HWY_INLINE V Sigmoid(D d, V x) {
  using T = hn::TFromD<D>;
  const V one = hn::Set(d, T(1));
  const V e = SafeExp(d, hn::Neg(hn::Abs(x)));
  const V r = hn::Div(one, hn::Add(one, e));
  return hn::IfThenElse(hn::Ge(x, hn::Zero(d)), r, hn::Mul(e, r));
}

// max(x, 0) that keeps NaN (as PyTorch's relu does).
template <class D, class V>
HWY_INLINE V Relu(D d, V x) {
  return hn::IfThenZeroElse(hn::Lt(x, hn::Zero(d)), x);
}

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // CSC_LINALG_CPU_SAFE_MATH_INL_H_
