// What a job's numbers mean: where the bytes came from (device or page cache), readahead
// amplification, queue-depth advice and the fallbacks taken, as findings a user reads after the table.
#pragma once

#include <string>
#include <vector>

#include "kernels/io/diagnose.h"
#include "kernels/io/job.h"

namespace csc::io {

// "device", "page cache", "page cache and device", "page cache, flushed to the device" or "unknown".
std::string served_from(const JobResult& result, const FilesystemInfo& fs);

std::vector<Finding> job_findings(const JobResult& result, const FilesystemInfo& fs, const BlockDeviceInfo& device);

// The lesson of `csc iobench compare`: the same job on every engine, explained in a few sentences.
std::string compare_lesson(const std::vector<JobResult>& results);

}  // namespace csc::io
