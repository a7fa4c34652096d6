// csc pca's options as parsed (shared by the fit in pca.cc and the `apply` verb in pca_apply.cc).
#pragma once

#include <cstddef>
#include <string>

namespace csc {

// Where the per-row results go (both the fit and `apply` write them).
struct PcaRowOutputs {
  std::string scores_out;       // n × K scores (whitened with --whiten)
  std::string reconstruct_out;  // n × d reconstruction from K components, original units
  std::string errors_out;       // n squared reconstruction errors (analysed units)
  bool force = false;
  bool any() const { return !scores_out.empty() || !reconstruct_out.empty() || !errors_out.empty(); }
};

struct PcaInputOptions {
  std::string file;  // empty: the embedded digits
  std::string format = "auto";
  std::string header = "auto";
  std::string columns;
  std::string label;
};

struct PcaFitOptions {
  PcaInputOptions input;
  std::size_t components = 0;  // -k; 0 when not given
  double variance = 0;         // --variance; 0 when not given
  bool center = true;
  bool scale = false;
  bool whiten = false;
  std::string solver = "auto";
  std::size_t oversample = 10;
  std::string power_iters = "auto";
  std::string dtype = "auto";
  std::string memory = "auto";
  std::string components_out;
  std::string model_out;
  PcaRowOutputs rows;
};

struct PcaApplyOptions {
  bool selected = false;  // `csc pca apply` was given
  PcaInputOptions input;
  std::string model_in;
  PcaRowOutputs rows;
};

}  // namespace csc
