// mmap: the file mapped shared, requests are memcpy to/from the mapping (fio's mmap), with madvise
// telling the kernel's readahead whether the access is random or sequential. Never O_DIRECT.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "kernels/io/engine.h"

namespace csc::io {

namespace {

struct MmapState {
  char* map;
  std::uint64_t size;
};

int mmap_init(const EngineSetup& setup, void** state, EngineFeatures*) {
  if (setup.file_size == 0 || setup.files.size() != 1) return -EINVAL;
  const int prot = PROT_READ | (setup.writable ? PROT_WRITE : 0);
  void* map = mmap(nullptr, setup.file_size, prot, MAP_SHARED, setup.files[0], 0);
  if (map == MAP_FAILED) return -errno;
  if (madvise(map, setup.file_size, setup.random_access ? MADV_RANDOM : MADV_SEQUENTIAL) != 0) {
    const int err = errno;
    munmap(map, setup.file_size);
    return -err;
  }
  *state = new MmapState{static_cast<char*>(map), setup.file_size};
  return 0;
}

QueueStatus mmap_queue(void* state, IoRequest* r) {
  auto* s = static_cast<MmapState*>(state);
  if (r->file != 0 || r->offset + r->length > s->size) {
    r->result = -EINVAL;
  } else {
    if (r->dir == IoDir::read)
      std::memcpy(r->buffer, s->map + r->offset, r->length);
    else
      std::memcpy(s->map + r->offset, r->buffer, r->length);
    r->result = r->length;
  }
  return QueueStatus::completed;
}

int mmap_sync(void* state, bool) {
  auto* s = static_cast<MmapState*>(state);
  return msync(s->map, s->size, MS_SYNC) == 0 ? 0 : -errno;
}

void mmap_cleanup(void* state) {
  auto* s = static_cast<MmapState*>(state);
  munmap(s->map, s->size);
  delete s;
}

}  // namespace

const EngineOps kMmapEngine = {
    "mmap",
    "memcpy from/to a shared mapping of the file, with madvise (page faults do the I/O)",
    0,
    mmap_init,
    mmap_queue,
    nullptr,
    nullptr,
    mmap_sync,
    mmap_cleanup,
};

}  // namespace csc::io
