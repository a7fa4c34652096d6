// threadpool: `depth` worker threads each doing pread/pwrite, fed by a queue: asynchronous I/O built
// from blocking calls, the fallback where io_uring is refused (Docker's seccomp, io_uring_disabled).
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "kernels/io/engine.h"
#include "kernels/io/sync_transfer.h"

namespace csc::io {

namespace {

struct PoolState {
  std::vector<int> fds;
  std::vector<IoRequest*> staged;  // queued but not yet committed; touched only by the job thread
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable done_ready;
  std::deque<IoRequest*> work;
  std::vector<IoRequest*> done;
  bool stopping = false;
  std::vector<std::thread> workers;

  void worker_loop() {
    std::unique_lock lock(mutex);
    for (;;) {
      work_ready.wait(lock, [&] { return stopping || !work.empty(); });
      if (work.empty()) return;
      IoRequest* r = work.front();
      work.pop_front();
      lock.unlock();
      r->result = sync_transfer(fds[r->file], *r);
      lock.lock();
      done.push_back(r);
      done_ready.notify_one();
    }
  }
};

int pool_init(const EngineSetup& setup, void** state, EngineFeatures*) {
  auto* s = new PoolState;
  s->fds.assign(setup.files.begin(), setup.files.end());
  try {
    for (unsigned i = 0; i < setup.depth; ++i) s->workers.emplace_back([s] { s->worker_loop(); });
  } catch (const std::system_error&) {
    {
      std::lock_guard lock(s->mutex);
      s->stopping = true;
    }
    s->work_ready.notify_all();
    for (auto& t : s->workers) t.join();
    delete s;
    return -EAGAIN;
  }
  *state = s;
  return 0;
}

QueueStatus pool_queue(void* state, IoRequest* r) {
  static_cast<PoolState*>(state)->staged.push_back(r);
  return QueueStatus::queued;
}

int pool_commit(void* state) {
  auto* s = static_cast<PoolState*>(state);
  if (s->staged.empty()) return 0;
  {
    std::lock_guard lock(s->mutex);
    s->work.insert(s->work.end(), s->staged.begin(), s->staged.end());
  }
  if (s->staged.size() == 1)
    s->work_ready.notify_one();
  else
    s->work_ready.notify_all();
  s->staged.clear();
  return 0;
}

int pool_getevents(void* state, unsigned min, unsigned max, IoRequest** out) {
  auto* s = static_cast<PoolState*>(state);
  std::unique_lock lock(s->mutex);
  s->done_ready.wait(lock, [&] { return s->done.size() >= min; });
  unsigned n = 0;
  while (n < max && !s->done.empty()) {
    out[n++] = s->done.back();
    s->done.pop_back();
  }
  return static_cast<int>(n);
}

int pool_sync(void* state, bool data_only) {
  for (int fd : static_cast<PoolState*>(state)->fds)
    if ((data_only ? fdatasync(fd) : fsync(fd)) != 0) return -errno;
  return 0;
}

void pool_cleanup(void* state) {
  auto* s = static_cast<PoolState*>(state);
  {
    std::lock_guard lock(s->mutex);
    s->stopping = true;
  }
  s->work_ready.notify_all();
  for (auto& t : s->workers) t.join();
  delete s;
}

}  // namespace

const EngineOps kThreadPoolEngine = {
    "threadpool",
    "a pool of queue-depth threads doing pread/pwrite (the fallback where io_uring is refused)",
    kCapDirect | kCapAsync,
    pool_init,
    pool_queue,
    pool_commit,
    pool_getevents,
    pool_sync,
    pool_cleanup,
};

}  // namespace csc::io
