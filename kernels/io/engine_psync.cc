// psync: pread/pwrite, one request at a time, completed inside queue() (fio's psync).
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "kernels/io/engine.h"
#include "kernels/io/sync_transfer.h"

namespace csc::io {

namespace {

struct PsyncState {
  std::vector<int> fds;
};

int psync_init(const EngineSetup& setup, void** state, EngineFeatures*) {
  *state = new PsyncState{{setup.files.begin(), setup.files.end()}};
  return 0;
}

QueueStatus psync_queue(void* state, IoRequest* r) {
  r->result = sync_transfer(static_cast<PsyncState*>(state)->fds[r->file], *r);
  return QueueStatus::completed;
}

int psync_sync(void* state, bool data_only) {
  for (int fd : static_cast<PsyncState*>(state)->fds)
    if ((data_only ? fdatasync(fd) : fsync(fd)) != 0) return -errno;
  return 0;
}

void psync_cleanup(void* state) { delete static_cast<PsyncState*>(state); }

}  // namespace

const EngineOps kPsyncEngine = {
    "psync",
    "pread/pwrite, one request at a time (queue depth 1)",
    kCapDirect,
    psync_init,
    psync_queue,
    nullptr,
    nullptr,
    psync_sync,
    psync_cleanup,
};

}  // namespace csc::io
