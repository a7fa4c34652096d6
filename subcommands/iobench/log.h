// --log-out for iobench: one CSV row per job and interval (fio's per-interval logs, in one file).
#pragma once

#include <string>
#include <vector>

#include "kernels/io/job.h"

namespace csc {

// job,time_s,interval_s,bytes,ios,bw_mib_s,iops,mean_lat_us
std::string iobench_log_csv(const std::vector<io::JobResult>& results);

}  // namespace csc
