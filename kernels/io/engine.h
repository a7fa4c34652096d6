// The I/O engine interface, modelled on fio's ioengine_ops: one table of function pointers with
// capability flags per engine. Sync engines complete a request inside queue(); async ones complete it
// in getevents(). The list of engines exists once (engines()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace csc::io {

enum class IoDir : std::uint8_t { read, write };

struct IoRequest {
  IoDir dir = IoDir::read;
  std::uint16_t file = 0;       // index into EngineSetup::files
  std::uint64_t offset = 0;
  std::uint32_t length = 0;
  void* buffer = nullptr;
  int buffer_index = -1;        // index of `buffer` among EngineSetup::buffers (for fixed buffers)
  std::int64_t result = 0;      // bytes transferred, or -errno; set when the request completes
  std::uint64_t issue_ns = 0;   // when the job handed it to queue()
  std::uint64_t submit_ns = 0;  // when the engine passed it to the kernel (commit for async engines)
  std::uint32_t slot = 0;       // owner's bookkeeping
};

enum EngineCapability : unsigned {
  kCapDirect = 1u << 0,           // works on an O_DIRECT descriptor
  kCapAsync = 1u << 1,            // keeps up to `depth` requests in flight
  kCapFixedBuffers = 1u << 2,     // can register the I/O buffers with the kernel once
  kCapRegisteredFiles = 1u << 3,  // can register the file descriptor once
  kCapSqpoll = 1u << 4,           // a kernel thread can poll the submission queue
};

struct EngineSetup {
  std::span<const int> files;      // descriptors requests refer to by index (a copy uses two)
  std::uint64_t file_size = 0;     // mmap: bytes of files[0] to map
  unsigned depth = 1;
  std::span<void* const> buffers;  // every request buffer the job will use, each buffer_size bytes
  std::size_t buffer_size = 0;
  bool writable = false;
  bool random_access = false;      // mmap: madvise RANDOM instead of SEQUENTIAL
  bool fixed_buffers = false;      // io_uring: register buffers (falls back quietly when refused)
  bool registered_files = false;   // io_uring: register the fd
  bool sqpoll = false;             // io_uring: IORING_SETUP_SQPOLL
  bool simulate_refusal = false;   // io_uring: behave as if the kernel said EPERM (test hook)
};

// What an engine really ended up using, and why something asked for was not used.
struct EngineFeatures {
  bool fixed_buffers = false;
  bool registered_files = false;
  bool sqpoll = false;
  std::string note;
};

enum class QueueStatus { queued, completed };

struct EngineOps {
  const char* name;
  const char* summary;
  unsigned capabilities;
  // Per-thread state for one descriptor; returns 0 or -errno (then *state is untouched).
  int (*init)(const EngineSetup& setup, void** state, EngineFeatures* features);
  // Takes a request. A sync engine performs it and returns completed with request->result set.
  QueueStatus (*queue)(void* state, IoRequest* request);
  // Hands the queued requests to the kernel; returns 0 or -errno. Null for sync engines.
  int (*commit)(void* state);
  // Waits for at least `min` completions and stores up to `max` in `out`; returns their number or
  // -errno. Null for sync engines.
  int (*getevents)(void* state, unsigned min, unsigned max, IoRequest** out);
  // Makes completed writes durable: fsync/fdatasync, msync for mmap. Returns 0 or -errno.
  int (*sync)(void* state, bool data_only);
  void (*cleanup)(void* state);
};

std::span<const EngineOps* const> engines();
const EngineOps* find_engine(std::string_view name);  // nullptr when unknown
// "psync, mmap, io_uring, threadpool": for messages listing the choices.
std::string engine_names();

// The engines, each defined in its own engine_<name>.cc.
extern const EngineOps kPsyncEngine;
extern const EngineOps kMmapEngine;
extern const EngineOps kUringEngine;
extern const EngineOps kThreadPoolEngine;

}  // namespace csc::io
