// JSON and text for iobench results. IOPS = ios / runtime and bw = bytes / runtime / 2^20 share one
// runtime, so IOPS × bs = bandwidth holds exactly.
#include "subcommands/iobench/report.h"

#include <cmath>

#include <fmt/format.h>

#include "kernels/io/engine.h"
#include "kernels/io/job_findings.h"
#include "kernels/io/units.h"

namespace csc {

namespace {

Json direction_json(const io::DirectionStats& d, double runtime_s) {
  return {{"bytes", d.bytes},
          {"ios", d.ios},
          {"bw_mib_s", runtime_s > 0 ? static_cast<double>(d.bytes) / runtime_s / 1048576.0 : 0.0},
          {"iops", runtime_s > 0 ? static_cast<double>(d.ios) / runtime_s : 0.0},
          {"lat_us", latency_json(d.lat)}};
}

Json nullable(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

unsigned effective_depth(const io::JobResult& r) {
  const io::EngineOps* engine = io::find_engine(r.engine);
  return engine && (engine->capabilities & io::kCapAsync) ? r.spec.iodepth : 1;
}

std::string si(double v) {
  if (v >= 1e6) return fmt::format("{:.2f}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:.1f}k", v / 1e3);
  return fmt::format("{:.0f}", v);
}

std::string micros(double ns) {
  const double us = ns / 1000.0;
  return us >= 100 ? fmt::format("{:.0f}", us) : fmt::format("{:.1f}", us);
}

}  // namespace

Json latency_json(const io::LatencyHistogram& h) {
  if (h.count() == 0) return nullptr;
  const auto us = [](double ns) { return ns / 1000.0; };
  return {{"count", h.count()},
          {"min", us(static_cast<double>(h.min_ns()))},
          {"mean", us(h.mean_ns())},
          {"stddev", us(h.stddev_ns())},
          {"p50", us(h.percentile_ns(50))},
          {"p90", us(h.percentile_ns(90))},
          {"p99", us(h.percentile_ns(99))},
          {"p999", us(h.percentile_ns(99.9))},
          {"p9999", us(h.percentile_ns(99.99))},
          {"max", us(static_cast<double>(h.max_ns()))}};
}

Json spec_json(const io::JobSpec& s) {
  return {{"name", s.name},
          {"mode", io::mode_name(s.mode)},
          {"mix", s.read_percent},
          {"bs", s.block_size},
          {"size", s.size},
          {"iodepth", s.iodepth},
          {"jobs", s.threads},
          {"runtime_s", s.runtime_s > 0 ? Json(s.runtime_s) : Json(nullptr)},
          {"time_based", s.time_based},
          {"ramp_s", s.ramp_s},
          {"direct", s.direct},
          {"fsync", s.fsync_every},
          {"fdatasync", s.fdatasync_every},
          {"end_fsync", s.end_fsync},
          {"cache", s.cache == io::CacheState::cold ? "cold" : "warm"},
          {"engine", s.engine},
          {"sqpoll", s.sqpoll},
          {"fixed_buffers", s.fixed_buffers},
          {"registered_files", s.registered_files},
          {"verify", s.verify ? Json(io::checksum_name(*s.verify)) : Json(nullptr)},
          {"seed", s.seed},
          {"log_interval_s", s.log_interval_s}};
}

double job_iops(const io::JobResult& r) { return r.elapsed_s > 0 ? static_cast<double>(r.ios()) / r.elapsed_s : 0.0; }

double job_bw_mib_s(const io::JobResult& r) {
  return r.elapsed_s > 0 ? static_cast<double>(r.bytes()) / r.elapsed_s / 1048576.0 : 0.0;
}

Json job_json(const io::JobResult& r, const io::FilesystemInfo& fs) {
  const io::JobSpec& s = r.spec;
  const io::DirectionStats all = r.total();
  Json j;
  j["name"] = s.name;
  j["mode"] = io::mode_name(s.mode);
  j["engine"] = r.engine;
  j["engine_requested"] = s.engine;
  j["engine_fallback"] = nullable(r.engine_fallback);
  j["engine_features"] = {{"fixed_buffers", r.features.fixed_buffers},
                          {"registered_files", r.features.registered_files},
                          {"sqpoll", r.features.sqpoll},
                          {"note", nullable(r.features.note)}};
  j["direct"] = r.direct;
  j["direct_requested"] = s.direct;
  j["direct_fallback"] = nullable(r.direct_fallback);
  j["bs"] = s.block_size;
  j["size"] = s.size;
  j["iodepth"] = s.iodepth;
  j["iodepth_effective"] = effective_depth(r);
  j["jobs"] = s.threads;
  j["cache"] = s.cache == io::CacheState::cold ? "cold" : "warm";
  j["resident_before_pct"] = r.resident_before >= 0 ? Json(100.0 * r.resident_before) : Json(nullptr);
  j["file"] = r.file;
  j["layout_s"] = r.layout_s;
  j["runtime_s"] = r.elapsed_s;
  j["bytes"] = r.bytes();
  j["ios"] = r.ios();
  j["bw_mib_s"] = job_bw_mib_s(r);
  j["iops"] = job_iops(r);
  j["lat_us"] = latency_json(all.lat);
  j["clat_us"] = latency_json(all.clat);
  j["slat_us"] = latency_json(all.slat);
  if (io::mode_reads(s.mode)) j["read"] = direction_json(r.read, r.elapsed_s);
  if (io::mode_writes(s.mode)) j["write"] = direction_json(r.write, r.elapsed_s);
  j["sync"] = r.syncs ? Json{{"count", r.syncs}, {"lat_us", latency_json(r.sync_lat)}} : Json(nullptr);
  const double runtime = r.elapsed_s > 0 ? r.elapsed_s : 1.0;
  j["cpu"] = {{"user_s", r.cpu.user_s},
              {"system_s", r.cpu.system_s},
              {"user_pct", 100.0 * r.cpu.user_s / runtime},
              {"system_pct", 100.0 * r.cpu.system_s / runtime},
              {"voluntary_ctx_switches", r.cpu.voluntary_switches},
              {"involuntary_ctx_switches", r.cpu.involuntary_switches},
              {"major_faults", r.cpu.major_faults},
              {"minor_faults", r.cpu.minor_faults}};
  j["device_counters"] = r.device.available;
  j["device_read_bytes"] = r.device.available ? Json(r.device.read_bytes) : Json(nullptr);
  j["device_write_bytes"] = r.device.available ? Json(r.device.write_bytes) : Json(nullptr);
  j["served_from"] = io::served_from(r, fs);
  if (r.verify)
    j["verify"] = {{"algorithm", io::checksum_name(*s.verify)},
                   {"blocks_checked", r.verify->blocks_checked},
                   {"mismatches", r.verify->mismatches},
                   {"first_bad_offset", r.verify->mismatches ? Json(r.verify->first_bad_offset) : Json(nullptr)}};
  else
    j["verify"] = nullptr;
  return j;
}

Json findings_json(const std::vector<io::Finding>& findings) {
  Json out = Json::array();
  for (const auto& f : findings) out.push_back({{"id", f.id}, {"text", f.text}});
  return out;
}

std::string jobs_table(const std::vector<io::JobResult>& results, const io::FilesystemInfo& fs) {
  TextTable table({"job", "mode", "engine", "bs", "depth", "threads", "IOPS", "MiB/s", "p50 µs", "p99 µs", "p99.9 µs",
                   "served from"});
  for (const auto& r : results) {
    const io::DirectionStats all = r.total();
    std::string engine = r.engine + (r.engine_fallback.empty() ? "" : " (fallback)");
    if (r.direct) engine += ", direct";
    table.add_row({r.spec.name, io::mode_name(r.spec.mode), engine, io::format_bytes(static_cast<double>(r.spec.block_size)),
                   std::to_string(effective_depth(r)), std::to_string(r.spec.threads), si(job_iops(r)),
                   fmt::format("{:.1f}", job_bw_mib_s(r)), micros(all.lat.percentile_ns(50)),
                   micros(all.lat.percentile_ns(99)), micros(all.lat.percentile_ns(99.9)), io::served_from(r, fs)});
  }
  return table.render();
}

std::string job_details(const io::JobResult& r) {
  const io::DirectionStats all = r.total();
  const double runtime = r.elapsed_s > 0 ? r.elapsed_s : 1.0;
  std::string out = fmt::format("{}: {} in {:.3g} s ({} requests); latency µs min {} mean {} stddev {} max {}\n",
                                r.spec.name, io::format_bytes(static_cast<double>(r.bytes())), r.elapsed_s, r.ios(),
                                micros(static_cast<double>(all.lat.min_ns())), micros(all.lat.mean_ns()),
                                micros(all.lat.stddev_ns()), micros(static_cast<double>(all.lat.max_ns())));
  if (r.read.ios && r.write.ios)
    out += fmt::format("  read {} IOPS {:.1f} MiB/s, write {} IOPS {:.1f} MiB/s\n", si(r.read.ios / runtime),
                       r.read.bytes / runtime / 1048576.0, si(r.write.ios / runtime), r.write.bytes / runtime / 1048576.0);
  out += fmt::format("  cpu user {:.1f}% sys {:.1f}%, context switches {} voluntary {} involuntary, major faults {}\n",
                     100 * r.cpu.user_s / runtime, 100 * r.cpu.system_s / runtime, r.cpu.voluntary_switches,
                     r.cpu.involuntary_switches, r.cpu.major_faults);
  if (r.device.available)
    out += fmt::format("  device (/proc/self/io): read {}, written {}; file resident in the page cache before: {}\n",
                       io::format_bytes(static_cast<double>(r.device.read_bytes)),
                       io::format_bytes(static_cast<double>(r.device.write_bytes)),
                       r.resident_before >= 0 ? fmt::format("{:.0f}%", 100 * r.resident_before) : "unknown");
  if (r.syncs)
    out += fmt::format("  {} syncs, latency µs p50 {} p99 {}\n", r.syncs, micros(r.sync_lat.percentile_ns(50)),
                       micros(r.sync_lat.percentile_ns(99)));
  if (!r.features.note.empty()) out += "  io_uring: " + r.features.note + "\n";
  if (r.verify)
    out += fmt::format("  verify {}: {} blocks checked, {} mismatches\n", io::checksum_name(*r.spec.verify),
                       r.verify->blocks_checked, r.verify->mismatches);
  return out;
}

std::string findings_text(const std::vector<io::Finding>& findings) {
  if (findings.empty()) return "";
  std::string out = "findings:\n";
  for (const auto& f : findings) out += "  - " + f.text + "\n";
  return out;
}

std::string storage_text(const io::FilesystemInfo& fs, const io::BlockDeviceInfo& device) {
  std::string out = fs.type;
  if (device.present) {
    out += " on " + (device.partition.empty() ? device.name : device.partition);
    std::string notes = device.virtual_disk ? device.virtual_reason : "";
    if (!device.scheduler.empty()) notes += (notes.empty() ? "" : ", ") + device.scheduler;
    if (!notes.empty()) out += " (" + notes + ")";
  }
  return out;
}

}  // namespace csc
