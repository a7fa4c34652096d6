// The one printer of iobench results: a JobResult becomes the JSON of csc-iobench(1) (keys close to
// fio's: bw in MiB/s, iops, latency percentiles in µs) and the text table, from the same numbers.
#pragma once

#include <string>
#include <vector>

#include "kernels/io/diagnose.h"
#include "kernels/io/job.h"
#include "src/report.h"

namespace csc {

// count, min, mean, stddev, p50, p90, p99, p999, p9999, max in µs; null when nothing was recorded.
Json latency_json(const io::LatencyHistogram& histogram);
Json spec_json(const io::JobSpec& spec);
Json job_json(const io::JobResult& result, const io::FilesystemInfo& fs);
Json findings_json(const std::vector<io::Finding>& findings);

double job_iops(const io::JobResult& result);
double job_bw_mib_s(const io::JobResult& result);

// One row per job: mode, engine, bs, depth, IOPS, MiB/s, latency percentiles, where the bytes came from.
std::string jobs_table(const std::vector<io::JobResult>& results, const io::FilesystemInfo& fs);
// A few lines per job: bytes and time, latency, CPU, device bytes, fallbacks, verify.
std::string job_details(const io::JobResult& result);
std::string findings_text(const std::vector<io::Finding>& findings);
// "ext4 on vda (virtio disk, mq-deadline)".
std::string storage_text(const io::FilesystemInfo& fs, const io::BlockDeviceInfo& device);

}  // namespace csc
