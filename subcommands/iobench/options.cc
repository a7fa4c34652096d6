// Job settings: one map of key -> text per job (defaults from the command line, then --job or the job
// file), validated once into a JobSpec so every source of settings gets the same checks and messages.
#include "subcommands/iobench/options.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kernels/io/engine.h"
#include "kernels/io/units.h"
#include "src/error.h"
#include "src/invocation.h"

namespace csc {

namespace {

using Settings = std::map<std::string, std::string>;

// The keys --job and job files accept (option names without dashes; '-' and '_' both work).
const std::set<std::string> kKeys = {"name",   "mode",      "mix",       "bs",        "size",   "iodepth",
                                     "jobs",   "runtime",   "time_based", "ramp",     "direct", "fsync",
                                     "fdatasync", "end_fsync", "cache",   "engine",    "sqpoll", "fixed_buffers",
                                     "registered_files", "verify"};

std::string key_of(std::string key) {
  for (char& c : key)
    if (c == '-') c = '_';
  return key;
}

Settings settings_from(const JobOptions& o) {
  auto flag = [](bool b) { return std::string(b ? "1" : "0"); };
  return {{"name", o.name},
          {"mode", o.mode},
          {"mix", std::to_string(o.mix)},
          {"bs", o.bs},
          {"size", o.size},
          {"iodepth", std::to_string(o.iodepth)},
          {"jobs", std::to_string(o.jobs)},
          {"runtime", o.runtime},
          {"time_based", flag(o.time_based)},
          {"ramp", o.ramp},
          {"direct", flag(o.direct)},
          {"fsync", std::to_string(o.fsync)},
          {"fdatasync", std::to_string(o.fdatasync)},
          {"end_fsync", flag(o.end_fsync)},
          {"cache", o.cache},
          {"engine", o.engine},
          {"sqpoll", flag(o.sqpoll)},
          {"fixed_buffers", flag(!o.no_fixed_buffers)},
          {"registered_files", flag(!o.no_registered_files)},
          {"verify", o.verify}};
}

// Reports a bad setting the way its source needs: usage errors for options and --job, input errors
// (with the file's name) for job files.
struct Source {
  std::string where;       // "--job 'mode=...'" or "jobs.json: jobs[1]"
  bool is_file = false;
  [[noreturn]] void fail(const std::string& what) const {
    if (is_file) throw input_error(where, what);
    throw usage_error((where.empty() ? "" : where + ": ") + what);
  }
};

unsigned to_unsigned(const std::string& text, const std::string& key, unsigned lo, unsigned hi, const Source& src) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    src.fail(fmt::format("--{} {}: expected a whole number in {}..{}", key, text, lo, hi));
  return value;
}

bool to_bool(const std::string& text, const std::string& key, const Source& src) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  src.fail(fmt::format("{}={}: expected true or false", key, text));
}

double to_seconds(const std::string& text, const std::string& key, const Source& src) {
  if (text.empty()) return 0.0;
  const auto seconds = io::parse_duration(text);
  if (!seconds) src.fail(fmt::format("--{} {}: not a duration (e.g. 5, 500ms, 2m)", key, text));
  return *seconds;
}

std::uint64_t to_bytes(const std::string& text, const std::string& key, const Source& src) {
  const auto bytes = io::parse_size(text);
  if (!bytes) src.fail(fmt::format("--{} {}: not a size (e.g. 4096, 4k, 1m, 1g; k = KiB as in fio)", key, text));
  return *bytes;
}

io::JobSpec spec_from(const Settings& s, const Source& src, std::uint64_t default_size, bool read_only,
                      std::uint64_t seed) {
  io::JobSpec spec;
  spec.name = s.at("name");
  const auto mode = io::parse_mode(s.at("mode"));
  if (!mode) src.fail("unknown --mode " + s.at("mode") + " (modes: read, write, randread, randwrite, randrw)");
  spec.mode = *mode;
  if (read_only && io::mode_writes(spec.mode))
    src.fail("--file is only read (csc never writes to a file it did not create): use a read mode, or --dir for "
             "write tests");
  spec.read_percent = to_unsigned(s.at("mix"), "mix", 0, 100, src);
  spec.block_size = to_bytes(s.at("bs"), "bs", src);
  if (spec.block_size == 0) src.fail("--bs 0: a block needs at least one byte");
  if (spec.block_size > (1u << 30)) src.fail("--bs " + s.at("bs") + ": blocks above 1 GiB are not supported");
  spec.size = s.at("size").empty() ? default_size : to_bytes(s.at("size"), "size", src);
  if (spec.size == 0) src.fail("--size 0: the job needs at least one block");
  spec.iodepth = to_unsigned(s.at("iodepth"), "iodepth", 1, 4096, src);
  spec.threads = to_unsigned(s.at("jobs"), "jobs", 1, 256, src);
  if (spec.size / spec.block_size / spec.threads == 0)
    src.fail(fmt::format("--size {} is smaller than --bs × --jobs ({} × {}): every thread needs a block", spec.size,
                         spec.block_size, spec.threads));
  spec.runtime_s = to_seconds(s.at("runtime"), "runtime", src);
  spec.time_based = to_bool(s.at("time_based"), "time_based", src);
  if (spec.time_based && spec.runtime_s <= 0) src.fail("--time-based needs a --runtime above 0");
  spec.ramp_s = to_seconds(s.at("ramp"), "ramp", src);
  spec.direct = to_bool(s.at("direct"), "direct", src);
  spec.fsync_every = to_unsigned(s.at("fsync"), "fsync", 0, 1u << 30, src);
  spec.fdatasync_every = to_unsigned(s.at("fdatasync"), "fdatasync", 0, 1u << 30, src);
  if (spec.fsync_every && spec.fdatasync_every) src.fail("--fsync and --fdatasync exclude each other");
  spec.end_fsync = to_bool(s.at("end_fsync"), "end_fsync", src);
  if (s.at("cache") != "cold" && s.at("cache") != "warm") src.fail("--cache " + s.at("cache") + ": use cold or warm");
  spec.cache = s.at("cache") == "cold" ? io::CacheState::cold : io::CacheState::warm;
  spec.engine = s.at("engine");
  const io::EngineOps* engine = io::find_engine(spec.engine);
  if (!engine) src.fail("unknown --engine " + spec.engine + " (engines: " + io::engine_names() + ")");
  spec.sqpoll = to_bool(s.at("sqpoll"), "sqpoll", src);
  spec.fixed_buffers = to_bool(s.at("fixed_buffers"), "fixed_buffers", src);
  spec.registered_files = to_bool(s.at("registered_files"), "registered_files", src);
  if (!s.at("verify").empty() && s.at("verify") != "none") {
    spec.verify = io::parse_checksum(s.at("verify"));
    if (!spec.verify) src.fail("--verify " + s.at("verify") + ": use crc32c or xxhash");
    if (spec.block_size < 64) src.fail("--verify needs --bs of at least 64 bytes (each block carries a 40-byte header)");
  }
  if (spec.direct) {
    if (!(engine->capabilities & io::kCapDirect))
      src.fail(spec.engine + " cannot use O_DIRECT (its pages are the page cache): drop --direct or pick psync, "
                             "io_uring or threadpool");
    if (spec.block_size % 512)
      src.fail(fmt::format("--bs {} is not a multiple of 512, which O_DIRECT needs (try --bs {})", spec.block_size,
                           (spec.block_size + 511) / 512 * 512));
  }
  const unsigned depth = (engine->capabilities & io::kCapAsync) ? spec.iodepth : 1;
  if (static_cast<double>(spec.block_size) * depth * spec.threads > 2.0 * (1u << 30))
    src.fail("--bs × --iodepth × --jobs is above 2 GiB of buffers: lower one of them");
  spec.seed = seed;
  spec.simulate_uring_refusal = simulate_uring_refusal();
  spec.simulate_direct_refusal = simulate_direct_refusal();
  return spec;
}

// "mode=randread,bs=4k,direct" -> settings; a bare key means true.
void apply_job_text(Settings& s, const std::string& text, const Source& src) {
  std::stringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string key = key_of(item.substr(0, eq));
    if (!kKeys.count(key)) src.fail("unknown setting '" + key + "' (settings: the long options of `csc iobench run`)");
    s[key] = eq == std::string::npos ? "1" : item.substr(eq + 1);
  }
}

void apply_json(Settings& s, const nlohmann::json& object, const Source& src) {
  if (!object.is_object()) src.fail("expected an object of settings");
  for (const auto& [raw_key, value] : object.items()) {
    const std::string key = key_of(raw_key);
    if (!kKeys.count(key)) src.fail("unknown setting '" + raw_key + "'");
    if (value.is_string()) s[key] = value.get<std::string>();
    else if (value.is_boolean()) s[key] = value.get<bool>() ? "1" : "0";
    else if (value.is_number_unsigned()) s[key] = std::to_string(value.get<std::uint64_t>());
    else if (value.is_number()) s[key] = value.dump();
    else src.fail("setting '" + raw_key + "' must be a string, a number or a boolean");
  }
}

}  // namespace

std::string default_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

bool simulate_uring_refusal() {
  const char* v = std::getenv("CSC_IOBENCH_SIMULATE_URING_EPERM");
  return v && *v && std::string(v) != "0";
}

bool simulate_direct_refusal() {
  const char* v = std::getenv("CSC_IOBENCH_SIMULATE_DIRECT_EINVAL");
  return v && *v && std::string(v) != "0";
}

void add_job_options(CLI::App& app, RunOptions& o, bool with_jobs) {
  JobOptions& j = o.job;
  app.add_option("--dir", o.dir, "Directory for the test files (default: $TMPDIR, else /tmp)");
  app.add_option("--file", o.file, "Read this existing regular file instead (read modes only; never written)");
  app.add_option("--name", j.name, "Job name (default job1, job2, ...)");
  app.add_option("--mode", j.mode, "read, write, randread, randwrite or randrw")->capture_default_str();
  app.add_option("--mix", j.mix, "randrw: percentage of reads")->check(CLI::Range(0, 100))->capture_default_str();
  app.add_option("--bs", j.bs, "Block size per request (4k, 1m; k = KiB as in fio)")->capture_default_str();
  app.add_option("--size", j.size, "Bytes the job covers, split between --jobs threads (default 64m; --file: its size)");
  app.add_option("--iodepth", j.iodepth, "Requests in flight per thread (async engines)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--jobs", j.jobs, "Threads, each on its own slice of the file (fio's numjobs)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--runtime", j.runtime, "Stop after this long (5, 500ms, 2m); with --time-based: run this long");
  app.add_flag("--time-based", j.time_based, "Run for --runtime, wrapping around the file");
  app.add_option("--ramp", j.ramp, "Run this long before measuring");
  app.add_flag("--direct,!--buffered", j.direct, "O_DIRECT: bypass the page cache (--buffered: do not)");
  app.add_option("--fsync", j.fsync, "fsync after every N writes")->check(CLI::Range(0, 1 << 30));
  app.add_option("--fdatasync", j.fdatasync, "fdatasync after every N writes")->check(CLI::Range(0, 1 << 30));
  app.add_flag("--end-fsync", j.end_fsync, "fsync once the writes are done, inside the measured time");
  app.add_option("--cache", j.cache, "cold: evict the file's pages first (posix_fadvise, this file only); warm: load them")
      ->check(CLI::IsMember({"cold", "warm"}))
      ->capture_default_str();
  app.add_option("--engine", j.engine, "psync, mmap, io_uring or threadpool")->capture_default_str();
  app.add_flag("--sqpoll", j.sqpoll, "io_uring: a kernel thread polls the submission queue (IORING_SETUP_SQPOLL)");
  app.add_flag("--no-fixed-buffers", j.no_fixed_buffers, "io_uring: do not register the buffers");
  app.add_flag("--no-registered-files", j.no_registered_files, "io_uring: do not register the file");
  app.add_option("--verify", j.verify, "crc32c or xxhash: write checksummed blocks, check every block read back");
  app.add_flag("--keep", o.keep, "Keep the test file of a successful run (its path is in the result)");
  app.add_option("--log-out", o.log_out, "Write the per-interval log (CSV: bandwidth, IOPS, latency) to this file");
  app.add_option("--log-interval", o.log_interval, "Interval of the log and of the bandwidth plot")->capture_default_str();
  app.add_flag("--force", o.force, "Overwrite the --log-out and --plot files when they exist");
  if (with_jobs) {
    app.add_option("--job", o.job_specs, "One more job: key=value,... with the long options as keys, e.g. "
                                         "name=seq,mode=read,bs=1m (repeatable; the options above are defaults)")
        ->allow_extra_args(false);
    app.add_option("--job-file", o.job_file, "JSON job file: {\"global\": {...}, \"jobs\": [{...}, ...]}");
  }
}

std::vector<io::JobSpec> build_job_specs(const RunOptions& o, Invocation& inv, std::uint64_t default_size,
                                        bool read_only) {
  Settings defaults = settings_from(o.job);
  std::vector<std::pair<Settings, Source>> jobs;

  if (!o.job_file.empty()) {
    std::ifstream in(o.job_file);
    if (!in) throw input_error(o.job_file, "cannot open the job file");
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
      throw input_error(o.job_file, std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object() || !doc.contains("jobs") || !doc["jobs"].is_array() || doc["jobs"].empty())
      throw input_error(o.job_file, "expected {\"jobs\": [{...}, ...]} with at least one job");
    if (doc.contains("global")) apply_json(defaults, doc["global"], Source{o.job_file + ": global", true});
    for (std::size_t i = 0; i < doc["jobs"].size(); ++i) {
      Source src{fmt::format("{}: jobs[{}]", o.job_file, i), true};
      Settings s = defaults;
      apply_json(s, doc["jobs"][i], src);
      jobs.emplace_back(s, src);
    }
  }
  for (const std::string& text : o.job_specs) {
    Source src{"--job '" + text + "'", false};
    Settings s = defaults;
    apply_job_text(s, text, src);
    jobs.emplace_back(s, src);
  }
  if (jobs.empty()) jobs.emplace_back(defaults, Source{"", false});

  std::vector<io::JobSpec> specs;
  std::set<std::string> names;
  for (auto& [settings, src] : jobs) {
    if (settings["name"].empty()) settings["name"] = "job" + std::to_string(specs.size() + 1);
    if (!names.insert(settings["name"]).second) src.fail("job name '" + settings["name"] + "' is used twice");
    specs.push_back(spec_from(settings, src, default_size, read_only, inv.seed()));
  }
  return specs;
}

}  // namespace csc
