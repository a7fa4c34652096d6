// csc info: what this build and this machine offer, the first thing to run inside a container.
#include <omp.h>

#include <fmt/format.h>

#include "kernels/backend.h"
#include "kernels/platform/machine.h"
#include "kernels/platform/uring_probe.h"
#include "kernels/simd/targets.h"
#include "src/csc_version.h"
#include "src/error.h"
#include "src/invocation.h"

namespace csc {

void setup_info(CLI::App& app) {
  app.footer("Prints SIMD targets, threads, CPU caches, memory, CUDA devices and io_uring usability.");
}

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

std::string mib(std::uint64_t bytes) { return fmt::format("{:.0f} MiB", bytes / 1048576.0); }

std::string size_text(std::size_t bytes) {
  return bytes >= (1u << 20) && bytes % (1u << 20) == 0 ? fmt::format("{} MiB", bytes >> 20)
                                                         : fmt::format("{} KiB", bytes >> 10);
}

Json cuda_json(const CudaStatus& cuda) {
  Json devices = Json::array();
  for (const auto& d : cuda.devices)
    devices.push_back({{"index", d.index},
                       {"name", d.name},
                       {"memory_bytes", d.memory_bytes},
                       {"compute_capability", fmt::format("{}.{}", d.compute_major, d.compute_minor)},
                       {"multiprocessors", d.multiprocessors}});
  Json out = {{"compiled", cuda.compiled}, {"runtime_version", cuda.runtime_version},
              {"driver_version", cuda.driver_version}, {"devices", devices}};
  out["reason"] = cuda.reason.empty() ? Json(nullptr) : Json(cuda.reason);
  return out;
}

std::string text_summary(const Json& r) {
  TextTable table({"item", "value"});
  table.add_row({"csc", r["version"].get<std::string>()});
  table.add_row({"SIMD target (chosen)", r["simd"]["target"].get<std::string>()});
  table.add_row({"SIMD targets (supported)", join(r["simd"]["supported_targets"].get<std::vector<std::string>>())});
  table.add_row({"SIMD targets (compiled)", join(r["simd"]["compiled_targets"].get<std::vector<std::string>>())});
  table.add_row({"threads", std::to_string(r["threads"].get<int>())});
  table.add_row({"CPU", r["cpu"]["model"].get<std::string>()});
  table.add_row({"logical CPUs (usable)", fmt::format("{} ({})", r["cpu"]["logical_cpus"].get<int>(),
                                                      r["cpu"]["usable_cpus"].get<int>())});
  for (const auto& cache : r["cpu"]["caches"])
    table.add_row({fmt::format("L{} {} cache", cache["level"].get<int>(), cache["type"].get<std::string>()),
                   size_text(cache["size_bytes"].get<std::size_t>())});
  table.add_row({"memory (available)", fmt::format("{} ({})", mib(r["memory"]["total_bytes"].get<std::uint64_t>()),
                                                   mib(r["memory"]["available_bytes"].get<std::uint64_t>()))});
  table.add_row({"page size", fmt::format("{} bytes", r["memory"]["page_size_bytes"].get<std::size_t>())});
  const Json& cuda = r["cuda"];
  std::string cuda_text = cuda["compiled"].get<bool>() ? "compiled in" : "";
  for (const auto& d : cuda["devices"])
    cuda_text += fmt::format("; #{} {} ({}, cc {})", d["index"].get<int>(), d["name"].get<std::string>(),
                             mib(d["memory_bytes"].get<std::uint64_t>()), d["compute_capability"].get<std::string>());
  if (!cuda["reason"].is_null())
    cuda_text += (cuda_text.empty() ? "" : "; no device: ") + cuda["reason"].get<std::string>();
  table.add_row({"CUDA", cuda_text});
  const Json& uring = r["io_uring"];
  table.add_row({"io_uring", uring["usable"].get<bool>() ? "usable" : "refused: " + uring["reason"].get<std::string>()});
  table.add_row({"kernel", r["kernel"].get<std::string>()});
  return table.render();
}

}  // namespace

void run_info(Invocation& inv) {
  if (!inv.options().plot.empty()) throw usage_error("--plot: info has nothing to plot");
  const platform::Machine machine = platform::describe_machine();
  const platform::UringProbe uring = platform::probe_io_uring();

  Json caches = Json::array();
  for (const auto& c : machine.caches)
    caches.push_back({{"level", c.level}, {"type", c.type}, {"size_bytes", c.size_bytes},
                      {"line_bytes", c.line_bytes}, {"shared_by_cpus", c.shared_by_cpus}});

  Json& result = inv.report().result;
  result["version"] = CSC_VERSION;
  result["simd"] = {{"target", simd::chosen_target()},
                    {"supported_targets", simd::supported_targets()},
                    {"compiled_targets", simd::compiled_targets()}};
  result["threads"] = inv.threads();
  result["openmp"] = {{"version", _OPENMP}, {"max_threads", omp_get_max_threads()}, {"num_procs", omp_get_num_procs()}};
  result["cpu"] = {{"model", machine.cpu_model},
                   {"logical_cpus", machine.logical_cpus},
                   {"usable_cpus", machine.usable_cpus},
                   {"cgroup_cpu_limit", machine.cgroup_cpu_limit},
                   {"caches", caches}};
  result["memory"] = {{"total_bytes", machine.memory_total_bytes},
                      {"available_bytes", machine.memory_available_bytes},
                      {"page_size_bytes", machine.page_size}};
  result["cuda"] = cuda_json(cuda_status());
  result["io_uring"] = {{"usable", uring.usable}};
  result["io_uring"]["reason"] = uring.usable ? Json(nullptr) : Json(uring.reason);
  result["kernel"] = machine.kernel_release;
  inv.report().text = text_summary(result);
}

}  // namespace csc
