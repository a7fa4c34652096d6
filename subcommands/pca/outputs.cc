// RowsWriter, the model file and the --plot figure of csc pca.
#include "subcommands/pca/outputs.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/pca/spectrum.h"
#include "src/csc_version.h"
#include "src/error.h"
#include "src/npy.h"
#include "src/plot_svg.h"
#include "subcommands/pca/report.h"

namespace csc {

RowsWriter::RowsWriter(const std::string& path, std::optional<std::size_t> rows, std::vector<std::string> column_names,
                       std::string label_name, bool with_labels, bool float32, bool force)
    : file_(path, force),
      format_(io::output_format_for_path(path)),
      rows_(rows),
      cols_(column_names.size()),
      column_names_(std::move(column_names)),
      label_name_(std::move(label_name)),
      with_labels_(with_labels),
      float32_(float32) {
  if (format_ == io::OutputFormat::npy) {
    if (!rows_)
      throw usage_error(path + ": a .npy output needs the row count before the data, which a CSV input only gives "
                        "at its end; write CSV instead (or convert the input to .npy)");
    const std::uint64_t shape[2] = {*rows_, cols_};
    file_.write(io::encode_npy_header(float32_ ? io::NpyDtype::float32 : io::NpyDtype::float64, shape));
  }
}

template <class T>
void RowsWriter::write_rows(const T* values, std::size_t rows, std::span<const std::string> labels) {
  if (format_ == io::OutputFormat::npy) {
    file_.write(values, rows * cols_ * sizeof(T));
  } else {
    io::MatrixWriteOptions options;
    if (written_ == 0) options.column_names = column_names_;
    if (with_labels_) options.labels = labels;
    options.label_name = label_name_;
    write_matrix_csv(file_, std::span<const T>(values, rows * cols_), rows, cols_,
                     format_ == io::OutputFormat::tsv ? '\t' : ',', options);
  }
  written_ += rows;
}

void RowsWriter::write(const double* values, std::size_t rows, std::span<const std::string> labels) {
  if (float32_) {
    const std::vector<float> narrow(values, values + rows * cols_);
    write_rows(narrow.data(), rows, labels);
  } else {
    write_rows(values, rows, labels);
  }
}

void RowsWriter::write(const float* values, std::size_t rows, std::span<const std::string> labels) {
  if (float32_) {
    write_rows(values, rows, labels);
  } else {
    const std::vector<double> wide(values, values + rows * cols_);
    write_rows(wide.data(), rows, labels);
  }
}

void RowsWriter::commit() {
  if (rows_ && written_ != *rows_) throw std::logic_error("RowsWriter: row count differs from the announced one");
  file_.commit();
}

void write_text_file(const std::string& path, const std::string& text, bool force) {
  io::OutputFile file(path, force);
  file.write(text);
  file.commit();
}

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kModelFormat = "csc-pca-model";
constexpr int kModelVersion = 1;

}  // namespace

void write_model_file(const std::string& path, const SavedPcaModel& saved, bool force) {
  const pca::PcaModel& m = saved.model;
  Json j;
  j["format"] = kModelFormat;
  j["version"] = kModelVersion;
  j["csc"] = CSC_VERSION;
  j["n_samples"] = m.n_samples;
  j["n_features"] = m.n_features;
  j["n_components"] = m.n_components;
  j["columns"] = saved.column_names;
  j["center"] = m.center;
  j["scale"] = saved.scale;
  j["whiten"] = saved.whiten;
  j["dtype"] = saved.dtype;
  j["solver"] = pca::solver_name(m.solver);
  j["mean"] = m.mean;
  j["scale_factors"] = m.scale;
  j["components"] = matrix_json(m.components, m.n_components, m.n_features);
  j["explained_variance"] = m.explained_variance;
  j["explained_variance_ratio"] = m.explained_variance_ratio;
  j["singular_values"] = m.singular_values;
  j["noise_variance"] = m.noise_variance;
  j["total_variance"] = m.total_variance;
  write_text_file(path, j.dump(1) + "\n", force);
}

SavedPcaModel read_model_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw runtime_error(path + ": cannot open the model file");
  Json j;
  try {
    j = Json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw input_error(path, std::string("not JSON (") + e.what() + "); pass a file written by csc pca --model-out");
  }
  auto bad = [&path](const std::string& what) {
    return input_error(path, what + "; pass a file written by csc pca --model-out");
  };
  if (!j.is_object() || j.value("format", "") != kModelFormat) throw bad("not a csc PCA model (format != csc-pca-model)");
  if (j.value("version", 0) != kModelVersion) throw bad("unsupported model version");
  SavedPcaModel saved;
  pca::PcaModel& m = saved.model;
  try {
    m.n_samples = j.at("n_samples").get<std::size_t>();
    m.n_features = j.at("n_features").get<std::size_t>();
    m.n_components = j.at("n_components").get<std::size_t>();
    saved.column_names = j.at("columns").get<std::vector<std::string>>();
    m.center = j.at("center").get<bool>();
    saved.scale = j.at("scale").get<bool>();
    saved.whiten = j.at("whiten").get<bool>();
    saved.dtype = j.at("dtype").get<std::string>();
    m.solver = pca::parse_solver(j.at("solver").get<std::string>());
    m.mean = j.at("mean").get<std::vector<double>>();
    m.scale = j.at("scale_factors").get<std::vector<double>>();
    for (const auto& row : j.at("components")) {
      const auto values = row.get<std::vector<double>>();
      if (values.size() != m.n_features) throw bad("a component's length differs from n_features");
      m.components.insert(m.components.end(), values.begin(), values.end());
    }
    m.explained_variance = j.at("explained_variance").get<std::vector<double>>();
    m.explained_variance_ratio = j.at("explained_variance_ratio").get<std::vector<double>>();
    m.singular_values = j.at("singular_values").get<std::vector<double>>();
    m.noise_variance = j.at("noise_variance").get<double>();
    m.total_variance = j.at("total_variance").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw bad(std::string("missing or mistyped key (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw bad(e.what());
  }
  const std::size_t d = m.n_features, k = m.n_components;
  if (d == 0 || k == 0 || k > d || m.mean.size() != d || m.scale.size() != d || m.components.size() != k * d ||
      m.explained_variance.size() != k || m.explained_variance_ratio.size() != k || m.singular_values.size() != k ||
      saved.column_names.size() != d)
    throw bad("array lengths do not match n_features and n_components");
  if (saved.dtype != "float32" && saved.dtype != "float64") throw bad("dtype must be float32 or float64");
  for (double s : m.scale)
    if (!(s > 0) || !std::isfinite(s)) throw bad("scale_factors must be positive and finite");
  for (const auto* values : {&m.mean, &m.components, &m.explained_variance})
    for (double v : *values)
      if (!std::isfinite(v)) throw bad("non-finite number in the model");
  return saved;
}

std::string render_pca_plot(const pca::PcaModel& model, std::span<const double> pc1, std::span<const double> pc2,
                            std::span<const double> rows, std::span<const std::string> labels, const std::string& title,
                            std::optional<double> variance_target) {
  plot::Figure figure(1, 2);
  figure.size(1100, 460).suptitle(title);
  const std::size_t k = model.n_components;
  std::vector<double> index(k);
  for (std::size_t i = 0; i < k; ++i) index[i] = static_cast<double>(i + 1);
  const std::vector<double> cumulative = pca::cumulative_sum(model.explained_variance_ratio);
  plot::Panel& scree = figure.panel(0, 0);
  scree.title("Scree")
      .x_label("component")
      .y_label("explained variance ratio")
      .y_range(0.0, 1.02)
      .x_range(0.5, static_cast<double>(k) + 0.5)
      .legend(plot::LegendPlace::best)
      .line(index, model.explained_variance_ratio, {.label = "per component", .markers = true})
      .line(index, cumulative, {.label = "cumulative", .dash = plot::Dash::dashed, .markers = true});
  if (variance_target)
    scree.hline(*variance_target, {.label = fmt::format("target {:g}", *variance_target)});

  plot::Panel& scatter = figure.panel(0, 1);
  std::vector<double> x(pc1.begin(), pc1.end()), y(pc2.begin(), pc2.end());
  if (pc2.empty()) {  // one component: scores against the row number
    y.assign(pc1.begin(), pc1.end());
    x.assign(rows.begin(), rows.end());
    scatter.title("Scores").x_label("row").y_label("PC1");
  } else {
    scatter.title("Scores")
        .x_label(fmt::format("PC1 ({:.1f} %)", 100 * model.explained_variance_ratio[0]))
        .y_label(fmt::format("PC2 ({:.1f} %)", 100 * model.explained_variance_ratio[1]));
  }
  const plot::ScatterStyle style{.radius = 2.0, .opacity = 0.6};
  if (labels.empty())
    scatter.scatter(x, y, style);
  else
    scatter.scatter_by_category(x, y, labels, style).legend(plot::LegendPlace::outside_right);
  return figure.render();
}

}  // namespace csc
