// The csc side of scripts/bench/linalg: a line-oriented JSON server that sets up one GEMM/SYRK case,
// times it on request, and measures the machine's FP32 FMA peak, so the driver can interleave it
// with the NumPy peer run for run.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "bench/linalg_bench.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace csc::bench::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Independent FMA chains, enough to cover the FMA latency times the number of FMA ports; returns
// flops done (2 per lane per FMA). The result is folded into `sink` so nothing is optimised away.
double FmaLoop(std::size_t iterations, float* sink) {
  const hn::ScalableTag<float> d;
  auto a0 = hn::Set(d, 1.0f), a1 = hn::Set(d, 1.1f), a2 = hn::Set(d, 1.2f), a3 = hn::Set(d, 1.3f);
  auto a4 = hn::Set(d, 1.4f), a5 = hn::Set(d, 1.5f), a6 = hn::Set(d, 1.6f), a7 = hn::Set(d, 1.7f);
  auto a8 = hn::Set(d, 1.8f), a9 = hn::Set(d, 1.9f), a10 = hn::Set(d, 2.0f), a11 = hn::Set(d, 2.1f);
  const auto m = hn::Set(d, 0.999999f), c = hn::Set(d, 1e-7f);
  for (std::size_t i = 0; i < iterations; ++i) {
    a0 = hn::MulAdd(a0, m, c);
    a1 = hn::MulAdd(a1, m, c);
    a2 = hn::MulAdd(a2, m, c);
    a3 = hn::MulAdd(a3, m, c);
    a4 = hn::MulAdd(a4, m, c);
    a5 = hn::MulAdd(a5, m, c);
    a6 = hn::MulAdd(a6, m, c);
    a7 = hn::MulAdd(a7, m, c);
    a8 = hn::MulAdd(a8, m, c);
    a9 = hn::MulAdd(a9, m, c);
    a10 = hn::MulAdd(a10, m, c);
    a11 = hn::MulAdd(a11, m, c);
  }
  const auto sum = hn::Add(hn::Add(hn::Add(hn::Add(a0, a1), hn::Add(a2, a3)), hn::Add(hn::Add(a4, a5), hn::Add(a6, a7))),
                           hn::Add(hn::Add(a8, a9), hn::Add(a10, a11)));
  *sink += hn::GetLane(hn::SumOfLanes(d, sum));
  return 12.0 * 2.0 * static_cast<double>(hn::Lanes(d)) * static_cast<double>(iterations);
}

std::size_t FloatLanes() { return hn::Lanes(hn::ScalableTag<float>()); }

}  // namespace csc::bench::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "kernels/linalg/gemm.h"
#include "kernels/linalg/syrk.h"
#include "kernels/simd/targets.h"

namespace csc::bench {
HWY_EXPORT(FmaLoop);
HWY_EXPORT(FloatLanes);

namespace {

using linalg::Activation;
using linalg::Op;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// FP32 FMA throughput of all threads together, best of a few runs, in GFLOP/s.
double measure_fp32_peak() {
  double best = 0;
  for (int run = 0; run < 5; ++run) {
    double flops = 0;
    const auto start = Clock::now();
#pragma omp parallel reduction(+ : flops)
    {
      float sink = 0;
      flops += HWY_DYNAMIC_DISPATCH(FmaLoop)(20'000'000, &sink);
      if (sink == 12345.0f) std::fprintf(stderr, "%g\n", sink);
    }
    best = std::max(best, flops / seconds_since(start) / 1e9);
  }
  return best;
}

// Core clock from a chain of dependent register-register adds (one per cycle on every x86-64 core), or 0
// where there is no such probe. Single thread, best of a few runs. Not `add $1`: recent Intel cores fold
// chains of add-immediate at rename and run two per cycle, which read as twice the clock (9 GHz here).
double measure_clock_ghz() {
#if defined(__x86_64__)
  double best = 0;
  for (int run = 0; run < 5; ++run) {
    constexpr long kIterations = 50'000'000;
    long x = 0;
    const long one = 1;
    const auto start = Clock::now();
    for (long i = 0; i < kIterations; ++i)
      __asm__ volatile("add %1, %0\n\tadd %1, %0\n\tadd %1, %0\n\tadd %1, %0" : "+r"(x) : "r"(one));
    best = std::max(best, 4.0 * kIterations / seconds_since(start) / 1e9);
  }
  return best;
#else
  return 0;
#endif
}

// One benchmark case: its operands, and a closure that runs it once.
struct Case {
  std::string op;  // sgemm, dgemm, ssyrk, dsyrk
  std::size_t m = 0, n = 0, k = 0;
  Op op_a = Op::none, op_b = Op::none;
  bool bias_relu = false;
  std::vector<float> fa, fb, fc, fbias;
  std::vector<double> da, db, dc;
  std::size_t iterations = 1;

  void run() {
    if (op == "sgemm") {
      const linalg::Epilogue<float> epi{bias_relu ? fbias.data() : nullptr,
                                        bias_relu ? Activation::relu : Activation::identity};
      linalg::gemm(op_a, op_b, m, n, k, 1.0f, fa.data(), op_a == Op::none ? k : m, fb.data(),
                   op_b == Op::none ? n : k, 0.0f, fc.data(), n, epi);
    } else if (op == "dgemm") {
      linalg::gemm(op_a, op_b, m, n, k, 1.0, da.data(), op_a == Op::none ? k : m, db.data(),
                   op_b == Op::none ? n : k, 0.0, dc.data(), n);
    } else if (op == "ssyrk") {  // X^T X with X k x n (rows are observations)
      linalg::syrk(linalg::Triangle::lower, Op::transpose, n, k, 1.0f, fa.data(), n, 0.0f, fc.data(), n);
    } else {
      linalg::syrk(linalg::Triangle::lower, Op::transpose, n, k, 1.0, da.data(), n, 0.0, dc.data(), n);
    }
  }
};

template <class T>
std::vector<T> random_matrix(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<T> uniform(-1, 1);
  std::vector<T> v(size);
  for (auto& x : v) x = uniform(rng);
  return v;
}

void setup(Case& cs, const nlohmann::json& request) {
  cs = Case{};
  cs.op = request.at("op").get<std::string>();
  cs.m = request.value("m", 0);
  cs.n = request.at("n").get<std::size_t>();
  cs.k = request.at("k").get<std::size_t>();
  cs.op_a = request.value("trans_a", false) ? Op::transpose : Op::none;
  cs.op_b = request.value("trans_b", false) ? Op::transpose : Op::none;
  cs.bias_relu = request.value("epilogue", "") == "bias_relu";
  const bool gemm = cs.op == "sgemm" || cs.op == "dgemm";
  const std::size_t a_size = gemm ? cs.m * cs.k : cs.k * cs.n;
  if (cs.op == "sgemm" || cs.op == "ssyrk") {
    cs.fa = random_matrix<float>(a_size, 1);
    if (gemm) cs.fb = random_matrix<float>(cs.k * cs.n, 2);
    cs.fc.assign(gemm ? cs.m * cs.n : cs.n * cs.n, 0.0f);
    cs.fbias = random_matrix<float>(cs.n, 3);
  } else if (cs.op == "dgemm" || cs.op == "dsyrk") {
    cs.da = random_matrix<double>(a_size, 1);
    if (gemm) cs.db = random_matrix<double>(cs.k * cs.n, 2);
    cs.dc.assign(gemm ? cs.m * cs.n : cs.n * cs.n, 0.0);
  } else {
    throw std::invalid_argument("unknown op " + cs.op);
  }
  // Warm up (thread pool, packing buffers, page faults), then size one timed sample to ~0.2 s.
  cs.run();
  const auto start = Clock::now();
  cs.run();
  const double once = std::max(seconds_since(start), 1e-7);
  cs.iterations = std::max<std::size_t>(1, static_cast<std::size_t>(0.2 / once));
}

double time_case(Case& cs) {
  const auto start = Clock::now();
  for (std::size_t i = 0; i < cs.iterations; ++i) cs.run();
  return seconds_since(start) / static_cast<double>(cs.iterations);
}

}  // namespace
}  // namespace csc::bench

// Requests, one JSON object per line on stdin; one JSON reply per line on stdout:
//   {"cmd": "info"}   -> simd target, threads, float lanes, measured clock and FP32 FMA peak
//   {"cmd": "setup", "op": "sgemm", "m": .., "n": .., "k": .., "trans_a": false, "trans_b": false,
//    "epilogue": "bias_relu"}  (ssyrk/dsyrk: X^T X with X k x n)  -> {"iterations": ..}
//   {"cmd": "run"}    -> {"seconds": <one call, averaged over the sample>}
int main() {
  using nlohmann::json;
  csc::bench::Case current;
  std::string line;
  while (std::getline(std::cin, line)) {
    json reply;
    try {
      const json request = json::parse(line);
      const std::string cmd = request.at("cmd").get<std::string>();
      if (cmd == "info") {
        reply = {{"simd_target", csc::simd::chosen_target()},
                 {"threads", omp_get_max_threads()},
                 {"fp32_lanes", HWY_DYNAMIC_DISPATCH(csc::bench::FloatLanes)()},
                 {"clock_ghz_measured", csc::bench::measure_clock_ghz()},
                 {"fp32_peak_gflops_measured", csc::bench::measure_fp32_peak()}};
      } else if (cmd == "setup") {
        csc::bench::setup(current, request);
        reply = {{"iterations", current.iterations}};
      } else if (cmd == "run") {
        reply = {{"seconds", csc::bench::time_case(current)}};
      } else {
        reply = {{"error", "unknown cmd " + cmd}};
      }
    } catch (const std::exception& e) {
      reply = {{"error", e.what()}};
    }
    std::cout << reply.dump() << std::endl;
  }
  return 0;
}
#endif  // HWY_ONCE
