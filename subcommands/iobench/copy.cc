// csc iobench copy SRC DST: an asynchronous, checksum-verified copy into a temporary file beside DST,
// renamed over DST only once verified (and only with --force when DST exists).
#include <sys/stat.h>

#include <fmt/format.h>

#include "kernels/io/file_copy.h"
#include "kernels/io/io_error.h"
#include "kernels/io/test_file.h"
#include "kernels/io/units.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "subcommands/iobench/verbs.h"

namespace csc {

namespace {

std::string hex(std::uint64_t v) { return fmt::format("0x{:016x}", v); }

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void iobench_copy(Invocation& inv, const CopyOptions& o) {
  if (!inv.options().plot.empty()) throw usage_error("--plot: copy has nothing to plot");
  const auto bs = io::parse_size(o.bs);
  if (!bs || *bs == 0 || *bs > (1u << 30)) throw usage_error("--bs " + o.bs + ": use a size between 1 byte and 1g");
  if (o.direct && *bs % 512) throw usage_error(fmt::format("--bs {} is not a multiple of 512, which O_DIRECT needs", *bs));

  io::TestFile source = [&] {
    try {
      return io::TestFile::open_existing(o.source);
    } catch (const io::IoError& e) {
      throw input_error("", e.what());
    }
  }();
  struct stat src_st {}, dst_st {};
  fstat(source.fd(), &src_st);
  std::string destination = o.destination;
  if (stat(destination.c_str(), &dst_st) == 0 && S_ISDIR(dst_st.st_mode)) {
    const auto slash = o.source.rfind('/');
    destination += "/" + (slash == std::string::npos ? o.source : o.source.substr(slash + 1));
  }
  if (lstat(destination.c_str(), &dst_st) == 0) {
    if (dst_st.st_dev == src_st.st_dev && dst_st.st_ino == src_st.st_ino)
      throw usage_error("SRC and DST are the same file: " + destination);
    if (!S_ISREG(dst_st.st_mode))
      throw runtime_error(destination + " exists and is not a regular file; csc never writes to devices or replaces them");
    if (!o.force) throw runtime_error(destination + " exists, pass --force to overwrite");
  }
  const std::string dir = directory_of(destination);
  const std::uint64_t size = source.size();
  try {
    if (io::free_bytes(dir) < size) throw runtime_error(fmt::format("not enough free space in {} for {}", dir, io::format_bytes(size)));
  } catch (const io::IoError& e) {
    throw usage_error("DST directory " + dir + ": " + e.what());
  }

  io::CopySpec spec;
  spec.block_size = *bs;
  spec.depth = o.iodepth;
  spec.engine = o.engine;
  spec.direct = o.direct;
  spec.checksum = *io::parse_checksum(o.checksum);
  spec.simulate_uring_refusal = simulate_uring_refusal();
  spec.simulate_direct_refusal = simulate_direct_refusal();
  io::CopyResult r;
  try {
    io::TestFile temp = io::TestFile::create(dir, true);  // csc-iobench-*, removed unless renamed below
    {
      auto phase = inv.phase("copy");
      r = io::copy_file(source, temp, spec, io::RunHooks{[] { return interrupted(); }});
    }
    throw_if_interrupted();
    if (r.destination_checksum != r.source_checksum)
      throw runtime_error(fmt::format("the copy does not verify: {} of {} is {}, of the copy {}; {} was left untouched",
                                      o.checksum, o.source, hex(r.source_checksum), hex(r.destination_checksum), destination));
    temp.rename_to(destination, o.force);
  } catch (const io::IoError& e) {
    throw runtime_error(e.what());
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }

  inv.report().input = {{"source", o.source}, {"size", size}};
  inv.report().params = {{"destination", destination}, {"bs", *bs},         {"iodepth", o.iodepth}, {"engine", o.engine},
                         {"direct", o.direct},         {"verify", o.checksum}, {"force", o.force}};
  const double mib_s = r.copy_s > 0 ? static_cast<double>(r.bytes) / r.copy_s / 1048576.0 : 0.0;
  inv.report().result = {{"source", o.source},
                         {"destination", destination},
                         {"bytes", r.bytes},
                         {"copy_s", r.copy_s},
                         {"bw_mib_s", mib_s},
                         {"verify_s", r.verify_s},
                         {"engine", r.engine},
                         {"engine_fallback", r.engine_fallback.empty() ? Json(nullptr) : Json(r.engine_fallback)},
                         {"direct", r.direct},
                         {"direct_fallback", r.direct_fallback.empty() ? Json(nullptr) : Json(r.direct_fallback)},
                         {"checksum", {{"algorithm", o.checksum}, {"source", hex(r.source_checksum)},
                                       {"destination", hex(r.destination_checksum)}}},
                         {"verified", true}};
  std::string text = fmt::format("copied {} ({}) to {} in {:.2f} s ({:.1f} MiB/s) with {}{}\n", o.source,
                                 io::format_bytes(static_cast<double>(r.bytes)), destination, r.copy_s, mib_s, r.engine,
                                 r.direct ? ", O_DIRECT" : "");
  text += fmt::format("verified: {} {} read back from the device in {:.2f} s\n", o.checksum, hex(r.destination_checksum),
                      r.verify_s);
  if (!r.engine_fallback.empty()) text += "note: " + r.engine_fallback + "\n";
  if (!r.direct_fallback.empty()) text += "note: " + r.direct_fallback + "\n";
  inv.report().text = text;
}

}  // namespace csc
