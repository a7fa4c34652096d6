// Running a job: pick the engine (falling back where the system refuses), set the cache state, start
// one worker thread per --jobs, measure while the main thread samples bandwidth and polls for Ctrl-C,
// then check --verify writes by reading every block back.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernels/io/block_permutation.h"
#include "kernels/io/dio_alignment.h"
#include "kernels/io/file_cache.h"
#include "kernels/io/file_layout.h"
#include "kernels/io/io_error.h"
#include "kernels/io/job.h"
#include "kernels/io/random.h"
#include "kernels/io/verify_block.h"

namespace csc::io {

namespace {

std::uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}

// Live totals a worker publishes for the main thread's per-interval samples.
struct alignas(64) LiveCounters {
  std::atomic<std::uint64_t> ios{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> lat_ns{0};
};

struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
};

struct AlignedBuffer {
  void* data = nullptr;
  explicit AlignedBuffer(std::size_t size) {
    if (posix_memalign(&data, 4096, std::max<std::size_t>(size, 4096)) != 0) throw std::bad_alloc();
  }
  ~AlignedBuffer() { std::free(data); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
};

// What the job's threads share.
struct Shared {
  const JobSpec& spec;
  const EngineOps* engine;
  int fd;
  std::uint64_t slice_blocks;
  std::vector<std::uint64_t> written;  // --verify writes: one bit per block, set once written
  std::vector<LiveCounters> live;
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable changed;
  unsigned ready = 0;
  unsigned finished = 0;
  bool go = false;
  std::uint64_t measure_start_ns = 0;
  std::uint64_t deadline_ns = 0;  // 0: none

  Shared(const JobSpec& s, const EngineOps* e, int f, std::uint64_t slice)
      : spec(s), engine(e), fd(f), slice_blocks(slice), live(s.threads) {}
};

struct WorkerError {
  int err = 0;            // errno, or EIO for a short transfer
  bool short_transfer = false;
  IoDir dir = IoDir::read;
  std::uint64_t offset = 0;
  std::uint32_t length = 0;
  std::int64_t result = 0;
  bool during_sync = false;
};

struct WorkerResult {
  int init_error = 0;
  EngineFeatures features;
  DirectionStats dir[2];
  std::uint64_t syncs = 0;
  LatencyHistogram sync_lat;
  std::uint64_t last_completion_ns = 0;
  std::optional<WorkerError> error;
  VerifyOutcome verify;
  bool first_bad_set = false;
};

class Worker {
 public:
  Worker(Shared& shared, unsigned index, WorkerResult& out) : s_(shared), index_(index), out_(out) {}

  void run() {
    const JobSpec& spec = s_.spec;
    const unsigned depth = (s_.engine->capabilities & kCapAsync) ? spec.iodepth : 1;
    for (unsigned i = 0; i < depth; ++i) buffers_.push_back(std::make_unique<AlignedBuffer>(spec.block_size));
    std::vector<void*> pointers;
    for (auto& b : buffers_) pointers.push_back(b->data);
    if (mode_writes(spec.mode) && !spec.verify) {
      Xoshiro256 fill(spec.seed * 0x2545F4914F6CDD1DULL + index_);
      for (void* p : pointers)
        for (std::size_t i = 0; i + 8 <= spec.block_size; i += 8) {
          const std::uint64_t v = fill.next();
          std::memcpy(static_cast<char*>(p) + i, &v, 8);
        }
    }
    EngineSetup setup;
    setup.files = std::span<const int>(&s_.fd, 1);
    setup.file_size = s_.slice_blocks * spec.threads * spec.block_size;
    setup.depth = depth;
    setup.buffers = pointers;
    setup.buffer_size = spec.block_size;
    setup.writable = mode_writes(spec.mode);
    setup.random_access = mode_random(spec.mode);
    setup.fixed_buffers = spec.fixed_buffers;
    setup.registered_files = spec.registered_files;
    setup.sqpoll = spec.sqpoll;
    setup.simulate_refusal = spec.simulate_uring_refusal;
    out_.init_error = -s_.engine->init(setup, &state_, &out_.features);

    {
      std::unique_lock lock(s_.mutex);
      ++s_.ready;
      s_.changed.notify_all();
      s_.changed.wait(lock, [&] { return s_.go; });
    }
    if (out_.init_error == 0) {
      loop(depth);
      s_.engine->cleanup(state_);
    }
    std::lock_guard lock(s_.mutex);
    ++s_.finished;
    s_.changed.notify_all();
  }

 private:
  struct Slot {
    IoRequest request;
    bool counted = false;
    bool busy = false;
  };

  void loop(unsigned depth) {
    const JobSpec& spec = s_.spec;
    const bool async = s_.engine->commit != nullptr;
    const std::uint64_t first_block = index_ * s_.slice_blocks;
    const unsigned sync_every = spec.fsync_every ? spec.fsync_every : spec.fdatasync_every;
    const bool sync_data_only = spec.fsync_every == 0;
    const bool guard_overlap = spec.verify && mode_writes(spec.mode) && mode_random(spec.mode) && depth > 1;
    Xoshiro256 rng(spec.seed * 0x9E3779B97F4A7C15ULL + index_ + 1);
    // Random jobs walk a fresh permutation of the slice each pass: every block once, in random order.
    std::uint64_t in_pass = 0;
    BlockPermutation order(s_.slice_blocks, rng.next());

    slots_.resize(depth);
    std::vector<unsigned> free_slots;
    for (unsigned i = depth; i-- > 0;) {
      slots_[i].request.buffer = buffers_[i]->data;
      slots_[i].request.buffer_index = static_cast<int>(i);
      slots_[i].request.slot = i;
      free_slots.push_back(i);
    }
    std::vector<IoRequest*> completed(depth);
    std::uint64_t sequential_next = 0, measured_issued = 0;
    unsigned inflight = 0, writes_since_sync = 0;
    bool issuing = true, sync_due = false, submit_failed = false;

    while (true) {
      while (issuing && !sync_due && !free_slots.empty()) {
        if (s_.stop.load(std::memory_order_relaxed)) {
          issuing = false;
          break;
        }
        const std::uint64_t t = now_ns();
        if (s_.deadline_ns && t >= s_.deadline_ns) {
          issuing = false;
          break;
        }
        const bool measuring = t >= s_.measure_start_ns;
        if (measuring && !spec.time_based && measured_issued >= s_.slice_blocks) {
          issuing = false;
          break;
        }
        const IoDir dir = pick_direction(rng);
        std::uint64_t block = 0;
        for (int attempt = 0; attempt < 64; ++attempt) {
          if (mode_random(spec.mode)) {
            if (in_pass == s_.slice_blocks) order = BlockPermutation(s_.slice_blocks, rng.next()), in_pass = 0;
            block = order(in_pass++);
          } else {
            block = sequential_next++ % s_.slice_blocks;
          }
          if (!guard_overlap || !in_flight(first_block + block)) break;
        }
        const unsigned slot_index = free_slots.back();
        free_slots.pop_back();
        Slot& slot = slots_[slot_index];
        IoRequest& r = slot.request;
        r.dir = dir;
        r.offset = (first_block + block) * spec.block_size;
        r.length = static_cast<std::uint32_t>(spec.block_size);
        r.result = 0;
        if (dir == IoDir::write && spec.verify)
          fill_verify_block(r.buffer, spec.block_size, r.offset, spec.seed, *spec.verify);
        slot.counted = measuring;
        slot.busy = true;
        measured_issued += measuring;
        r.issue_ns = dir == IoDir::write && spec.verify ? now_ns() : t;  // filling a block is not I/O time
        r.submit_ns = r.issue_ns;
        if (dir == IoDir::write && sync_every && ++writes_since_sync >= sync_every) sync_due = true;
        if (s_.engine->queue(state_, &r) == QueueStatus::completed) {
          complete(r, now_ns(), false);
          free_slots.push_back(slot_index);
        } else {
          ++inflight;
          // Hand each request to the kernel as soon as it is prepared (fio's iodepth_batch_submit=1): on a
          // device that starts work at submission, a batch of QD requests in one io_uring_enter delays the
          // first of them by the submission cost of the rest (measured here: p50 245 -> 175 us, IOPS +15 %
          // at 4 KiB QD32 O_DIRECT on virtio).
          const int rc = s_.engine->commit(state_);
          r.submit_ns = now_ns();
          if (rc < 0) {
            fail(WorkerError{-rc, false, IoDir::read, 0, 0, rc, false});
            submit_failed = true;
            break;
          }
        }
      }
      if (submit_failed) break;  // requests the kernel never took cannot be reaped
      if (inflight > 0) {
        const int n = s_.engine->getevents(state_, 1, depth, completed.data());
        if (n < 0) {
          fail(WorkerError{-n, false, IoDir::read, 0, 0, n, false});
          break;
        }
        const std::uint64_t t = now_ns();
        for (int i = 0; i < n; ++i) {
          complete(*completed[i], t, async);
          free_slots.push_back(completed[i]->slot);
        }
        inflight -= static_cast<unsigned>(n);
        continue;
      }
      if (sync_due) {
        do_sync(sync_data_only);
        sync_due = false;
        writes_since_sync = 0;
        continue;
      }
      if (!issuing || out_.error) break;
    }
    if (spec.end_fsync && mode_writes(spec.mode) && !out_.error && inflight == 0) do_sync(false);
  }

  IoDir pick_direction(Xoshiro256& rng) {
    switch (s_.spec.mode) {
      case Mode::read:
      case Mode::randread: return IoDir::read;
      case Mode::write:
      case Mode::randwrite: return IoDir::write;
      case Mode::randrw: return rng.below(100) < s_.spec.read_percent ? IoDir::read : IoDir::write;
    }
    return IoDir::read;
  }

  bool in_flight(std::uint64_t block) const {
    for (const Slot& slot : slots_)
      if (slot.busy && slot.request.offset == block * s_.spec.block_size) return true;
    return false;
  }

  void fail(WorkerError error) {
    if (!out_.error) out_.error = error;
    s_.stop.store(true, std::memory_order_relaxed);
  }

  void complete(IoRequest& r, std::uint64_t t, bool async) {
    Slot& slot = slots_[r.slot];
    slot.busy = false;
    if (r.result != static_cast<std::int64_t>(r.length)) {
      const bool short_transfer = r.result >= 0;
      fail(WorkerError{short_transfer ? EIO : static_cast<int>(-r.result), short_transfer, r.dir, r.offset, r.length,
                       r.result, false});
      return;
    }
    const JobSpec& spec = s_.spec;
    if (spec.verify) {
      const std::uint64_t block = r.offset / spec.block_size;
      if (r.dir == IoDir::read) {
        const BlockCheck check = check_verify_block(r.buffer, spec.block_size, r.offset, *spec.verify);
        ++out_.verify.blocks_checked;
        if (!check.ok) note_mismatch(r.offset, check.problem);
      } else {
        std::atomic_ref<std::uint64_t>(s_.written[block / 64]).fetch_or(std::uint64_t{1} << (block % 64),
                                                                      std::memory_order_relaxed);
      }
    }
    if (!slot.counted) return;
    DirectionStats& d = out_.dir[r.dir == IoDir::read ? 0 : 1];
    ++d.ios;
    d.bytes += r.length;
    const std::uint64_t lat = t - r.issue_ns;
    d.lat.record(lat);
    if (async) {
      d.slat.record(r.submit_ns - r.issue_ns);
      d.clat.record(t - r.submit_ns);
    } else {
      d.clat.record(lat);
    }
    LiveCounters& live = s_.live[index_];
    live.ios.fetch_add(1, std::memory_order_relaxed);
    live.bytes.fetch_add(r.length, std::memory_order_relaxed);
    live.lat_ns.fetch_add(lat, std::memory_order_relaxed);
    out_.last_completion_ns = std::max(out_.last_completion_ns, t);
  }

  void note_mismatch(std::uint64_t offset, const std::string& problem) {
    ++out_.verify.mismatches;
    if (!out_.first_bad_set || offset < out_.verify.first_bad_offset) {
      out_.first_bad_set = true;
      out_.verify.first_bad_offset = offset;
      out_.verify.first_problem = problem;
    }
  }

  void do_sync(bool data_only) {
    const std::uint64_t start = now_ns();
    const int rc = s_.engine->sync(state_, data_only);
    const std::uint64_t end = now_ns();
    if (rc < 0) {
      fail(WorkerError{-rc, false, IoDir::write, 0, 0, rc, true});
      return;
    }
    if (start >= s_.measure_start_ns) {
      ++out_.syncs;
      out_.sync_lat.record(end - start);
      out_.last_completion_ns = std::max(out_.last_completion_ns, end);
    }
  }

  Shared& s_;
  unsigned index_;
  WorkerResult& out_;
  void* state_ = nullptr;
  std::vector<std::unique_ptr<AlignedBuffer>> buffers_;
  std::vector<Slot> slots_;
};

void validate(const JobSpec& spec, const TestFile& file, const EngineOps* engine) {
  auto bad = [&](const std::string& what) { throw std::invalid_argument("job " + spec.name + ": " + what); };
  if (engine == nullptr) bad("unknown engine '" + spec.engine + "' (engines: " + engine_names() + ")");
  if (spec.block_size == 0) bad("block size is 0");
  if (spec.block_size > (std::uint64_t{1} << 30)) bad("block size above 1 GiB");
  if (spec.threads == 0 || spec.iodepth == 0) bad("threads and queue depth must be at least 1");
  if (spec.read_percent > 100) bad("read percentage above 100");
  if (spec.size / spec.block_size / spec.threads == 0) bad("size smaller than block size × threads");
  if (spec.verify && spec.block_size < 64) bad("--verify needs blocks of at least 64 bytes");
  if (spec.time_based && spec.runtime_s <= 0) bad("time-based without a runtime");
  if (spec.direct && !(engine->capabilities & kCapDirect)) bad(std::string(engine->name) + " cannot do O_DIRECT");
  if (mode_writes(spec.mode) && !file.created()) bad("csc writes only to files it created");
  if (file.size() < spec.size) bad("the file is smaller than the job's size");
}

std::string io_failure_message(const WorkerError& e, bool direct, int fd) {
  if (e.during_sync) return "fsync failed: " + errno_text(e.err);
  if (e.length == 0) return std::string("the engine failed: ") + errno_text(e.err);
  const char* what = e.dir == IoDir::read ? "read" : "write";
  std::string text = std::string(direct ? "O_DIRECT " : "") + what + " of " + std::to_string(e.length) +
                     " bytes at offset " + std::to_string(e.offset);
  if (e.short_transfer) return text + " moved only " + std::to_string(e.result) + " bytes";
  text += " failed: " + errno_text(e.err);
  if (e.err == EINVAL && direct) {
    const DioAlignment align = direct_io_alignment(fd);
    text += "; O_DIRECT needs aligned offsets, lengths and buffers";
    if (align.known && align.offset) text += " (statx dio_offset_align = " + std::to_string(align.offset) + ")";
    text += ": use a --bs that is a multiple of the device's logical block size, or drop --direct";
  } else if (e.err == ENOSPC) {
    text += "; free some space or use a smaller --size";
  }
  return text;
}

// The read-back pass for --verify writes: every block must carry the job's seed if the job wrote it,
// the layout's seed otherwise.
void verify_written_blocks(const JobSpec& spec, int fd, std::uint64_t blocks, const std::vector<std::uint64_t>& written,
                           VerifyOutcome& outcome, const RunHooks& hooks) {
  evict_from_page_cache(fd, true);  // read what reached the device, not the pages still cached
  const std::uint64_t bs = spec.block_size;
  const std::uint64_t per_chunk = std::max<std::uint64_t>(1, (std::uint64_t{1} << 20) / bs);
  AlignedBuffer buffer(per_chunk * bs);
  auto* bytes = static_cast<unsigned char*>(buffer.data);
  for (std::uint64_t first = 0; first < blocks; first += per_chunk) {
    if (hooks.interrupted && hooks.interrupted()) return;
    const std::uint64_t count = std::min(per_chunk, blocks - first);
    IoRequest r;
    r.buffer = bytes;
    r.offset = first * bs;
    r.length = static_cast<std::uint32_t>(count * bs);
    std::uint64_t done = 0;
    while (done < r.length) {
      const ssize_t n = pread(fd, bytes + done, r.length - done, static_cast<off_t>(r.offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw IoError(n < 0 ? errno : EIO, "reading back for --verify at offset " + std::to_string(r.offset + done));
      done += static_cast<std::uint64_t>(n);
    }
    for (std::uint64_t b = 0; b < count; ++b) {
      const std::uint64_t block = first + b;
      const std::uint64_t offset = block * bs;
      BlockCheck check = check_verify_block(bytes + b * bs, bs, offset, *spec.verify);
      ++outcome.blocks_checked;
      const bool was_written = (written[block / 64] >> (block % 64)) & 1u;
      const std::uint64_t expected = was_written ? spec.seed : layout_seed(spec.seed);
      if (check.ok && check.seed != expected) {
        check.ok = false;
        check.problem = was_written ? "the job's write to this block is missing (the block still holds older data)"
                                    : "block holds data the job never wrote";
      }
      if (!check.ok) {
        if (outcome.mismatches == 0 || offset < outcome.first_bad_offset) {
          outcome.first_bad_offset = offset;
          outcome.first_problem = check.problem;
        }
        ++outcome.mismatches;
      }
    }
  }
}

}  // namespace

double prepare_file(TestFile& file, const JobSpec& spec, const RunHooks& hooks) {
  if (!file.created()) return 0.0;
  const auto start = std::chrono::steady_clock::now();
  LayoutSpec layout;
  layout.size = spec.size;
  layout.block_size = spec.block_size;
  layout.write_data = mode_reads(spec.mode) || spec.verify.has_value();
  layout.verify = spec.verify;
  layout.seed = spec.seed;
  lay_out_file(file.fd(), layout, hooks.interrupted);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

JobResult run_job(const JobSpec& spec, TestFile& file, const RunHooks& hooks) {
  const EngineOps* engine = find_engine(spec.engine);
  validate(spec, file, engine);
  JobResult result;
  result.spec = spec;
  result.file = file.path();
  auto stop_requested = [&] { return hooks.interrupted && hooks.interrupted(); };

  // io_uring refused (seccomp, io_uring_disabled, old kernel): the thread pool does the same job.
  if (engine == &kUringEngine) {
    EngineSetup probe;
    const int probe_fd = file.fd();
    probe.files = std::span<const int>(&probe_fd, 1);
    probe.depth = spec.iodepth;
    probe.simulate_refusal = spec.simulate_uring_refusal;
    void* state = nullptr;
    EngineFeatures ignored;
    const int rc = engine->init(probe, &state, &ignored);
    if (rc < 0) {
      result.engine_fallback = "io_uring refused: " + errno_text(-rc) +
                               (rc == -EPERM ? " (a seccomp profile such as Docker's default, or kernel.io_uring_disabled)"
                                             : "") +
                               "; ran the threadpool engine instead";
      engine = &kThreadPoolEngine;
    } else {
      engine->cleanup(state);
    }
  }
  result.engine = engine->name;

  // O_DIRECT refused by the filesystem: run buffered and say so.
  const int access = mode_writes(spec.mode) ? O_RDWR : O_RDONLY;
  Descriptor job_fd;
  bool direct = spec.direct;
  if (direct) {
    job_fd.fd = spec.simulate_direct_refusal ? -EINVAL : file.reopen(access | O_DIRECT);
    if (job_fd.fd == -EINVAL) {
      result.direct_fallback = "O_DIRECT refused by the filesystem (EINVAL); ran buffered, through the page cache";
      direct = false;
    } else if (job_fd.fd < 0) {
      throw IoError(-job_fd.fd, "cannot open " + file.path() + " with O_DIRECT: " + errno_text(-job_fd.fd));
    }
  }
  if (!direct) {
    job_fd.fd = file.reopen(access);
    if (job_fd.fd < 0) throw IoError(-job_fd.fd, "cannot reopen " + file.path() + ": " + errno_text(-job_fd.fd));
  }
  result.direct = direct;

  if (spec.cache == CacheState::cold)
    evict_from_page_cache(file.fd(), file.created());
  else
    load_into_page_cache(file.fd(), spec.size, hooks.interrupted);
  result.resident_before = resident_fraction(file.fd(), spec.size);

  const std::uint64_t slice = spec.size / spec.block_size / spec.threads;
  Shared shared(spec, engine, job_fd.fd, slice);
  if (spec.verify && mode_writes(spec.mode)) shared.written.assign((slice * spec.threads + 63) / 64, 0);
  std::vector<WorkerResult> outs(spec.threads);
  std::vector<std::thread> threads;
  // Whatever happens below (even a failed thread creation), the workers are released and joined.
  struct JoinGuard {
    Shared& shared;
    std::vector<std::thread>& threads;
    ~JoinGuard() { join(); }
    void join() {
      {
        std::lock_guard lock(shared.mutex);
        if (!shared.go) shared.stop = true;
        shared.go = true;
      }
      shared.changed.notify_all();
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } join_guard{shared, threads};
  for (unsigned i = 0; i < spec.threads; ++i) threads.emplace_back([&, i] { Worker(shared, i, outs[i]).run(); });
  {
    std::unique_lock lock(shared.mutex);
    shared.changed.wait(lock, [&] { return shared.ready == spec.threads; });
  }
  int init_error = 0;
  for (const WorkerResult& out : outs)
    if (out.init_error) init_error = out.init_error;
  if (init_error != 0) {
    join_guard.join();
    throw IoError(init_error, std::string("the ") + engine->name + " engine could not start: " + errno_text(init_error));
  }

  const auto ns = [](double s) { return static_cast<std::uint64_t>(s * 1e9); };
  ProcIo io_before = read_proc_self_io();
  CpuUsage cpu_before = process_cpu_usage();
  const std::uint64_t start = now_ns();
  {
    std::lock_guard lock(shared.mutex);
    shared.measure_start_ns = start + ns(spec.ramp_s);
    if (spec.runtime_s > 0) shared.deadline_ns = shared.measure_start_ns + ns(spec.runtime_s);
    shared.go = true;
  }
  shared.changed.notify_all();

  // The main thread: Ctrl-C, the ramp boundary and per-interval bandwidth samples.
  bool ramp_snapshot_taken = spec.ramp_s <= 0;
  const std::uint64_t interval = std::max<std::uint64_t>(ns(spec.log_interval_s), 10'000'000);
  std::uint64_t next_sample = shared.measure_start_ns + interval, last_sample = shared.measure_start_ns;
  std::uint64_t seen_ios = 0, seen_bytes = 0, seen_lat = 0;
  auto take_sample = [&](std::uint64_t t) {
    std::uint64_t ios = 0, bytes = 0, lat = 0;
    for (const auto& live : shared.live) {
      ios += live.ios.load(std::memory_order_relaxed);
      bytes += live.bytes.load(std::memory_order_relaxed);
      lat += live.lat_ns.load(std::memory_order_relaxed);
    }
    IntervalSample sample;
    sample.end_s = static_cast<double>(t - shared.measure_start_ns) * 1e-9;
    sample.length_s = static_cast<double>(t - last_sample) * 1e-9;
    sample.ios = ios - seen_ios;
    sample.bytes = bytes - seen_bytes;
    sample.mean_lat_us = sample.ios ? static_cast<double>(lat - seen_lat) / static_cast<double>(sample.ios) * 1e-3 : 0.0;
    result.timeline.push_back(sample);
    seen_ios = ios, seen_bytes = bytes, seen_lat = lat, last_sample = t;
  };
  {
    std::unique_lock lock(shared.mutex);
    while (shared.finished < spec.threads) {
      shared.changed.wait_for(lock, std::chrono::milliseconds(20));
      lock.unlock();
      if (!result.interrupted && stop_requested()) {
        result.interrupted = true;
        shared.stop = true;
      }
      const std::uint64_t t = now_ns();
      if (!ramp_snapshot_taken && t >= shared.measure_start_ns) {
        io_before = read_proc_self_io();
        cpu_before = process_cpu_usage();
        ramp_snapshot_taken = true;
      }
      if (t >= next_sample) {
        take_sample(t);
        next_sample += interval * ((t - next_sample) / interval + 1);
      }
      lock.lock();
    }
  }
  join_guard.join();
  result.device = read_proc_self_io() - io_before;
  result.cpu = process_cpu_usage() - cpu_before;

  std::uint64_t last_completion = 0;
  VerifyOutcome verify;
  for (const WorkerResult& out : outs) {
    result.read.merge(out.dir[0]);
    result.write.merge(out.dir[1]);
    result.syncs += out.syncs;
    result.sync_lat.merge(out.sync_lat);
    last_completion = std::max(last_completion, out.last_completion_ns);
    verify.blocks_checked += out.verify.blocks_checked;
    if (out.verify.mismatches && (verify.mismatches == 0 || out.verify.first_bad_offset < verify.first_bad_offset)) {
      verify.first_bad_offset = out.verify.first_bad_offset;
      verify.first_problem = out.verify.first_problem;
    }
    verify.mismatches += out.verify.mismatches;
  }
  result.features = outs[0].features;
  if (last_completion > shared.measure_start_ns)
    result.elapsed_s = static_cast<double>(last_completion - shared.measure_start_ns) * 1e-9;
  if (last_completion > last_sample && seen_ios < result.ios()) take_sample(last_completion);

  for (const WorkerResult& out : outs)
    if (out.error) throw IoError(out.error->err, io_failure_message(*out.error, direct, job_fd.fd));

  if (spec.verify) {
    if (mode_writes(spec.mode) && !result.interrupted)
      verify_written_blocks(spec, file.fd(), slice * spec.threads, shared.written, verify, hooks);
    result.verify = verify;
  }
  if (stop_requested()) result.interrupted = true;
  return result;
}

}  // namespace csc::io
