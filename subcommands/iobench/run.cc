// csc iobench run and compare: build the jobs, check the directory and free space, create (or open)
// each job's file, lay it out, run it with Ctrl-C polling, and report through the one printer.
#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "kernels/io/dio_alignment.h"
#include "kernels/io/io_error.h"
#include "kernels/io/job_findings.h"
#include "kernels/io/test_file.h"
#include "kernels/io/units.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/output_file.h"
#include "subcommands/iobench/log.h"
#include "subcommands/iobench/plot.h"
#include "subcommands/iobench/report.h"
#include "subcommands/iobench/verbs.h"

namespace csc {

namespace {

const io::RunHooks kHooks{[] { return interrupted(); }};

// Where the jobs run: the directory (or the user's file) and what it sits on.
struct Target {
  std::string dir;
  std::optional<io::TestFile> existing;  // --file
  io::FilesystemInfo fs;
  io::BlockDeviceInfo device;
};

bool is_directory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Target open_target(const RunOptions& o) {
  Target t;
  if (!o.file.empty()) {
    if (!o.dir.empty()) throw usage_error("--file and --dir exclude each other: --file reads an existing file in place");
    if (o.keep) throw usage_error("--keep applies to files csc creates, not to --file");
    try {
      t.existing.emplace(io::TestFile::open_existing(o.file));
    } catch (const io::IoError& e) {
      throw input_error("", e.what() + std::string(" (--file needs an existing regular file)"));
    }
    if (t.existing->size() == 0) throw input_error(o.file, "the file is empty: nothing to read");
    t.fs = io::filesystem_info(o.file);
  } else {
    t.dir = o.dir.empty() ? default_dir() : o.dir;
    if (!is_directory(t.dir)) throw usage_error("--dir " + t.dir + " is not an existing directory");
    t.fs = io::filesystem_info(t.dir);
  }
  t.device = io::block_device_info(t.fs.device_major, t.fs.device_minor);
  return t;
}

void check_jobs_fit(const std::vector<io::JobSpec>& specs, const Target& t, bool keep) {
  std::uint64_t need = 0;
  for (const auto& s : specs) {
    if (t.existing) {
      if (s.size > t.existing->size())
        throw usage_error(fmt::format("job {}: --size {} is larger than {} ({})", s.name, s.size,
                                      t.existing->path(), t.existing->size()));
    }
    need = keep ? need + s.size : std::max(need, s.size);
  }
  if (t.existing) return;
  const std::uint64_t free = io::free_bytes(t.dir);
  if (free < need + need / 100)
    throw runtime_error(fmt::format("not enough free space in {}: the test file needs {}, {} are free; use a smaller "
                                    "--size or another --dir",
                                    t.dir, io::format_bytes(static_cast<double>(need)),
                                    io::format_bytes(static_cast<double>(free))));
}

void warn_about(const io::JobSpec& s, Invocation& inv) {
  const io::EngineOps* engine = io::find_engine(s.engine);
  if (s.iodepth > 1 && !(engine->capabilities & io::kCapAsync))
    inv.warn(fmt::format("job {}: --iodepth {} has no effect with {}, which completes one request at a time "
                         "(use --engine io_uring)", s.name, s.iodepth, s.engine));
  if (s.direct && s.cache == io::CacheState::warm)
    inv.warn("job " + s.name + ": --cache warm has no effect with --direct (O_DIRECT bypasses the page cache)");
  if (!io::mode_writes(s.mode) && (s.fsync_every || s.fdatasync_every || s.end_fsync))
    inv.warn("job " + s.name + ": --fsync/--fdatasync/--end-fsync have no effect on a read job");
  if (s.sqpoll && s.engine != "io_uring") inv.warn("job " + s.name + ": --sqpoll applies to io_uring only");
  if (s.mode != io::Mode::randrw && s.read_percent != 50) inv.warn("job " + s.name + ": --mix applies to randrw only");
}

// Runs one job on `file`, turning the kernel's exceptions into csc errors and honouring Ctrl-C.
io::JobResult run_one(const io::JobSpec& spec, io::TestFile& file, Invocation& inv, double layout_s) {
  if (spec.direct) {
    const io::DioAlignment align = io::direct_io_alignment(file.fd());
    if (align.known && align.offset && spec.block_size % align.offset)
      throw usage_error(fmt::format("job {}: --bs {} is not a multiple of {}, the O_DIRECT alignment of this file "
                                    "(statx dio_offset_align)", spec.name, spec.block_size, align.offset));
  }
  io::JobResult result;
  try {
    auto phase = inv.phase("run");
    result = io::run_job(spec, file, kHooks);
  } catch (const io::IoError& e) {
    throw runtime_error("job " + spec.name + ": " + e.what());
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }
  throw_if_interrupted();
  result.layout_s = layout_s;
  result.file = file.named() ? file.path() : "";
  if (result.verify && result.verify->mismatches)
    throw runtime_error(fmt::format("job {}: --verify {} found {} bad block(s) of {}; the first at offset {} "
                                    "(block {}): {}",
                                    spec.name, io::checksum_name(*spec.verify), result.verify->mismatches,
                                    result.verify->blocks_checked, result.verify->first_bad_offset,
                                    result.verify->first_bad_offset / spec.block_size, result.verify->first_problem));
  return result;
}

double prepare(io::TestFile& file, const io::JobSpec& spec, Invocation& inv) {
  double seconds = 0;
  try {
    auto phase = inv.phase("layout");
    seconds = io::prepare_file(file, spec, kHooks);
  } catch (const io::IoError& e) {
    throw runtime_error("job " + spec.name + ": " + e.what());
  }
  throw_if_interrupted();
  return seconds;
}

// Findings about the storage itself that matter for any job on it, then each job's own.
std::vector<io::Finding> findings_for(const std::vector<io::JobResult>& results, const Target& t) {
  io::Diagnosis d;
  d.filesystem = t.fs;
  d.device = t.device;
  d.uring_usable = true;
  std::vector<io::Finding> out;
  for (const auto& f : io::diagnosis_findings(d))
    if (f.id == "tmpfs_direct" || f.id == "overlay" || f.id == "remote_fs" || f.id == "virtual_rotational" ||
        f.id == "virtual_disk")
      out.push_back(f);
  for (const auto& r : results)
    for (auto& f : io::job_findings(r, t.fs, t.device))
      if (f.id != "tmpfs_direct" || std::none_of(out.begin(), out.end(), [](const io::Finding& g) { return g.id == "tmpfs_direct"; }))
        out.push_back(std::move(f));
  return out;
}

void fill_input(Invocation& inv, const Target& t) {
  inv.report().input = {{"dir", t.existing ? Json(nullptr) : Json(t.dir)},
                        {"file", t.existing ? Json(t.existing->path()) : Json(nullptr)},
                        {"filesystem", t.fs.type},
                        {"mount_point", t.fs.mount_point},
                        {"device", t.device.present ? Json(t.device.name) : Json(nullptr)}};
}

// --log-out and --plot files are claimed before any work, so an existing file without --force fails fast.
struct Outputs {
  std::optional<io::OutputFile> log, plot;
  Outputs(const RunOptions& o, const std::string& plot_path, bool json) {
    if (json && (o.log_out == "-" || plot_path == "-"))
      throw usage_error("--log-out - and --plot - write to stdout, which --json keeps for its one document");
    if (!o.log_out.empty()) log.emplace(o.log_out, o.force);
    if (!plot_path.empty()) plot.emplace(plot_path, o.force);
  }
  void write(const std::vector<io::JobResult>& results, const std::string& title) {
    if (log) {
      log->write(iobench_log_csv(results));
      log->commit();
    }
    if (plot) {
      plot->write(iobench_plot_svg(results, title));
      plot->commit();
    }
  }
};

double log_interval(const RunOptions& o) {
  const auto seconds = io::parse_duration(o.log_interval);
  if (!seconds || *seconds < 0.01) throw usage_error("--log-interval " + o.log_interval + ": use a duration of at least 10ms");
  return *seconds;
}

}  // namespace

void iobench_run(Invocation& inv, const RunOptions& o) {
  const double interval = log_interval(o);
  Target target = open_target(o);
  std::vector<io::JobSpec> specs =
      build_job_specs(o, inv, target.existing ? target.existing->size() : std::uint64_t{64} << 20, target.existing.has_value());
  for (auto& s : specs) s.log_interval_s = interval;
  check_jobs_fit(specs, target, o.keep);
  for (const auto& s : specs) warn_about(s, inv);
  Outputs outputs(o, inv.options().plot, inv.json());

  std::vector<io::JobResult> results;
  for (const auto& spec : specs) {
    if (target.existing) {
      results.push_back(run_one(spec, *target.existing, inv, 0.0));
      continue;
    }
    io::TestFile file = [&] {
      try {
        return io::TestFile::create(target.dir, o.keep);
      } catch (const io::IoError& e) {
        throw runtime_error(e.what());
      }
    }();
    const double layout_s = prepare(file, spec, inv);
    results.push_back(run_one(spec, file, inv, layout_s));
    if (o.keep) file.keep();
  }

  fill_input(inv, target);
  Json params = {{"dir", target.existing ? Json(nullptr) : Json(target.dir)},
                 {"file", o.file.empty() ? Json(nullptr) : Json(o.file)},
                 {"keep", o.keep},
                 {"log_out", o.log_out.empty() ? Json(nullptr) : Json(o.log_out)},
                 {"log_interval_s", interval},
                 {"plot", inv.options().plot.empty() ? Json(nullptr) : Json(inv.options().plot)},
                 {"jobs", Json::array()}};
  for (const auto& s : specs) params["jobs"].push_back(spec_json(s));
  inv.report().params = params;
  const auto findings = findings_for(results, target);
  Json jobs = Json::array();
  for (const auto& r : results) jobs.push_back(job_json(r, target.fs));
  inv.report().result = {{"jobs", jobs}, {"findings", findings_json(findings)}};

  std::string text = fmt::format("iobench: {} job{} on {} ({})\n", results.size(), results.size() == 1 ? "" : "s",
                                 target.existing ? target.existing->path() : target.dir,
                                 storage_text(target.fs, target.device));
  text += jobs_table(results, target.fs) + "\n";
  for (const auto& r : results) text += job_details(r);
  text += findings_text(findings);
  inv.report().text = text;
  outputs.write(results, "csc iobench run");
}

void iobench_compare(Invocation& inv, const RunOptions& o) {
  const double interval = log_interval(o);
  Target target = open_target(o);
  std::vector<io::JobSpec> specs =
      build_job_specs(o, inv, target.existing ? target.existing->size() : std::uint64_t{256} << 20, target.existing.has_value());
  io::JobSpec base = specs.front();
  base.log_interval_s = interval;
  check_jobs_fit({base}, target, o.keep);
  Outputs outputs(o, inv.options().plot, inv.json());

  std::optional<io::TestFile> created;
  io::TestFile* file = target.existing ? &*target.existing : nullptr;
  double layout_s = 0;
  if (!file) {
    try {
      created.emplace(io::TestFile::create(target.dir, o.keep));
    } catch (const io::IoError& e) {
      throw runtime_error(e.what());
    }
    file = &*created;
    layout_s = prepare(*file, base, inv);
  }
  std::vector<io::JobResult> results;
  std::vector<io::JobSpec> ran;
  for (const io::EngineOps* engine : io::engines()) {
    io::JobSpec spec = base;
    spec.engine = engine->name;
    spec.name = engine->name;
    if (spec.direct && !(engine->capabilities & io::kCapDirect)) {
      spec.direct = false;
      inv.warn(std::string(engine->name) + " ran buffered: it cannot use O_DIRECT");
    }
    ran.push_back(spec);
    results.push_back(run_one(spec, *file, inv, layout_s));
  }
  if (created && o.keep) created->keep();

  fill_input(inv, target);
  Json params = spec_json(base);
  params.erase("engine");
  params.erase("name");
  params["engines"] = Json::array();
  for (const auto& s : ran) params["engines"].push_back(s.engine);
  params["dir"] = target.existing ? Json(nullptr) : Json(target.dir);
  params["file"] = o.file.empty() ? Json(nullptr) : Json(o.file);
  params["keep"] = o.keep;
  params["log_out"] = o.log_out.empty() ? Json(nullptr) : Json(o.log_out);
  params["plot"] = inv.options().plot.empty() ? Json(nullptr) : Json(inv.options().plot);
  inv.report().params = params;
  const auto findings = findings_for(results, target);
  const std::string lesson = io::compare_lesson(results);
  Json jobs = Json::array();
  for (const auto& r : results) jobs.push_back(job_json(r, target.fs));
  inv.report().result = {{"jobs", jobs}, {"lesson", lesson}, {"findings", findings_json(findings)}};

  std::string text = fmt::format("iobench compare: {} {} at queue depth {} on {} ({})\n", io::mode_name(base.mode),
                                 io::format_bytes(static_cast<double>(base.block_size)), base.iodepth,
                                 target.existing ? target.existing->path() : target.dir,
                                 storage_text(target.fs, target.device));
  text += jobs_table(results, target.fs) + "\n";
  if (!lesson.empty()) text += "lesson: " + lesson + "\n";
  text += findings_text(findings);
  inv.report().text = text;
  outputs.write(results, "csc iobench compare");
}

}  // namespace csc
