// csc pca: principal components of a table of any size (in memory, or streamed when larger than
// --memory), with scikit-learn's definitions; `csc pca apply` projects new data with a saved model.
#include <algorithm>
#include <filesystem>
#include <future>
#include <memory>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <omp.h>

#include "kernels/io/units.h"
#include "kernels/linalg/device_linalg.h"
#include "kernels/pca/fit.h"
#include "kernels/pca/streaming_fit.h"
#include "kernels/platform/machine.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/invocation.h"
#include "src/progress.h"
#include "subcommands/pca/input.h"
#include "subcommands/pca/options.h"
#include "subcommands/pca/outputs.h"
#include "subcommands/pca/pass.h"
#include "subcommands/pca/report.h"

namespace csc {

void run_pca_apply(Invocation& inv, const PcaApplyOptions& options);
void add_pca_input_options(CLI::App& app, PcaInputOptions& input);
void add_pca_row_outputs(CLI::App& app, PcaRowOutputs& outputs);
PcaInputSpec pca_input_spec(const PcaInputOptions& input);
void check_pca_outputs(const std::vector<std::string>& paths, bool force);
void check_stdout_outputs(const Invocation& inv, const std::vector<std::string>& paths);

namespace {

PcaFitOptions g_fit;
PcaApplyOptions g_apply;
CLI::App* g_apply_app = nullptr;

// Rows per block of the in-memory transform pass (bounds its scratch memory).
constexpr std::size_t kPassRows = 65536;

const CLI::Validator kSize(
    [](std::string& text) -> std::string {
      if (text == "auto" || io::parse_size(text).value_or(0) > 0) return {};
      return "'" + text + "' is not a size (e.g. 256M, 4G) or auto";
    },
    "SIZE|auto", "Size");

const CLI::Validator kPowerIterations(
    [](std::string& text) -> std::string {
      if (text == "auto") return {};
      int value = -1;
      if (CLI::detail::lexical_cast(text, value) && value >= 0 && value <= 100) return {};
      return "'" + text + "' is not auto or an integer in [0, 100]";
    },
    "INT|auto", "PowerIterations");

const CLI::Validator kVarianceFraction(
    [](std::string& text) -> std::string {
      double value = 0;
      if (CLI::detail::lexical_cast(text, value) && value > 0 && value <= 1) return {};
      return "'" + text + "' is not a fraction in (0, 1]";
    },
    "FRACTION", "VarianceFraction");

std::uint64_t memory_budget(const std::string& text) {
  if (text != "auto") return *io::parse_size(text);
  // A quarter of what the system can give without swapping leaves room for the outputs and others.
  const std::uint64_t available = platform::describe_machine().memory_available_bytes;
  return std::max<std::uint64_t>(available / 4, std::uint64_t{64} << 20);
}

pca::FitOptions fit_options(const PcaFitOptions& o, std::uint64_t seed) {
  pca::FitOptions f;
  f.n_components = o.components;
  f.variance_target = o.variance;
  f.center = o.center;
  f.scale = o.scale;
  f.solver = pca::parse_solver(o.solver);
  f.oversample = o.oversample;
  f.power_iterations = o.power_iters == "auto" ? -1 : std::stoi(o.power_iters);
  f.seed = seed;
  return f;
}

// The default K when neither -k nor --variance is given.
constexpr std::size_t kDefaultComponents = 10;

void check_shape(std::size_t rows, std::size_t cols, const PcaInputSpec& spec) {
  if (cols == 0) throw input_error(spec.display(), "no numeric column selected; check --columns and --label");
  if (rows < 2)
    throw input_error(spec.display(), fmt::format("{} data row{}: PCA needs at least two samples, give more rows",
                                                  rows, rows == 1 ? "" : "s"));
}

// Kernel exceptions about the data (all columns constant, non-finite cells) become exit 3.
template <class Fn>
auto data_errors_as_input_errors(const PcaInputSpec& spec, Fn&& fn) {
  try {
    return fn();
  } catch (const std::invalid_argument& e) {
    throw input_error(spec.display(), std::string(e.what()) + "; check the selected columns (--columns)");
  }
}

void report_components_clipped(Invocation& inv, const PcaFitOptions& o, std::size_t rows, std::size_t cols) {
  const std::size_t bound = std::min(rows, cols);
  if (o.components > bound)
    inv.warn(fmt::format("-k {} exceeds min(n_samples, n_features) = min({}, {}); using K = {}", o.components, rows,
                         cols, bound));
}

void report_constant_columns(Invocation& inv, const pca::PcaModel& model, const std::vector<std::string>& names,
                             bool scale) {
  if (!scale || model.zero_variance_columns.empty()) return;
  std::string list;
  for (std::size_t j : model.zero_variance_columns) list += (list.empty() ? "" : ", ") + names.at(j);
  inv.warn(fmt::format("--scale: constant column{} left unscaled (zero variance): {}",
                       model.zero_variance_columns.size() == 1 ? "" : "s", list));
}

struct FitOutcome {
  pca::PcaModel model;
  PcaRunFacts facts;
  std::size_t rows = 0;
  std::string format;
};

std::vector<std::string> component_names(std::size_t k) {
  std::vector<std::string> names;
  for (std::size_t c = 0; c < k; ++c) names.push_back(fmt::format("PC{}", c + 1));
  return names;
}

template <class T>
FitOutcome fit_in_memory(Invocation& inv, const PcaFitOptions& o, const PcaInputSpec& spec, PcaData&& data,
                         bool want_plot, const linalg::CudaLinalg* gpu) {
  platform::BulkVector<T>& x = [&]() -> platform::BulkVector<T>& {
    if constexpr (sizeof(T) == 4) return data.f32; else return data.f64;
  }();
  check_shape(data.rows, data.cols, spec);
  report_components_clipped(inv, o, data.rows, data.cols);
  pca::FitOptions options = fit_options(o, inv.seed());
  if (o.components == 0 && o.variance == 0) options.n_components = kDefaultComponents;
  options.device = gpu;
  options.force_device = inv.options().device == "cuda";
  FitOutcome out;
  bool preprocessed = false;
  auto compute = inv.phase("compute");
  {
    auto fit = inv.phase("fit");
    out.model = data_errors_as_input_errors(spec, [&] {
      return pca::fit_in_place(x.data(), data.rows, data.cols, data.cols, options, &preprocessed);
    });
  }
  inv.ran_on(out.model.device.empty() ? Device::cpu : Device::cuda);
  if (gpu != nullptr && options.force_device && out.model.device.empty())
    inv.warn("--device cuda: the fit ran on the CPU (" + out.model.solver_reason + ")");
  auto transform = inv.phase("transform");
  const bool with_labels = !data.labels.empty();
  TransformPass<T> pass(out.model, o.whiten, o.rows, data.rows, data.column_names, data.label_name, with_labels,
                        want_plot);
  for (std::size_t begin = 0; begin < data.rows; begin += kPassRows) {
    throw_if_interrupted();
    const std::size_t n = std::min(kPassRows, data.rows - begin);
    pass.add(x.data() + begin * data.cols, n, preprocessed,
             with_labels ? std::span<const std::string>(data.labels).subspan(begin, n) : std::span<const std::string>());
  }
  if (o.whiten && pass.projector().whitening_clipped())
    inv.warn("--whiten: a component has zero variance; its whitened scores are set to 0");
  out.facts.pass = pass.finish();
  out.facts.column_names = std::move(data.column_names);
  out.rows = data.rows;
  out.format = data.format;
  return out;
}

FitOutcome fit_out_of_core(Invocation& inv, const PcaFitOptions& o, const PcaInputSpec& spec, std::uint64_t budget,
                           bool want_plot) {
  const io::TableOptions table = spec.table_options();
  io::NumericBlockReader reader(spec.path, table);
  const std::size_t d = reader.cols();
  // A block takes a quarter of the budget; two are live while parsing and accumulating overlap (the
  // rest: the accumulator's centred chunk, the reader, the outputs).
  const std::size_t block_rows = std::max<std::size_t>(1, budget / 4 / (8 * std::max<std::size_t>(d, 1)));
  pca::StreamingFit accumulator(d);
  io::NumericValues block;
  FitOutcome out;
  auto compute = inv.phase("compute");
  {
    auto fit = inv.phase("fit");
    Progress progress("pca: pass 1 (fit)", reader.total_rows().value_or(0), inv.show_progress());
    // With two threads or more, parsing and accumulating overlap: this thread reads the next block
    // while a worker adds the last one on one thread of its own (the parser is single-threaded and
    // the slower of the two). Blocks are added in file order either way, so the result is the same.
    const bool overlap = omp_get_max_threads() > 1;
    io::NumericValues next;
    std::future<void> adding;  // declared after the blocks: its destructor waits for the worker
    const auto add = [&](const io::NumericValues* values, std::size_t n) {
      data_errors_as_input_errors(spec, [&] { accumulator.add_block(values->data(), n, d); return 0; });
    };
    while (const std::size_t n = reader.next_block(block_rows, block)) {
      throw_if_interrupted();
      if (!overlap) {
        add(&block, n);
      } else {
        if (adding.valid()) adding.get();  // rethrows what the worker threw
        block.swap(next);
        adding = std::async(std::launch::async, [&add, values = &next, n] {
          omp_set_num_threads(1);  // this thread's OpenMP regions: the other core parses
          add(values, n);
        });
      }
      progress.advance(n);
    }
    if (adding.valid()) adding.get();
  }
  io::NumericValues().swap(block);
  const std::size_t rows = accumulator.count();
  check_shape(rows, d, spec);
  report_components_clipped(inv, o, rows, d);
  pca::FitOptions options = fit_options(o, inv.seed());
  if (o.components == 0 && o.variance == 0) options.n_components = kDefaultComponents;
  out.model = data_errors_as_input_errors(spec, [&] { return accumulator.finish(options); });
  out.facts.out_of_core = true;
  out.facts.column_names = reader.column_names();
  out.rows = rows;
  out.format = std::string(io::table_format_name(reader.format()));

  if (o.rows.any() || want_plot) {
    auto transform = inv.phase("transform");
    io::NumericBlockReader second(spec.path, table);
    TransformPass<double> pass(out.model, o.whiten, o.rows, rows, second.column_names(), second.label_name(),
                               second.has_labels(), want_plot);
    std::vector<std::string> labels;
    Progress progress("pca: pass 2 (scores)", rows, inv.show_progress());
    while (const std::size_t n = second.next_block(block_rows, block, second.has_labels() ? &labels : nullptr)) {
      throw_if_interrupted();
      pass.add(block.data(), n, false, second.has_labels() ? std::span<const std::string>(labels) : std::span<const std::string>());
      progress.advance(n);
    }
    if (o.whiten && pass.projector().whitening_clipped())
      inv.warn("--whiten: a component has zero variance; its whitened scores are set to 0");
    out.facts.pass = pass.finish();
    out.facts.passes = 2;
  }
  return out;
}

// cuBLAS and cuSOLVER when the resolved device is CUDA; null (with a warning saying why) when they
// cannot be loaded, and for the CPU. Both fit paths record where they ran (Invocation::ran_on).
const linalg::CudaLinalg* cuda_linalg(Invocation& inv) {
  if (inv.device() != Device::cuda) return nullptr;
  std::string reason;
  const linalg::CudaLinalg* gpu = linalg::CudaLinalg::load(reason);
  if (gpu == nullptr) inv.warn("CUDA linear algebra " + reason + "; pca ran on the CPU");
  return gpu;
}

Json file_bytes(const PcaInputSpec& spec) {
  std::error_code ec;
  if (spec.embedded() || spec.path == "-" || !std::filesystem::is_regular_file(spec.path, ec)) return nullptr;
  return std::filesystem::file_size(spec.path, ec);
}

void validate(const PcaFitOptions& o) {
  if (o.components != 0 && o.variance != 0) throw usage_error("-k/--components and --variance exclude each other");
  if ((o.solver == "randomized" || o.solver == "krylov") && o.variance != 0)
    throw usage_error("--solver " + o.solver + " needs K up front: use -k, or --solver gram/svd with --variance");
  std::vector<std::string> paths{o.components_out, o.model_out, o.rows.scores_out, o.rows.reconstruct_out,
                                 o.rows.errors_out};
  check_pca_outputs(paths, o.rows.force);
}

Json fit_params(const PcaFitOptions& o, bool float32, std::uint64_t budget, const std::string& plot) {
  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Json p = Json::object();
  p["components"] = o.components == 0 ? Json(nullptr) : Json(o.components);
  p["variance"] = o.variance == 0 ? Json(nullptr) : Json(o.variance);
  p["default_components"] = kDefaultComponents;
  p["center"] = o.center;
  p["scale"] = o.scale;
  p["whiten"] = o.whiten;
  p["solver"] = o.solver;
  p["oversample"] = o.oversample;
  p["power_iters"] = o.power_iters == "auto" ? Json("auto") : Json(std::stoi(o.power_iters));
  p["dtype"] = float32 ? "float32" : "float64";
  p["memory_bytes"] = budget;
  p["columns"] = text_or_null(o.input.columns);
  p["label"] = text_or_null(o.input.label);
  p["format"] = o.input.format;
  p["header"] = o.input.header;
  p["components_out"] = text_or_null(o.components_out);
  p["scores_out"] = text_or_null(o.rows.scores_out);
  p["reconstruct_out"] = text_or_null(o.rows.reconstruct_out);
  p["errors_out"] = text_or_null(o.rows.errors_out);
  p["model_out"] = text_or_null(o.model_out);
  p["plot"] = text_or_null(plot);
  p["force"] = o.rows.force;
  return p;
}

void run_fit(Invocation& inv) {
  const PcaFitOptions& o = g_fit;
  validate(o);
  check_stdout_outputs(inv, {o.components_out, o.model_out, o.rows.scores_out, o.rows.reconstruct_out,
                             o.rows.errors_out});
  const std::string& plot = inv.options().plot;
  if (!plot.empty()) check_pca_outputs({plot}, o.rows.force);
  const linalg::CudaLinalg* gpu = cuda_linalg(inv);

  const PcaInputSpec spec = pca_input_spec(o.input);
  const bool float32 = o.dtype == "float32" || (o.dtype == "auto" && input_is_float32_npy(spec));
  const std::uint64_t budget = memory_budget(o.memory);
  const std::optional<std::uint64_t> estimate = estimated_table_bytes(spec);
  const bool out_of_core = estimate && *estimate > budget;
  const bool want_plot = !plot.empty();

  FitOutcome out;
  if (out_of_core) {
    if (float32) inv.warn("out of core: the streaming pass accumulates in float64 (--dtype float32 ignored)");
    if (gpu != nullptr && inv.options().device == "cuda")
      inv.warn("--device cuda: out of core, the streaming pass runs on the CPU (it is bound by parsing)");
    inv.ran_on(Device::cpu);
    out = fit_out_of_core(inv, o, spec, budget, want_plot);
    out.facts.dtype = "float64";
  } else {
    PcaData data;
    {
      auto load = inv.phase("load");
      data = load_pca_data(spec, float32);
    }
    out = float32 ? fit_in_memory<float>(inv, o, spec, std::move(data), want_plot, gpu)
                  : fit_in_memory<double>(inv, o, spec, std::move(data), want_plot, gpu);
    out.facts.dtype = float32 ? "float32" : "float64";
  }
  const pca::PcaModel& model = out.model;
  report_constant_columns(inv, model, out.facts.column_names, o.scale);

  auto write = inv.phase("write");
  if (!o.components_out.empty()) {
    const auto names = component_names(model.n_components);
    io::MatrixWriteOptions w;
    w.column_names = out.facts.column_names;
    w.labels = names;
    w.label_name = "component";
    w.force = o.rows.force;
    io::write_matrix_file(o.components_out, model.components, model.n_components, model.n_features, w);
  }
  if (!o.model_out.empty())
    write_model_file(o.model_out, {model, o.scale, o.whiten, out.facts.dtype, out.facts.column_names}, o.rows.force);
  if (want_plot && out.facts.pass) {
    const PassSummary& pass = *out.facts.pass;
    const std::optional<double> target = o.variance > 0 ? std::optional<double>(o.variance) : std::nullopt;
    write_text_file(plot,
                    render_pca_plot(model, pass.pc1, pass.pc2, pass.plot_rows, pass.plot_labels,
                                    fmt::format("csc pca: {} ({} x {})", spec.display(), model.n_samples,
                                                model.n_features),
                                    target),
                    o.rows.force);
  }
  if (model.n_components * model.n_features > kMaxJsonLoadings)
    inv.warn(fmt::format("result.components, mean and scale are null: K x d = {} loadings; use --components-out or "
                         "--model-out",
                         model.n_components * model.n_features));

  Report& report = inv.report();
  report.input = {{"file", spec.display()},
                  {"format", out.format},
                  {"rows", out.rows},
                  {"columns", model.n_features},
                  {"column_names", out.facts.column_names},
                  {"label", o.input.label.empty() && !spec.embedded() ? Json(nullptr) : Json(spec.table_options().label_column)},
                  {"bytes", file_bytes(spec)}};
  report.params = fit_params(o, float32, budget, plot);
  report.result = pca_fit_result(model, out.facts);
  report.text = pca_fit_text(report.input, report.result);
}

}  // namespace

void setup_pca(CLI::App& app) {
  add_pca_input_options(app, g_fit.input);
  app.add_option("-k,--components", g_fit.components,
                 "Number of components K (default 10, clipped to min(n_samples, n_features))")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--variance", g_fit.variance,
                 "Smallest K whose cumulative explained variance ratio exceeds this fraction, e.g. 0.95")
      ->check(kVarianceFraction);
  app.add_flag("--center,!--no-center", g_fit.center, "Subtract the column means first (default on)");
  app.add_flag("--scale", g_fit.scale, "Standardise columns (population std, as StandardScaler); constant columns stay unscaled");
  app.add_flag("--whiten", g_fit.whiten, "Divide the scores by sqrt(explained variance): unit-variance scores");
  app.add_option("--solver", g_fit.solver,
                 "auto, gram (eigen of XᵀX or XXᵀ), svd (BDCSVD), randomized (Halko et al., as scikit-learn) "
                 "or krylov (randomized block Krylov, stops when converged)")
      ->check(CLI::IsMember({"auto", "gram", "svd", "randomized", "krylov"}))
      ->capture_default_str();
  app.add_option("--oversample", g_fit.oversample, "randomized/krylov: extra sketch columns (block size K + this)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--power-iters", g_fit.power_iters,
                 "randomized: power iterations; krylov: largest depth (auto: 7 if K < 0.1 min(n, d), else 4)")
      ->check(kPowerIterations)
      ->capture_default_str();
  app.add_option("--dtype", g_fit.dtype, "auto (float32 for a float32 .npy, else float64), float32 or float64")
      ->check(CLI::IsMember({"auto", "float32", "float64"}))
      ->capture_default_str();
  app.add_option("--memory", g_fit.memory,
                 "Largest table held in memory (e.g. 256M; auto: a quarter of the available RAM); larger files are "
                 "streamed")
      ->check(kSize)
      ->capture_default_str();
  app.add_option("--components-out", g_fit.components_out, "Write the K x d components (CSV/TSV/.npy by extension)");
  app.add_option("--model-out", g_fit.model_out, "Write the fitted model as JSON, for csc pca apply --model-in");
  add_pca_row_outputs(app, g_fit.rows);
  app.footer("With no FILE, csc pca runs on the embedded handwritten digits (1797 x 64). See man csc-pca.");

  g_apply_app = app.add_subcommand("apply", "Project FILE with a model saved by --model-out");
  g_apply_app->fallthrough();
  add_pca_input_options(*g_apply_app, g_apply.input);
  g_apply_app->add_option("--model-in", g_apply.model_in, "The model file written by csc pca --model-out")->required();
  add_pca_row_outputs(*g_apply_app, g_apply.rows);
}

void run_pca(Invocation& inv) {
  if (g_apply_app != nullptr && g_apply_app->parsed())
    run_pca_apply(inv, g_apply);
  else
    run_fit(inv);
}

void add_pca_input_options(CLI::App& app, PcaInputOptions& input) {
  app.add_option("file", input.file, "CSV/TSV/.npy input, rows = samples ('-' = stdin; none: embedded digits)");
  app.add_option("--format", input.format, "Input format: auto (by extension), csv, tsv or npy")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "npy"}))
      ->capture_default_str();
  app.add_option("--header", input.header, "CSV/TSV header row: auto, yes or no")
      ->check(CLI::IsMember({"auto", "yes", "no"}))
      ->capture_default_str();
  app.add_option("--columns", input.columns, "Columns to analyse: names or 0-based indices, comma-separated");
  app.add_option("--label", input.label, "A column kept aside (not analysed) and carried to the outputs and the plot");
}

void add_pca_row_outputs(CLI::App& app, PcaRowOutputs& outputs) {
  app.add_option("--scores-out", outputs.scores_out, "Write the n x K scores (CSV/TSV/.npy by extension)");
  app.add_option("--reconstruct-out", outputs.reconstruct_out,
                 "Write the n x d reconstruction from K components, in the input's units (denoised data)");
  app.add_option("--errors-out", outputs.errors_out,
                 "Write each row's squared reconstruction error (an anomaly score)");
  app.add_flag("--force", outputs.force, "Overwrite existing output files");
}

PcaInputSpec pca_input_spec(const PcaInputOptions& input) {
  PcaInputSpec spec;
  spec.path = input.file;
  spec.format = io::parse_table_format(input.format);
  spec.header = io::parse_header_mode(input.header);
  spec.columns = input.columns;
  spec.label = input.label;
  return spec;
}

void check_pca_outputs(const std::vector<std::string>& paths, bool force) {
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    if (path.empty()) continue;
    if (path != "-" && !seen.insert(std::filesystem::weakly_canonical(path).string()).second)
      throw usage_error(path + " is named by two output options; give each output its own file");
    std::error_code ec;
    if (!force && path != "-" && std::filesystem::exists(path, ec))
      throw runtime_error(fmt::format("{} exists, pass --force to overwrite", path));
  }
}

void check_stdout_outputs(const Invocation& inv, const std::vector<std::string>& paths) {
  const long to_stdout = std::count(paths.begin(), paths.end(), std::string("-"));
  if (to_stdout > 0 && inv.json()) throw usage_error("an output to '-' (stdout) cannot be combined with --json");
  if (to_stdout > 1) throw usage_error("only one output can go to '-' (stdout)");
}

}  // namespace csc
