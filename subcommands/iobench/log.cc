// The interval samples the job runner took, as CSV text.
#include "subcommands/iobench/log.h"

#include <fmt/format.h>

#include "src/output_file.h"

namespace csc {

std::string iobench_log_csv(const std::vector<io::JobResult>& results) {
  std::string out = "job,time_s,interval_s,bytes,ios,bw_mib_s,iops,mean_lat_us\n";
  for (const auto& r : results)
    for (const auto& s : r.timeline) {
      const double length = s.length_s > 0 ? s.length_s : 1.0;
      out += fmt::format("{},{:.6f},{:.6f},{},{},{:.6g},{:.6g},{:.6g}\n", io::csv_escape(r.spec.name, ','), s.end_s,
                         s.length_s, s.bytes, s.ios, static_cast<double>(s.bytes) / length / 1048576.0,
                         static_cast<double>(s.ios) / length, s.mean_lat_us);
    }
  return out;
}

}  // namespace csc
