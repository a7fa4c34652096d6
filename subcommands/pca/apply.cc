// csc pca apply: project new rows with a model saved by `csc pca --model-out`, in one streaming pass.
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "kernels/pca/embedded_digits.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/invocation.h"
#include "src/numeric_table.h"
#include "src/progress.h"
#include "subcommands/pca/input.h"
#include "subcommands/pca/options.h"
#include "subcommands/pca/outputs.h"
#include "subcommands/pca/pass.h"
#include "subcommands/pca/report.h"

namespace csc {

PcaInputSpec pca_input_spec(const PcaInputOptions& input);
void check_pca_outputs(const std::vector<std::string>& paths, bool force);
void check_stdout_outputs(const Invocation& inv, const std::vector<std::string>& paths);

namespace {

constexpr std::size_t kBlockRows = 65536;

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

template <class T>
PassSummary project(Invocation& inv, io::NumericBlockReader& reader, const SavedPcaModel& saved,
                    const PcaRowOutputs& outputs, bool want_plot) {
  const std::size_t d = reader.cols();
  TransformPass<T> pass(saved.model, saved.whiten, outputs, reader.total_rows(), reader.column_names(),
                        reader.label_name(), reader.has_labels(), want_plot);
  io::NumericValues block;
  std::vector<T> typed;
  std::vector<std::string> labels;
  Progress progress("pca apply", reader.total_rows().value_or(0), inv.show_progress());
  while (const std::size_t n = reader.next_block(kBlockRows, block, reader.has_labels() ? &labels : nullptr)) {
    throw_if_interrupted();
    typed.assign(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(n * d));
    pass.add(typed.data(), n, false,
             reader.has_labels() ? std::span<const std::string>(labels) : std::span<const std::string>());
    progress.advance(n);
  }
  if (saved.whiten && pass.projector().whitening_clipped())
    inv.warn("the model whitens; a component has zero variance and its whitened scores are set to 0");
  return pass.finish();
}

}  // namespace

void run_pca_apply(Invocation& inv, const PcaApplyOptions& o) {
  check_pca_outputs({o.rows.scores_out, o.rows.reconstruct_out, o.rows.errors_out}, o.rows.force);
  check_stdout_outputs(inv, {o.rows.scores_out, o.rows.reconstruct_out, o.rows.errors_out});
  const std::string& plot = inv.options().plot;
  if (!plot.empty()) check_pca_outputs({plot}, o.rows.force);
  const SavedPcaModel saved = read_model_file(o.model_in);
  if (inv.device() == Device::cuda) {
    if (inv.options().device == "cuda")
      inv.warn("--device cuda: pca apply runs on the CPU (one streaming pass, bound by reading the data)");
    inv.ran_on(Device::cpu);
  }

  PcaInputOptions input = o.input;
  if (input.columns.empty()) input.columns = join_names(saved.column_names);  // the columns the model was fitted on
  const PcaInputSpec spec = pca_input_spec(input);
  std::unique_ptr<io::NumericBlockReader> reader;
  std::istringstream embedded;
  if (spec.embedded()) {
    embedded.str(std::string(pca::embedded_digits_csv()));
    reader = std::make_unique<io::NumericBlockReader>(embedded, "digits.csv", spec.table_options());
  } else {
    reader = std::make_unique<io::NumericBlockReader>(spec.path, spec.table_options());
  }
  if (reader->cols() != saved.model.n_features)
    throw input_error(spec.display(), fmt::format("{} columns selected, the model was fitted on {}; select the same "
                                                  "columns (--columns)",
                                                  reader->cols(), saved.model.n_features));
  PassSummary summary;
  {
    auto compute = inv.phase("compute");
    summary = saved.dtype == "float32" ? project<float>(inv, *reader, saved, o.rows, !plot.empty())
                                       : project<double>(inv, *reader, saved, o.rows, !plot.empty());
  }
  if (summary.rows == 0) throw input_error(spec.display(), "no data rows; pass a file with at least one row");
  if (!plot.empty())
    write_text_file(plot,
                    render_pca_plot(saved.model, summary.pc1, summary.pc2, summary.plot_rows, summary.plot_labels,
                                    fmt::format("csc pca apply: {} ({} rows)", spec.display(), summary.rows),
                                    std::nullopt),
                    o.rows.force);

  auto text_or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  Report& report = inv.report();
  report.input = {{"file", spec.display()},
                  {"model", o.model_in},
                  {"format", std::string(io::table_format_name(reader->format()))},
                  {"rows", summary.rows},
                  {"columns", reader->cols()},
                  {"column_names", reader->column_names()},
                  {"label", reader->has_labels() ? Json(reader->label_name()) : Json(nullptr)}};
  report.params = {{"model_in", o.model_in},
                   {"columns", input.columns},
                   {"label", text_or_null(o.input.label)},
                   {"format", o.input.format},
                   {"header", o.input.header},
                   {"whiten", saved.whiten},
                   {"dtype", saved.dtype},
                   {"scores_out", text_or_null(o.rows.scores_out)},
                   {"reconstruct_out", text_or_null(o.rows.reconstruct_out)},
                   {"errors_out", text_or_null(o.rows.errors_out)},
                   {"plot", text_or_null(plot)},
                   {"force", o.rows.force}};
  report.result = pca_apply_result(saved.model, summary, saved.model.n_features);
  report.text = pca_apply_text(report.input, report.result);
}

}  // namespace csc
