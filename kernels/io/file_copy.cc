// The copy pipeline: each slot reads a block, then writes the same buffer; a slot is reused once its
// write completed and its bytes were fed to the source checksum, which happens strictly in file order.
#include "kernels/io/file_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "kernels/io/dio_alignment.h"
#include "kernels/io/engine.h"
#include "kernels/io/file_cache.h"
#include "kernels/io/io_error.h"

namespace csc::io {

namespace {

struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
};

struct Slot {
  IoRequest request;
  void* buffer = nullptr;
  std::uint64_t offset = 0;
  std::uint32_t bytes = 0;      // data bytes in this block (the last block may be short)
  bool busy = false;
  bool read_done = false;
  bool fed = false;
  bool written = false;
};

struct Buffers {
  std::vector<void*> pointers;
  ~Buffers() {
    for (void* p : pointers) std::free(p);
  }
};

std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

// Opens `file` again with O_DIRECT when asked; falls back to buffered on EINVAL and says why.
int open_for_copy(const TestFile& file, int access, bool simulate_refusal, bool& direct, std::string& fallback) {
  if (direct) {
    const int fd = simulate_refusal ? -EINVAL : file.reopen(access | O_DIRECT);
    if (fd >= 0) return fd;
    if (fd != -EINVAL) throw IoError(-fd, "cannot open " + file.path() + " with O_DIRECT: " + errno_text(-fd));
    direct = false;
    fallback = "O_DIRECT refused by the filesystem of " + file.path() + " (EINVAL); copied buffered";
  }
  const int fd = file.reopen(access);
  if (fd < 0) throw IoError(-fd, "cannot reopen " + file.path() + ": " + errno_text(-fd));
  return fd;
}

std::uint64_t checksum_of_file(int fd, std::uint64_t size, ChecksumKind kind, const RunHooks& hooks, bool& stopped) {
  StreamChecksum sum(kind);
  std::vector<char> buffer(std::size_t{1} << 20);
  for (std::uint64_t at = 0; at < size;) {
    if (hooks.interrupted && hooks.interrupted()) {
      stopped = true;
      return 0;
    }
    const ssize_t n = pread(fd, buffer.data(), std::min<std::uint64_t>(buffer.size(), size - at), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw IoError(n < 0 ? errno : EIO, "reading the copy back at offset " + std::to_string(at));
    sum.update(buffer.data(), static_cast<std::size_t>(n));
    at += static_cast<std::uint64_t>(n);
  }
  return sum.value();
}

}  // namespace

CopyResult copy_file(const TestFile& source, TestFile& destination, const CopySpec& spec, const RunHooks& hooks) {
  const EngineOps* engine = find_engine(spec.engine);
  if (engine == nullptr || engine == &kMmapEngine)
    throw std::invalid_argument("copy engine '" + spec.engine + "' (copy engines: psync, io_uring, threadpool)");
  if (spec.block_size == 0 || spec.block_size > (1u << 30) || spec.depth == 0)
    throw std::invalid_argument("copy needs a block size in 1 B .. 1 GiB and a queue depth of at least 1");
  if (!destination.created()) throw std::invalid_argument("copy writes only to a file it created");

  CopyResult result;
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t size = source.size();
  result.bytes = size;

  bool direct = spec.direct;
  Descriptor in, out;
  const bool simulate = spec.simulate_direct_refusal;
  in.fd = open_for_copy(source, O_RDONLY, simulate, direct, result.direct_fallback);
  out.fd = open_for_copy(destination, O_RDWR, simulate, direct, result.direct_fallback);
  if (!direct && spec.direct) {  // one side refused: both buffered, so every request has one alignment rule
    close(in.fd), close(out.fd);
    in.fd = open_for_copy(source, O_RDONLY, simulate, direct, result.direct_fallback);
    out.fd = open_for_copy(destination, O_RDWR, simulate, direct, result.direct_fallback);
  }
  result.direct = direct;
  std::uint64_t align = 1;
  if (direct) {
    const DioAlignment a = direct_io_alignment(out.fd), b = direct_io_alignment(in.fd);
    align = std::max<std::uint64_t>({512, a.offset, b.offset});
    if (spec.block_size % align) throw std::invalid_argument("--bs must be a multiple of " + std::to_string(align) + " with --direct");
  }

  // Reserve the destination's space first: a full disk fails now, not halfway through.
  if (size > 0 && fallocate(out.fd, 0, 0, static_cast<off_t>(round_up(size, align))) != 0 && errno != EOPNOTSUPP)
    throw IoError(errno, "reserving " + std::to_string(size) + " bytes for " + destination.path() + ": " + errno_text(errno));

  const unsigned depth = (engine->capabilities & kCapAsync) ? spec.depth : 1;
  Buffers buffers;
  for (unsigned i = 0; i < depth; ++i) {
    void* p = nullptr;
    if (posix_memalign(&p, 4096, std::max<std::uint64_t>(spec.block_size, 4096)) != 0) throw std::bad_alloc();
    buffers.pointers.push_back(p);
  }
  const int fds[2] = {in.fd, out.fd};
  EngineSetup setup;
  setup.files = fds;
  setup.depth = 2 * depth;  // a read and a write of each slot can be in the ring at once
  setup.buffers = buffers.pointers;
  setup.buffer_size = spec.block_size;
  setup.writable = true;
  setup.fixed_buffers = true;
  setup.registered_files = true;
  setup.simulate_refusal = spec.simulate_uring_refusal;
  void* state = nullptr;
  EngineFeatures features;
  int rc = engine->init(setup, &state, &features);
  if (rc < 0 && engine == &kUringEngine) {
    result.engine_fallback = "io_uring refused: " + errno_text(-rc) + "; copied with the threadpool engine";
    engine = &kThreadPoolEngine;
    rc = engine->init(setup, &state, &features);
  }
  if (rc < 0) throw IoError(-rc, std::string("the ") + engine->name + " engine could not start: " + errno_text(-rc));
  result.engine = engine->name;
  struct Cleanup {
    const EngineOps* engine;
    void* state;
    ~Cleanup() { engine->cleanup(state); }
  } cleanup{engine, state};

  std::vector<Slot> slots(depth);
  for (unsigned i = 0; i < depth; ++i) {
    slots[i].buffer = buffers.pointers[i];
    slots[i].request.slot = i;
    slots[i].request.buffer_index = static_cast<int>(i);
  }
  StreamChecksum source_sum(spec.checksum);
  std::uint64_t next_read = 0, next_feed = 0;
  unsigned inflight = 0;
  std::vector<IoRequest*> just_queued, completed(2 * depth);
  std::optional<IoError> failure;
  bool stopping = false;

  auto feed_in_order = [&] {
    for (bool progress = true; progress;) {
      progress = false;
      for (Slot& s : slots)
        if (s.busy && s.read_done && !s.fed && s.offset == next_feed) {
          source_sum.update(s.buffer, s.bytes);
          s.fed = true;
          next_feed += s.bytes;
          progress = true;
        }
    }
    for (Slot& s : slots)
      if (s.busy && s.fed && s.written) s.busy = false;
  };
  auto submit = [&](Slot& s, IoDir dir) {
    IoRequest& r = s.request;
    r.dir = dir;
    r.file = dir == IoDir::read ? 0 : 1;
    r.buffer = s.buffer;
    r.offset = s.offset;
    r.length = static_cast<std::uint32_t>(round_up(s.bytes, align));
    r.result = 0;
    return engine->queue(state, &r);
  };
  std::vector<Slot*> ready_to_write;
  auto on_complete = [&](IoRequest& r) {
    Slot& s = slots[r.slot];
    if (r.dir == IoDir::read) {
      // With O_DIRECT the last block is read rounded up; the file ends early, so fewer bytes arrive.
      if (r.result < static_cast<std::int64_t>(s.bytes)) {
        failure = IoError(r.result < 0 ? static_cast<int>(-r.result) : EIO,
                          "reading " + source.path() + " at offset " + std::to_string(s.offset) + ": " +
                              (r.result < 0 ? errno_text(static_cast<int>(-r.result)) : "the file shrank during the copy"));
        return;
      }
      if (r.length > s.bytes) std::memset(static_cast<char*>(s.buffer) + s.bytes, 0, r.length - s.bytes);
      s.read_done = true;
      ready_to_write.push_back(&s);
    } else {
      if (r.result != static_cast<std::int64_t>(r.length)) {
        failure = IoError(r.result < 0 ? static_cast<int>(-r.result) : EIO,
                          "writing " + destination.path() + " at offset " + std::to_string(s.offset) + ": " +
                              (r.result < 0 ? errno_text(static_cast<int>(-r.result)) : "short write"));
        return;
      }
      s.written = true;
    }
  };

  while (true) {
    if (!stopping && hooks.interrupted && hooks.interrupted()) {
      stopping = true;
      result.interrupted = true;
    }
    if (failure) stopping = true;
    for (Slot* s : ready_to_write) {
      if (!stopping && submit(*s, IoDir::write) == QueueStatus::completed)
        on_complete(s->request);
      else if (!stopping)
        just_queued.push_back(&s->request), ++inflight;
    }
    ready_to_write.clear();
    feed_in_order();
    for (Slot& s : slots) {
      if (stopping || next_read >= size) break;
      if (s.busy) continue;
      s = Slot{s.request, s.buffer, next_read, static_cast<std::uint32_t>(std::min(spec.block_size, size - next_read)), true};
      next_read += s.bytes;
      if (submit(s, IoDir::read) == QueueStatus::completed)
        on_complete(s.request);
      else
        just_queued.push_back(&s.request), ++inflight;
    }
    if (!just_queued.empty()) {
      rc = engine->commit(state);
      just_queued.clear();
      if (rc < 0) throw IoError(-rc, std::string("submitting to ") + engine->name + ": " + errno_text(-rc));
    }
    if (inflight > 0) {
      const int n = engine->getevents(state, 1, 2 * depth, completed.data());
      if (n < 0) throw IoError(-n, std::string("waiting for ") + engine->name + ": " + errno_text(-n));
      for (int i = 0; i < n; ++i) on_complete(*completed[i]);
      inflight -= static_cast<unsigned>(n);
      continue;
    }
    if (!ready_to_write.empty() && !stopping) continue;  // sync engine: the reads just done need writing
    feed_in_order();
    const bool any_busy = std::any_of(slots.begin(), slots.end(), [](const Slot& s) { return s.busy; });
    if (stopping || (!any_busy && next_read >= size)) break;
    if (any_busy) throw std::logic_error("copy pipeline stalled with nothing in flight");
  }
  if (failure) throw *failure;
  if (result.interrupted) return result;

  if (direct && size % align && ftruncate(out.fd, static_cast<off_t>(size)) != 0)
    throw IoError(errno, "truncating " + destination.path() + ": " + errno_text(errno));
  if (fsync(out.fd) != 0) throw IoError(errno, "fsync of " + destination.path() + ": " + errno_text(errno));
  result.source_checksum = source_sum.value();
  result.copy_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Read the destination back from the device, not from the pages the copy just wrote.
  const auto verify_start = std::chrono::steady_clock::now();
  evict_from_page_cache(destination.fd(), true);
  bool stopped = false;
  result.destination_checksum = checksum_of_file(destination.fd(), size, spec.checksum, hooks, stopped);
  result.interrupted = stopped;
  result.verify_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - verify_start).count();
  return result;
}

}  // namespace csc::io
