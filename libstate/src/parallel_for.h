// A small work-sharing loop for the library's embarrassingly parallel steps
// (signature checks during a room replay). Threads live only for the call,
// so the library keeps no global state.
#ifndef MXSTATE_SRC_PARALLEL_FOR_H_
#define MXSTATE_SRC_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace mxstate::internal {

// Calls fn(i) once for every i in [0, n) on at most `threads` threads (0:
// one per core), the calling thread included. Indexes are handed out in
// chunks so threads rarely contend on the counter. `fn` must be safe to call
// concurrently for distinct indexes and must not throw.
template <typename Fn>
void ParallelFor(size_t n, unsigned threads, Fn&& fn) {
  constexpr size_t kChunk = 64;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const size_t chunks = (n + kChunk - 1) / kChunk;
  threads = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, chunks)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      const size_t begin = next.fetch_add(1, std::memory_order_relaxed) * kChunk;
      if (begin >= n) return;
      const size_t end = std::min(n, begin + kChunk);
      for (size_t i = begin; i < end; ++i) fn(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace mxstate::internal

#endif  // MXSTATE_SRC_PARALLEL_FOR_H_
