// csc iobench diagnose PATH: the facts of the I/O stack under PATH as JSON and as a table, with findings.
#include <fmt/format.h>

#include "kernels/io/diagnose.h"
#include "kernels/io/io_error.h"
#include "kernels/io/units.h"
#include "src/error.h"
#include "subcommands/iobench/report.h"
#include "subcommands/iobench/verbs.h"

namespace csc {

namespace {

Json long_or_null(long v) { return v >= 0 ? Json(v) : Json(nullptr); }

Json diagnosis_json(const io::Diagnosis& d) {
  const io::FilesystemInfo& fs = d.filesystem;
  Json j;
  j["path"] = d.path;
  j["is_file"] = d.is_file;
  j["filesystem"] = {{"type", fs.type},
                     {"magic", fs.magic},
                     {"block_size", fs.block_size},
                     {"total_bytes", fs.total_bytes},
                     {"available_bytes", fs.available_bytes},
                     {"mount_point", fs.mount_point},
                     {"mount_source", fs.mount_source},
                     {"mount_options", fs.mount_options},
                     {"dio_align", fs.dio.known ? Json{{"memory", fs.dio.memory}, {"offset", fs.dio.offset}} : Json(nullptr)}};
  const io::BlockDeviceInfo& dev = d.device;
  if (dev.present)
    j["device"] = {{"id", dev.id},
                   {"name", dev.name},
                   {"partition", dev.partition.empty() ? Json(nullptr) : Json(dev.partition)},
                   {"model", dev.model},
                   {"vendor", dev.vendor},
                   {"size_bytes", dev.size_bytes},
                   {"scheduler", dev.scheduler},
                   {"schedulers", dev.schedulers},
                   {"read_ahead_kb", long_or_null(dev.read_ahead_kb)},
                   {"max_sectors_kb", long_or_null(dev.max_sectors_kb)},
                   {"logical_block_size", long_or_null(dev.logical_block_size)},
                   {"physical_block_size", long_or_null(dev.physical_block_size)},
                   {"nr_requests", long_or_null(dev.nr_requests)},
                   {"rotational", dev.rotational >= 0 ? Json(dev.rotational == 1) : Json(nullptr)},
                   {"rotational_reliable", !dev.virtual_disk},
                   {"virtual", dev.virtual_disk},
                   {"virtual_reason", dev.virtual_reason.empty() ? Json(nullptr) : Json(dev.virtual_reason)}};
  else
    j["device"] = nullptr;
  j["memory"] = {{"total_bytes", d.memory.total_bytes},
                 {"available_bytes", d.memory.available_bytes},
                 {"dirty_bytes", d.memory.dirty_bytes},
                 {"writeback_bytes", d.memory.writeback_bytes}};
  j["io_pressure"] = d.pressure.available ? Json{{"some_avg10", d.pressure.some_avg10},
                                                  {"some_avg60", d.pressure.some_avg60},
                                                  {"full_avg10", d.pressure.full_avg10},
                                                  {"full_avg60", d.pressure.full_avg60}}
                                          : Json(nullptr);
  j["page_cache"] = d.residency.applicable
                        ? Json{{"size_bytes", d.residency.size_bytes},
                               {"resident_pct", d.residency.fraction >= 0 ? Json(100 * d.residency.fraction) : Json(nullptr)}}
                        : Json(nullptr);
  j["direct_io"] = {{"tested", d.direct_io.tested},
                    {"supported", d.direct_io.tested ? Json(d.direct_io.supported) : Json(nullptr)},
                    {"reason", d.direct_io.reason.empty() ? Json(nullptr) : Json(d.direct_io.reason)},
                    {"dio_align", d.direct_io.alignment.known ? Json{{"memory", d.direct_io.alignment.memory},
                                                                     {"offset", d.direct_io.alignment.offset}}
                                                              : Json(nullptr)}};
  j["io_uring"] = {{"usable", d.uring_usable}, {"reason", d.uring_reason.empty() ? Json(nullptr) : Json(d.uring_reason)}};
  j["findings"] = findings_json(d.findings);
  return j;
}

std::string diagnosis_text(const io::Diagnosis& d) {
  const io::FilesystemInfo& fs = d.filesystem;
  const io::BlockDeviceInfo& dev = d.device;
  TextTable t({"item", "value"});
  t.add_row({"path", d.path + (d.is_file ? " (file)" : "")});
  t.add_row({"filesystem", fmt::format("{} on {} (mounted at {}, {})", fs.type, fs.mount_source, fs.mount_point, fs.mount_options)});
  t.add_row({"space", fmt::format("{} free of {}, block size {}", io::format_bytes(static_cast<double>(fs.available_bytes)),
                                  io::format_bytes(static_cast<double>(fs.total_bytes)), fs.block_size)});
  const io::DirectIoProbe& dio = d.direct_io;
  std::string direct = !dio.tested ? "untested: " + dio.reason : dio.supported ? "opens" : "refused: " + dio.reason;
  if (dio.alignment.known)
    direct += fmt::format("; alignment: offset {} B, memory {} B (statx)", dio.alignment.offset, dio.alignment.memory);
  else if (dio.tested)
    direct += "; alignment not reported (statx STATX_DIOALIGN)";
  t.add_row({"O_DIRECT", direct});
  if (dev.present) {
    t.add_row({"device", fmt::format("{}{} {} {}", dev.name, dev.partition.empty() ? "" : " (partition " + dev.partition + ")",
                                     dev.model, io::format_bytes(static_cast<double>(dev.size_bytes)))});
    t.add_row({"scheduler", dev.scheduler.empty() ? "?" : dev.scheduler});
    t.add_row({"read_ahead_kb / max_sectors_kb", fmt::format("{} / {}", dev.read_ahead_kb, dev.max_sectors_kb)});
    t.add_row({"block size logical / physical", fmt::format("{} / {}", dev.logical_block_size, dev.physical_block_size)});
    t.add_row({"rotational", fmt::format("{}{}", dev.rotational, dev.virtual_disk ? " (unreliable: " + dev.virtual_reason + ")" : "")});
  } else {
    t.add_row({"device", "none (no block device behind this filesystem)"});
  }
  t.add_row({"dirty / writeback", fmt::format("{} / {}", io::format_bytes(static_cast<double>(d.memory.dirty_bytes)),
                                              io::format_bytes(static_cast<double>(d.memory.writeback_bytes)))});
  t.add_row({"I/O pressure (some avg10/avg60)", d.pressure.available ? fmt::format("{:.2f}% / {:.2f}%", d.pressure.some_avg10,
                                                                                  d.pressure.some_avg60)
                                                                    : "unavailable (no PSI)"});
  if (d.residency.applicable)
    t.add_row({"page cache", d.residency.fraction >= 0 ? fmt::format("{:.1f}% of {} resident", 100 * d.residency.fraction,
                                                                     io::format_bytes(static_cast<double>(d.residency.size_bytes)))
                                                       : "unknown (mincore failed)"});
  t.add_row({"io_uring", d.uring_usable ? "usable" : "refused: " + d.uring_reason});
  return t.render() + findings_text(d.findings);
}

}  // namespace

void iobench_diagnose(Invocation& inv, const std::string& path) {
  if (!inv.options().plot.empty()) throw usage_error("--plot: diagnose has nothing to plot");
  io::Diagnosis d;
  try {
    d = io::diagnose(path, simulate_uring_refusal(), simulate_direct_refusal());
  } catch (const io::IoError& e) {
    throw input_error("", e.what());
  }
  inv.report().input = {{"path", path}};
  inv.report().params = {{"path", path}};
  inv.report().result = diagnosis_json(d);
  inv.report().text = diagnosis_text(d);
}

}  // namespace csc
